// SPDX-License-Identifier: GPL-2.0
/*
 * kmem caches as drivers use them: a cache with a constructor, reuse of
 * freed objects, kmem_cache_zalloc, KMEM_CACHE(), kfree of a cache object,
 * and destroying a cache that still has objects.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>

struct obj {
	unsigned long magic;
	char payload[32];
};

struct plain {
	int a, b, c;
};

static struct kmem_cache *cache, *plain_cache;
static int ctor_calls;
static struct obj *kept;

static void obj_ctor(void *p)
{
	struct obj *o = p;

	o->magic = 0xfeed;
	ctor_calls++;
}

static int __init slab_demo_init(void)
{
	struct obj *a, *b, *c, *d, *many[70];
	struct plain *p;
	int i, aligned = 1;

	cache = kmem_cache_create("slab_demo_obj", sizeof(struct obj), 0, SLAB_HWCACHE_ALIGN, obj_ctor);
	plain_cache = KMEM_CACHE(plain, 0);
	if (!cache || !plain_cache)
		return -ENOMEM;
	a = kmem_cache_alloc(cache, GFP_KERNEL);
	b = kmem_cache_alloc(cache, GFP_KERNEL);
	c = kmem_cache_alloc(cache, GFP_KERNEL);
	pr_info("ctor ran %d times for 3 objects, magic=%lx, stride=%ld, aligned=%d\n", ctor_calls,
		a->magic, (long)((char *)b - (char *)a), ((unsigned long)a & 63) == 0);
	b->magic = 0x1234;
	kmem_cache_free(cache, b);
	d = kmem_cache_alloc(cache, GFP_KERNEL);
	pr_info("reused=%d magic=%lx ctor_calls=%d\n", d == b, d->magic, ctor_calls);
	kmem_cache_free(cache, d);
	d = kmem_cache_zalloc(cache, GFP_KERNEL);
	pr_info("zalloc magic=%lx size=%u\n", d->magic, kmem_cache_size(cache));
	for (i = 0; i < 70; i++) {
		many[i] = kmem_cache_alloc(cache, GFP_KERNEL);
		if ((unsigned long)many[i] & 63)
			aligned = 0;
	}
	pr_info("second slab: ctor_calls=%d aligned=%d\n", ctor_calls, aligned);
	for (i = 0; i < 70; i++)
		kfree(many[i]);		/* kfree() knows the cache */
	kmem_cache_free(cache, a);
	kmem_cache_free(cache, c);
	kmem_cache_free(cache, d);
	kept = kmem_cache_alloc(cache, GFP_KERNEL);

	p = kmem_cache_zalloc(plain_cache, GFP_KERNEL);
	pr_info("plain size=%u zeroed=%d\n", kmem_cache_size(plain_cache), !p->a && !p->b && !p->c);
	kmem_cache_free(plain_cache, p);
	kmem_cache_destroy(plain_cache);
	pr_info("bad flags: %p\n", kmem_cache_create("bad", 8, 0, 0x80000000, NULL));
	return 0;
}

static void __exit slab_demo_exit(void)
{
	kmem_cache_destroy(cache);	/* one object still out */
	kmem_cache_free(cache, kept);
	kmem_cache_destroy(cache);
	pr_info("destroyed\n");
}

module_init(slab_demo_init);
module_exit(slab_demo_exit);
MODULE_LICENSE("GPL");
