/* SPDX-License-Identifier: GPL-2.0 */
/* klpsh: kmalloc and friends, implemented by the Python kernel (kernel/ABI.md). */
#ifndef _LINUX_SLAB_H
#define _LINUX_SLAB_H

#include <linux/gfp.h>
#include <linux/types.h>
#include <linux/compiler.h>

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

#endif /* _LINUX_SLAB_H */
