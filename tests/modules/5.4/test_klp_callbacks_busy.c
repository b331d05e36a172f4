// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh: a target module whose delayed work sits in busymod_work_func()
 * for sleep_secs seconds, holding up any transition that patches it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/workqueue.h>
#include <linux/delay.h>

static int sleep_secs;
module_param(sleep_secs, int, 0644);
MODULE_PARM_DESC(sleep_secs, "sleep_secs (default=0)");

static void busymod_work_func(struct work_struct *work)
{
	pr_info("%s, sleeping %d seconds ...\n", __func__, sleep_secs);
	msleep(sleep_secs * 1000);
	pr_info("%s exit\n", __func__);
}

static DECLARE_DELAYED_WORK(busy_work, busymod_work_func);

static int __init test_klp_callbacks_busy_init(void)
{
	pr_info("%s\n", __func__);
	schedule_delayed_work(&busy_work, 0);
	return 0;
}

static void __exit test_klp_callbacks_busy_exit(void)
{
	cancel_delayed_work_sync(&busy_work);
	pr_info("%s\n", __func__);
}

module_init(test_klp_callbacks_busy_init);
module_exit(test_klp_callbacks_busy_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("klpsh 5.4 scenarios: busy target module");
