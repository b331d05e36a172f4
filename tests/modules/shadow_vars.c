// SPDX-License-Identifier: GPL-2.0
/* test_klp_shadow_vars-style exerciser of the 4.19 shadow variable API. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

static int ctor_calls, dtor_calls;

static int shadow_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	int **sv = shadow_data;

	ctor_calls++;
	if (!ctor_data)
		return -EINVAL;
	*sv = ctor_data;
	return 0;
}

static void shadow_dtor(void *obj, void *shadow_data)
{
	int **sv = shadow_data;

	dtor_calls++;
	pr_info("%s(obj=PTR, shadow_data=PTR) value %d\n", __func__, **sv);
}

static int __init shadow_vars_init(void)
{
	static int obj1, obj2;
	static int var1 = 11, var2 = 22, var3 = 33;
	unsigned long id = 0x1234;
	int **sv1, **sv2, **sv3, **sv, *counter;

	sv1 = klp_shadow_alloc(&obj1, id, sizeof(int *), GFP_KERNEL, shadow_ctor, &var1);
	sv2 = klp_shadow_alloc(&obj2, id, sizeof(int *), GFP_KERNEL, shadow_ctor, &var2);
	sv3 = klp_shadow_alloc(&obj1, id + 1, sizeof(int *), GFP_KERNEL, shadow_ctor, &var3);
	if (!sv1 || !sv2 || !sv3)
		return -ENOMEM;
	pr_info("alloc: %d %d %d\n", **sv1, **sv2, **sv3);

	sv = klp_shadow_get(&obj1, id);
	pr_info("get(obj1, id) same=%d value=%d\n", sv == sv1, **sv);
	pr_info("get(obj2, id+1) null=%d\n", klp_shadow_get(&obj2, id + 1) == NULL);

	/* duplicate: WARN and NULL, ctor not called */
	sv = klp_shadow_alloc(&obj1, id, sizeof(int *), GFP_KERNEL, shadow_ctor, &var3);
	pr_info("duplicate alloc null=%d ctor_calls=%d\n", sv == NULL, ctor_calls);

	/* get_or_alloc of an existing one returns it untouched */
	sv = klp_shadow_get_or_alloc(&obj2, id, sizeof(int *), GFP_KERNEL, shadow_ctor, &var3);
	pr_info("get_or_alloc existing same=%d value=%d\n", sv == sv2, **sv);

	/* a counter without ctor is zeroed */
	counter = klp_shadow_get_or_alloc(&obj2, 0x99, sizeof(int), GFP_NOWAIT, NULL, NULL);
	pr_info("new counter=%d\n", counter ? *counter : -1);

	/* ctor failure */
	sv = klp_shadow_alloc(&obj2, 0x77, sizeof(int *), GFP_KERNEL, shadow_ctor, NULL);
	pr_info("failed ctor null=%d\n", sv == NULL);

	klp_shadow_free(&obj1, id, shadow_dtor);
	pr_info("after free get null=%d\n", klp_shadow_get(&obj1, id) == NULL);
	klp_shadow_free(&obj1, id, shadow_dtor);	/* already gone: nothing */
	klp_shadow_free_all(id, shadow_dtor);
	klp_shadow_free_all(id + 1, shadow_dtor);
	klp_shadow_free_all(0x99, NULL);
	pr_info("ctor_calls=%d dtor_calls=%d left=%d\n", ctor_calls, dtor_calls,
		klp_shadow_get(&obj2, id) != NULL || klp_shadow_get(&obj1, id + 1) != NULL);
	return 0;
}

static void __exit shadow_vars_exit(void) { }
module_init(shadow_vars_init);
module_exit(shadow_vars_exit);
MODULE_LICENSE("GPL");
