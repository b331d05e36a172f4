// SPDX-License-Identifier: GPL-2.0
/* A module that goes wrong on request: init return values, BUG, WARN, NULL dereference,
 * endless loops, in init, exit, a work item or a timer. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/workqueue.h>
#include <linux/timer.h>
#include <linux/bug.h>

static char *init_do = "ok";
module_param(init_do, charp, 0444);
static char *exit_do = "ok";
module_param(exit_do, charp, 0444);
static char *work_do = "none";
module_param(work_do, charp, 0444);

static int *null_ptr;
static volatile int forever = 1;
static struct work_struct work;
static struct timer_list timer;

static int misbehave(const char *what, const char *where)
{
	pr_info("%s: %s\n", where, what);
	if (!strcmp(what, "einval"))
		return -EINVAL;
	if (!strcmp(what, "enomem"))
		return -ENOMEM;
	if (!strcmp(what, "positive"))
		return 3;
	if (!strcmp(what, "bug"))
		BUG();
	if (!strcmp(what, "bug_on"))
		BUG_ON(forever);
	if (!strcmp(what, "warn"))
		WARN_ON(forever);
	if (!strcmp(what, "warn_fmt"))
		WARN(1, "misbehave %s in %s\n", what, where);
	if (!strcmp(what, "null"))
		return *null_ptr;
	if (!strcmp(what, "write_null"))
		*null_ptr = 1;
	if (!strcmp(what, "loop"))
		while (forever)
			;
	return 0;
}

static void work_fn(struct work_struct *w)
{
	misbehave(work_do, "work");
	pr_info("work: survived\n");
}

static void timer_fn(struct timer_list *t)
{
	misbehave(work_do, "timer");
}

static int __init misbehave_init(void)
{
	INIT_WORK(&work, work_fn);
	timer_setup(&timer, timer_fn, 0);
	if (strcmp(work_do, "none")) {
		schedule_work(&work);
		mod_timer(&timer, jiffies + 10);
	}
	return misbehave(init_do, "init");
}

static void __exit misbehave_exit(void)
{
	del_timer_sync(&timer);
	cancel_work_sync(&work);
	misbehave(exit_do, "exit");
	pr_info("exit: done\n");
}

module_init(misbehave_init);
module_exit(misbehave_exit);
MODULE_LICENSE("GPL");
