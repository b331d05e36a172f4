/* mempool_demo.c - a mempool over a slab cache and a kmalloc pool */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mempool.h>
#include <linux/slab.h>

static struct kmem_cache *cache;
static mempool_t *pool, *kpool;

static int __init mp_init(void)
{
	void *e[4];
	int i;

	cache = kmem_cache_create("mp_demo", 96, 0, 0, NULL);
	if (!cache)
		return -ENOMEM;
	pool = mempool_create_slab_pool(4, cache);
	kpool = mempool_create_kmalloc_pool(2, 256);
	if (!pool || !kpool)
		return -ENOMEM;
	for (i = 0; i < 4; i++)
		e[i] = mempool_alloc(pool, GFP_KERNEL);
	pr_info("mempool_demo: 4 elements %s, min_nr %d\n", e[3] ? "allocated" : "failed", pool->min_nr);
	for (i = 0; i < 4; i++)
		mempool_free(e[i], pool);
	e[0] = mempool_alloc(kpool, GFP_KERNEL);
	pr_info("mempool_demo: kmalloc pool element ksize %zu\n", ksize(e[0]));
	mempool_free(e[0], kpool);
	return 0;
}

static void __exit mp_exit(void)
{
	mempool_destroy(kpool);
	mempool_destroy(pool);
	kmem_cache_destroy(cache);
	pr_info("mempool_demo: destroyed\n");
}

module_init(mp_init);
module_exit(mp_exit);
MODULE_LICENSE("GPL");
