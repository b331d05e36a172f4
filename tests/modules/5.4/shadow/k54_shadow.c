// SPDX-License-Identifier: GPL-2.0
/*
 * k54_shadow.c - every rule of Documentation/livepatch/shadow-vars.rst (5.4) and
 * of 5.4's kernel/livepatch/shadow.c, one pr_info() line each, for
 * tests/test_k54_shadow.py.  No pointer is printed: the lines say whether the
 * API gave what the rule says.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/livepatch.h>

#define ID_A	0x1234
#define ID_B	0x1235

static int parents[4];
static int ctor_calls, dtor_calls;
static void *ctor_obj, *ctor_data_seen, *dtor_obj, *dtor_data;

static int set_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	ctor_calls++;
	ctor_obj = obj;
	ctor_data_seen = shadow_data;
	*(long *)shadow_data = (long)ctor_data;
	return 0;
}

static int failing_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	ctor_calls++;
	return -ENOMEM;
}

static void count_dtor(void *obj, void *shadow_data)
{
	dtor_calls++;
	dtor_obj = obj;
	dtor_data = shadow_data;
}

static int __init k54_shadow_init(void)
{
	long *a, *b, *c, *d, *e;
	unsigned char *dirty, *z;
	int i, zero = 1, none;

	pr_info("get of nothing: %d\n", klp_shadow_get(&parents[0], ID_A) == NULL);

	/* zeroed by default: the block a shadow gets may have been used before */
	dirty = kmalloc(48 + 64, GFP_KERNEL);
	memset(dirty, 0x5a, 48 + 64);
	kfree(dirty);
	z = klp_shadow_alloc(&parents[3], ID_A, 64, GFP_KERNEL, NULL, NULL);
	for (i = 0; i < 64; i++)
		zero &= z[i] == 0;
	pr_info("alloc without ctor is zeroed: %d\n", z && zero);

	a = klp_shadow_alloc(&parents[0], ID_A, sizeof(long), GFP_KERNEL, set_ctor, (void *)7L);
	pr_info("alloc with ctor: value %ld, ctor %d, ctor saw obj %d data %d\n", a ? *a : -1,
		ctor_calls, ctor_obj == &parents[0], ctor_data_seen == a);
	pr_info("get: same %d\n", klp_shadow_get(&parents[0], ID_A) == a);
	b = klp_shadow_alloc(&parents[0], ID_B, sizeof(long), GFP_KERNEL, set_ctor, (void *)8L);
	c = klp_shadow_alloc(&parents[1], ID_A, sizeof(long), GFP_KERNEL, set_ctor, (void *)9L);
	pr_info("ids and objects apart: %d %d %ld %ld\n", b != a && c != a && b != c,
		klp_shadow_get(&parents[0], ID_B) == b, *b, *c);

	ctor_calls = 0;
	none = klp_shadow_alloc(&parents[0], ID_A, sizeof(long), GFP_KERNEL, set_ctor, (void *)1L) == NULL;
	pr_info("duplicate alloc: null %d, ctor %d\n", none, ctor_calls);
	d = klp_shadow_get_or_alloc(&parents[0], ID_A, sizeof(long), GFP_KERNEL, set_ctor, (void *)2L);
	pr_info("get_or_alloc of one there: same %d, value %ld, ctor %d\n", d == a, *d, ctor_calls);
	e = klp_shadow_get_or_alloc(&parents[2], ID_A, sizeof(long), GFP_ATOMIC, set_ctor, (void *)3L);
	pr_info("get_or_alloc of a new one: value %ld, ctor %d\n", e ? *e : -1, ctor_calls);

	ctor_calls = 0;
	none = klp_shadow_alloc(&parents[3], ID_B, sizeof(long), GFP_KERNEL, failing_ctor, NULL) == NULL;
	pr_info("ctor failing: null %d, ctor %d, none %d\n", none, ctor_calls,
		klp_shadow_get(&parents[3], ID_B) == NULL);
	ctor_calls = 0;
	none = klp_shadow_alloc(&parents[3], ID_B, 64 << 20, GFP_KERNEL | __GFP_NOWARN, set_ctor,
				NULL) == NULL;
	pr_info("allocation failing quietly: null %d, ctor %d\n", none, ctor_calls);
	none = klp_shadow_get_or_alloc(&parents[3], ID_B, 64 << 20, GFP_KERNEL, set_ctor, NULL) == NULL;
	pr_info("allocation failing: null %d, none %d\n", none, klp_shadow_get(&parents[3], ID_B) == NULL);

	klp_shadow_free(&parents[0], ID_A, count_dtor);
	pr_info("free: dtor %d with obj %d data %d, gone %d, others %d %d\n", dtor_calls,
		dtor_obj == &parents[0], dtor_data == a, klp_shadow_get(&parents[0], ID_A) == NULL,
		klp_shadow_get(&parents[0], ID_B) == b, klp_shadow_get(&parents[1], ID_A) == c);
	klp_shadow_free(&parents[0], ID_A, count_dtor);
	pr_info("free of one not there: dtor %d\n", dtor_calls);
	klp_shadow_free(&parents[3], ID_A, NULL);
	pr_info("free without dtor: gone %d\n", klp_shadow_get(&parents[3], ID_A) == NULL);

	dtor_calls = 0;
	klp_shadow_free_all(ID_A, count_dtor);
	pr_info("free_all: dtor %d, gone %d %d, other id %d\n", dtor_calls,
		klp_shadow_get(&parents[1], ID_A) == NULL, klp_shadow_get(&parents[2], ID_A) == NULL,
		klp_shadow_get(&parents[0], ID_B) == b);
	klp_shadow_free_all(ID_B, NULL);
	pr_info("free_all without dtor: gone %d\n", klp_shadow_get(&parents[0], ID_B) == NULL);
	return 0;
}

static void __exit k54_shadow_exit(void)
{
}

module_init(k54_shadow_init);
module_exit(k54_shadow_exit);
MODULE_LICENSE("GPL");
