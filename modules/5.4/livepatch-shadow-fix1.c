// SPDX-License-Identifier: GPL-2.0+
/*
 * livepatch-shadow-fix1.c - shadow variable demo, fix 1 (klpsh sample,
 * behaving like samples/livepatch in 5.4).
 *
 * Fixes livepatch-shadow-mod.ko's leak without changing struct dummy: the
 * replacement dummy_alloc() keeps the leaked buffer's address in an SV_LEAK
 * shadow variable of the dummy, and the replacement dummy_free() frees it
 * through the shadow variable's destructor.  Dummies allocated before this
 * patch have no SV_LEAK; their buffers are reported as leaked.
 *
 * See livepatch-shadow-mod.c for the command sequence.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

/* shadow variable ids */
#define SV_LEAK		1

/* as in livepatch-shadow-mod.c */
#define ALLOC_PERIOD	1
#define CLEANUP_PERIOD	(3 * ALLOC_PERIOD)
#define EXPIRE_PERIOD	(4 * CLEANUP_PERIOD)

/* must match livepatch-shadow-mod.c */
struct dummy {
	struct list_head list;
	unsigned long jiffies_expire;
};

/* SV_LEAK constructor: the shadow data is one pointer, ctor_data's value */
static int shadow_leak_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	void **shadow_leak = shadow_data;

	*shadow_leak = ctor_data;
	return 0;
}

static struct dummy *livepatch_fix1_dummy_alloc(void)
{
	struct dummy *d;
	void *leak;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return NULL;
	d->jiffies_expire = jiffies + msecs_to_jiffies(1000 * EXPIRE_PERIOD);

	/* the same allocation, but now it is remembered */
	leak = kzalloc(sizeof(int), GFP_KERNEL);
	if (!leak) {
		kfree(d);
		return NULL;
	}
	klp_shadow_alloc(d, SV_LEAK, sizeof(leak), GFP_KERNEL,
			 shadow_leak_ctor, leak);

	pr_info("%s: dummy @ %p, expires @ %lx\n", __func__, d, d->jiffies_expire);
	return d;
}

/* SV_LEAK destructor: free the buffer the shadow variable points to */
static void livepatch_fix1_dummy_leak_dtor(void *obj, void *shadow_data)
{
	void *d = obj;
	void **shadow_leak = shadow_data;

	kfree(*shadow_leak);
	pr_info("%s: dummy @ %p, prevented leak @ %p\n", __func__, d, *shadow_leak);
}

static void livepatch_fix1_dummy_free(struct dummy *d)
{
	void **shadow_leak;

	shadow_leak = klp_shadow_get(d, SV_LEAK);
	if (shadow_leak)
		klp_shadow_free(d, SV_LEAK, livepatch_fix1_dummy_leak_dtor);
	else
		pr_info("%s: dummy @ %p leaked!\n", __func__, d);

	kfree(d);
}

static struct klp_func funcs[] = {
	{
		.old_name = "dummy_alloc",
		.new_func = livepatch_fix1_dummy_alloc,
	},
	{
		.old_name = "dummy_free",
		.new_func = livepatch_fix1_dummy_free,
	},
	{ }
};

static struct klp_object objs[] = {
	{
		.name = "livepatch_shadow_mod",
		.funcs = funcs,
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int livepatch_shadow_fix1_init(void)
{
	/* 5.4: one call initialises, lists and enables the patch */
	return klp_enable_patch(&patch);
}

static void livepatch_shadow_fix1_exit(void)
{
	/* free the buffers of the dummies still alive */
	klp_shadow_free_all(SV_LEAK, livepatch_fix1_dummy_leak_dtor);
}

module_init(livepatch_shadow_fix1_init);
module_exit(livepatch_shadow_fix1_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
