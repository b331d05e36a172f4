/* SPDX-License-Identifier: GPL-2.0 */
/* klpsh: kmalloc and friends, implemented by the Python kernel (kernel/ABI.md). */
#ifndef _LINUX_SLAB_H
#define _LINUX_SLAB_H

#include <linux/gfp.h>
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/stddef.h>

/* kmalloc(0) returns this: a non-NULL pointer that faults when used */
#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(x)	((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

#define KMALLOC_MAX_SIZE	(1UL << 22)

extern void *kmalloc(size_t size, gfp_t flags) __malloc;
extern void *kzalloc(size_t size, gfp_t flags) __malloc;
extern void *kcalloc(size_t n, size_t size, gfp_t flags) __malloc;
extern void *kmalloc_array(size_t n, size_t size, gfp_t flags) __malloc;
extern void *__must_check krealloc(const void *p, size_t new_size, gfp_t flags);
extern void kfree(const void *objp);
extern __malloc char *kstrdup(const char *s, gfp_t gfp);
extern __malloc char *kstrndup(const char *s, size_t max, gfp_t gfp);
extern void *kmemdup(const void *src, size_t len, gfp_t gfp);
extern size_t ksize(const void *objp);

/* kvmalloc: kmalloc when it fits, vmalloc space otherwise */
extern void *kvmalloc_node(size_t size, gfp_t flags, int node) __malloc;
static inline void *kvmalloc(size_t size, gfp_t flags)
{
	return kvmalloc_node(size, flags, -1);
}
static inline void *kvzalloc(size_t size, gfp_t flags)
{
	return kvmalloc(size, flags | __GFP_ZERO);
}
extern void kvfree(const void *addr);

static inline void kzfree(const void *p)
{
	kfree(p);
}

/*
 * Object caches (kernel/api/slab.py), SLUB-like: objects are carved from
 * slabs of 2^order pages; a constructor runs for every object when its slab
 * is allocated, never again on reuse; freed objects are reused last-in
 * first-out.  kfree() of a cache object returns it to its cache.
 */
#define SLAB_CONSISTENCY_CHECKS	((slab_flags_t)0x00000100U)
#define SLAB_RED_ZONE		((slab_flags_t)0x00000400U)
#define SLAB_POISON		((slab_flags_t)0x00000800U)
#define SLAB_HWCACHE_ALIGN	((slab_flags_t)0x00002000U)
#define SLAB_CACHE_DMA		((slab_flags_t)0x00004000U)
#define SLAB_STORE_USER		((slab_flags_t)0x00010000U)
#define SLAB_PANIC		((slab_flags_t)0x00040000U)
#define SLAB_TYPESAFE_BY_RCU	((slab_flags_t)0x00080000U)
#define SLAB_MEM_SPREAD		((slab_flags_t)0x00100000U)
#define SLAB_TRACE		((slab_flags_t)0x00200000U)
#define SLAB_DEBUG_OBJECTS	((slab_flags_t)0x00400000U)
#define SLAB_NOLEAKTRACE	((slab_flags_t)0x00800000U)
#define SLAB_FAILSLAB		((slab_flags_t)0x02000000U)
#define SLAB_ACCOUNT		((slab_flags_t)0x04000000U)
#define SLAB_RECLAIM_ACCOUNT	((slab_flags_t)0x00020000U)
#define SLAB_TEMPORARY		SLAB_RECLAIM_ACCOUNT

struct kmem_cache;

extern struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
					    unsigned int align, slab_flags_t flags,
					    void (*ctor)(void *));
extern struct kmem_cache *kmem_cache_create_usercopy(const char *name, unsigned int size,
						     unsigned int align, slab_flags_t flags,
						     unsigned int useroffset,
						     unsigned int usersize,
						     void (*ctor)(void *));
extern void kmem_cache_destroy(struct kmem_cache *s);
extern int kmem_cache_shrink(struct kmem_cache *s);
extern void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags) __malloc;
extern void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t flags, int node) __malloc;
extern void kmem_cache_free(struct kmem_cache *s, void *objp);
extern unsigned int kmem_cache_size(struct kmem_cache *s);

static inline void *kmem_cache_zalloc(struct kmem_cache *k, gfp_t flags)
{
	return kmem_cache_alloc(k, flags | __GFP_ZERO);
}

/* a cache for STRUCT, named after it */
#define KMEM_CACHE(__struct, __flags)					\
		kmem_cache_create(#__struct, sizeof(struct __struct),	\
			__alignof__(struct __struct), (__flags), NULL)

#define KMEM_CACHE_USERCOPY(__struct, __flags, __field)			\
		kmem_cache_create_usercopy(#__struct,			\
			sizeof(struct __struct),			\
			__alignof__(struct __struct), (__flags),	\
			offsetof(struct __struct, __field),		\
			sizeof_field(struct __struct, __field), NULL)

#endif /* _LINUX_SLAB_H */
