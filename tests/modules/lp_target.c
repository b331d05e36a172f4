// SPDX-License-Identifier: GPL-2.0
/* A plain module that a livepatch's object names (test_klp_callbacks_mod style). */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/kernel.h>

noinline int lp_target_value(void)
{
	return 1;
}

static int __init lp_target_init(void)
{
	pr_info("%s: value %d\n", __func__, lp_target_value());
	return 0;
}

static void __exit lp_target_exit(void)
{
	pr_info("%s: value %d\n", __func__, lp_target_value());
}

module_init(lp_target_init);
module_exit(lp_target_exit);
MODULE_LICENSE("GPL");
