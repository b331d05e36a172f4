// SPDX-License-Identifier: GPL-2.0
/*
 * livepatch-callbacks-busymod.c - a target module that keeps a kworker busy
 * (klpsh sample, behaving like samples/livepatch in 5.4).
 *
 * On load it queues one work item, busymod_work_func(), which sleeps for
 * sleep_secs seconds.  livepatch-callbacks-demo.ko replaces that very
 * function, so while the worker sleeps inside it the patching transition
 * cannot finish (the old function is on the kworker's stack):
 *
 *   insmod samples/livepatch/livepatch-callbacks-busymod.ko sleep_secs=30
 *   insmod samples/livepatch/livepatch-callbacks-demo.ko
 *
 * Unloading waits for the work item to finish.  (The init and exit
 * functions carry the names of livepatch-callbacks-mod.c's, as in 5.4.)
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/workqueue.h>
#include <linux/delay.h>

static int sleep_secs;
module_param(sleep_secs, int, 0644);
MODULE_PARM_DESC(sleep_secs, "sleep_secs (default=0)");

/* the function livepatch-callbacks-demo.ko patches: keep it a real function */
static noinline void busymod_work_func(struct work_struct *work)
{
	pr_info("%s, sleeping %d seconds ...\n", __func__, sleep_secs);
	msleep(sleep_secs * 1000);
	pr_info("%s exit\n", __func__);
}

static DECLARE_DELAYED_WORK(busy_work, busymod_work_func);

static int livepatch_callbacks_mod_init(void)
{
	pr_info("%s\n", __func__);
	schedule_delayed_work(&busy_work, msecs_to_jiffies(0));
	return 0;
}

static void livepatch_callbacks_mod_exit(void)
{
	/* waits for a running busymod_work_func() to return */
	cancel_delayed_work_sync(&busy_work);
	pr_info("%s\n", __func__);
}

module_init(livepatch_callbacks_mod_init);
module_exit(livepatch_callbacks_mod_exit);
MODULE_LICENSE("GPL");
