// SPDX-License-Identifier: GPL-2.0+
/*
 * livepatch-shadow-mod.c - a deliberately buggy module for the shadow
 * variable demo (klpsh sample, behaving like samples/livepatch in 5.4;
 * see Documentation/livepatch/shadow-vars.txt).
 *
 * Every ALLOC_PERIOD seconds a work item allocates a struct dummy that
 * expires EXPIRE_PERIOD seconds later, and every CLEANUP_PERIOD seconds
 * another one frees the expired dummies.  The bug: dummy_alloc() also
 * allocates a small buffer and forgets the pointer, leaking it.
 *
 * livepatch-shadow-fix1.ko fixes the leak by remembering the buffer in a
 * shadow variable of each dummy; livepatch-shadow-fix2.ko adds a shadow
 * counter of how often each dummy was checked.  Messages of this module
 * have no module-name prefix.
 *
 *   insmod samples/livepatch/livepatch-shadow-mod.ko
 *   insmod samples/livepatch/livepatch-shadow-fix1.ko
 *   insmod samples/livepatch/livepatch-shadow-fix2.ko
 *   echo 0 > /sys/kernel/livepatch/livepatch_shadow_fix2/enabled
 *   echo 0 > /sys/kernel/livepatch/livepatch_shadow_fix1/enabled
 *   rmmod livepatch-shadow-fix2
 *   rmmod livepatch-shadow-fix1
 *   rmmod livepatch-shadow-mod
 */

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/stat.h>
#include <linux/workqueue.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Joe Lawrence <joe.lawrence@redhat.com>");
MODULE_DESCRIPTION("Buggy module for shadow variable demo");

/* periods, in seconds */
#define ALLOC_PERIOD	1			/* a new dummy every second */
#define CLEANUP_PERIOD	(3 * ALLOC_PERIOD)	/* look for expired ones */
#define EXPIRE_PERIOD	(4 * CLEANUP_PERIOD)	/* a dummy's lifetime */

/* the live dummies, newest first */
static LIST_HEAD(dummy_list);
static DEFINE_MUTEX(dummy_list_mutex);

struct dummy {
	struct list_head list;
	unsigned long jiffies_expire;
};

/* patched by fix1 (dummy_alloc, dummy_free) and fix2 (dummy_check, dummy_free) */
static noinline struct dummy *dummy_alloc(void)
{
	struct dummy *d;
	void *leak;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return NULL;
	d->jiffies_expire = jiffies + msecs_to_jiffies(1000 * EXPIRE_PERIOD);

	/* the bug: this buffer is never stored anywhere, nor freed */
	leak = kzalloc(sizeof(int), GFP_KERNEL);
	if (!leak) {
		kfree(d);
		return NULL;
	}

	pr_info("%s: dummy @ %p, expires @ %lx\n", __func__, d, d->jiffies_expire);
	return d;
}

static noinline void dummy_free(struct dummy *d)
{
	pr_info("%s: dummy @ %p, expired = %lx\n", __func__, d, d->jiffies_expire);
	kfree(d);
}

static noinline bool dummy_check(struct dummy *d, unsigned long jiffies)
{
	return time_after(jiffies, d->jiffies_expire);
}

static void alloc_work_func(struct work_struct *work);
static DECLARE_DELAYED_WORK(alloc_dwork, alloc_work_func);

/* every ALLOC_PERIOD: one more dummy */
static void alloc_work_func(struct work_struct *work)
{
	struct dummy *d;

	d = dummy_alloc();
	if (!d)
		return;

	mutex_lock(&dummy_list_mutex);
	list_add(&d->list, &dummy_list);
	mutex_unlock(&dummy_list_mutex);

	schedule_delayed_work(&alloc_dwork, msecs_to_jiffies(1000 * ALLOC_PERIOD));
}

static void cleanup_work_func(struct work_struct *work);
static DECLARE_DELAYED_WORK(cleanup_dwork, cleanup_work_func);

/* every CLEANUP_PERIOD: free the dummies that have expired */
static void cleanup_work_func(struct work_struct *work)
{
	struct dummy *d, *next;
	unsigned long now = jiffies;

	pr_info("%s: jiffies = %lx\n", __func__, now);

	mutex_lock(&dummy_list_mutex);
	list_for_each_entry_safe(d, next, &dummy_list, list) {
		if (dummy_check(d, now)) {
			list_del(&d->list);
			dummy_free(d);
		}
	}
	mutex_unlock(&dummy_list_mutex);

	schedule_delayed_work(&cleanup_dwork, msecs_to_jiffies(1000 * CLEANUP_PERIOD));
}

static int livepatch_shadow_mod_init(void)
{
	schedule_delayed_work(&alloc_dwork, msecs_to_jiffies(1000 * ALLOC_PERIOD));
	schedule_delayed_work(&cleanup_dwork, msecs_to_jiffies(1000 * CLEANUP_PERIOD));
	return 0;
}

static void livepatch_shadow_mod_exit(void)
{
	struct dummy *d, *next;

	/* stop both work items, waiting for one that is running */
	cancel_delayed_work_sync(&alloc_dwork);
	cancel_delayed_work_sync(&cleanup_dwork);

	/* then free whatever is left, expired or not */
	list_for_each_entry_safe(d, next, &dummy_list, list) {
		list_del(&d->list);
		dummy_free(d);
	}
}

module_init(livepatch_shadow_mod_init);
module_exit(livepatch_shadow_mod_exit);
