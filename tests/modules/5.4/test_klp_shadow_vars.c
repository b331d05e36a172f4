// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh: exercises the 5.4 shadow variable API from its init and logs
 * every call.  Pointers are logged as PTR<n>, n numbering pointers in the
 * order they are first seen (PTR0 is NULL), so the log is the same on
 * every run.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/livepatch.h>

#define MAX_SEEN 32
static const void *seen[MAX_SEEN];
static int nr_seen;

/* the number of P: its index among the pointers seen so far (a new one is added) */
static int ptr_no(const void *p)
{
	int i;

	for (i = 0; i < nr_seen; i++)
		if (seen[i] == p)
			return i;
	if (nr_seen == MAX_SEEN)
		return -1;
	seen[nr_seen] = p;
	return nr_seen++;
}

static int shadow_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	int **slot = shadow_data;

	*slot = ctor_data;
	pr_info("%s: PTR%d -> PTR%d\n", __func__, ptr_no(slot), ptr_no(ctor_data));
	return 0;
}

static void shadow_dtor(void *obj, void *shadow_data)
{
	pr_info("%s(obj=PTR%d, shadow_data=PTR%d)\n", __func__, ptr_no(obj), ptr_no(shadow_data));
}

static void *get(void *obj, unsigned long id)
{
	void *sv = klp_shadow_get(obj, id);

	pr_info("klp_shadow_get(obj=PTR%d, id=0x%lx) = PTR%d\n", ptr_no(obj), id, ptr_no(sv));
	return sv;
}

static void *alloc(void *obj, unsigned long id, size_t size, gfp_t gfp, int *data, bool or_get)
{
	void *sv = or_get ? klp_shadow_get_or_alloc(obj, id, size, gfp, shadow_ctor, data)
			  : klp_shadow_alloc(obj, id, size, gfp, shadow_ctor, data);

	pr_info("klp_shadow_%s(obj=PTR%d, id=0x%lx, size=%zx, gfp_flags=%pGg), ctor=PTR%d, ctor_data=PTR%d = PTR%d\n",
		or_get ? "get_or_alloc" : "alloc", ptr_no(obj), id, size, &gfp,
		ptr_no(shadow_ctor), ptr_no(data), ptr_no(sv));
	return sv;
}

static void release(void *obj, unsigned long id)
{
	klp_shadow_free(obj, id, shadow_dtor);
	pr_info("klp_shadow_free(obj=PTR%d, id=0x%lx, dtor=PTR%d)\n", ptr_no(obj), id,
		ptr_no(shadow_dtor));
}

static void release_all(unsigned long id)
{
	klp_shadow_free_all(id, shadow_dtor);
	pr_info("klp_shadow_free_all(id=0x%lx, dtor=PTR%d)\n", id, ptr_no(shadow_dtor));
}

/* the shadow variable at SV points at DATA */
static bool holds(int **sv, void *ret, int *data)
{
	if (ret != sv || *sv != data)
		return false;
	pr_info("  got expected PTR%d -> PTR%d result\n", ptr_no(sv), ptr_no(*sv));
	return true;
}

static int __init test_klp_shadow_vars_init(void)
{
	char *obj = (char *)THIS_MODULE;
	const unsigned long id = 0x1234;
	const size_t size = sizeof(int *);
	int a, b, c, d;
	int **sv1, **sv2, **sv3, **sv4;

	ptr_no(NULL);
	ptr_no(&a);
	ptr_no(&b);
	ptr_no(&c);
	ptr_no(&d);

	if (!get(obj, id))
		pr_info("  got expected NULL result\n");

	sv1 = alloc(obj, id, size, GFP_KERNEL, &a, false);
	sv2 = alloc(obj + 1, id, size, GFP_KERNEL, &b, false);
	sv3 = alloc(obj, id + 1, size, GFP_KERNEL, &c, false);
	if (!sv1 || !sv2 || !sv3)
		return -ENOMEM;

	if (!holds(sv1, get(obj, id), &a) || !holds(sv2, get(obj + 1, id), &b) ||
	    !holds(sv3, get(obj, id + 1), &c))
		return -EINVAL;

	sv4 = alloc(obj + 2, id, size, GFP_KERNEL, &d, true);
	if (!sv4)
		return -ENOMEM;
	if (!holds(sv4, alloc(obj + 2, id, size, GFP_KERNEL, &d, true), &d))
		return -EINVAL;

	release(obj, id);
	if (!get(obj, id))
		pr_info("  got expected NULL result\n");
	release(obj + 1, id);
	if (!get(obj + 1, id))
		pr_info("  got expected NULL result\n");
	release(obj + 2, id);
	if (!get(obj + 2, id))
		pr_info("  got expected NULL result\n");

	if (!holds(sv3, get(obj, id + 1), &c))
		return -EINVAL;

	release_all(id + 1);
	if (!get(obj, id))
		pr_info("  shadow_get() got expected NULL result\n");
	return 0;
}

static void __exit test_klp_shadow_vars_exit(void)
{
}

module_init(test_klp_shadow_vars_init);
module_exit(test_klp_shadow_vars_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("klpsh 5.4 scenarios: shadow variable API");
