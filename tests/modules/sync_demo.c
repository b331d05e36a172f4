// SPDX-License-Identifier: GPL-2.0
/*
 * An ordinary module in the style of many out-of-tree drivers: a kthread
 * that waits on a wait queue, a completion signalled from a work item, a
 * delayed work, a timer, a mutex-protected list of kmalloc'ed entries.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/slab.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/timer.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/wait.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/sched.h>

struct item {
	struct list_head node;
	int id;
	char *name;
};

static LIST_HEAD(items);
static DEFINE_MUTEX(items_lock);
static DEFINE_SPINLOCK(counter_lock);
static unsigned long counter;

static DECLARE_WAIT_QUEUE_HEAD(wq);
static int wake_flag;
static DECLARE_COMPLETION(work_done);
static struct completion thread_done;
static struct task_struct *worker;
static struct work_struct add_work;
static struct delayed_work late_work;
static struct timer_list tick;
static int ticks;

static void add_item(int id, const char *name)
{
	struct item *it = kzalloc(sizeof(*it), GFP_KERNEL);

	if (!it)
		return;
	it->id = id;
	it->name = kstrdup(name, GFP_KERNEL);
	mutex_lock(&items_lock);
	list_add_tail(&it->node, &items);
	mutex_unlock(&items_lock);
}

static void add_work_fn(struct work_struct *work)
{
	add_item(2, "from-work");
	pr_info("work ran in %s\n", current->comm[0] == 'k' ? "a kworker" : current->comm);
	complete(&work_done);
}

static void late_work_fn(struct work_struct *work)
{
	pr_info("delayed work ran\n");
	wake_flag = 1;
	wake_up(&wq);
}

static void tick_fn(struct timer_list *t)
{
	unsigned long flags;

	spin_lock_irqsave(&counter_lock, flags);
	counter++;
	spin_unlock_irqrestore(&counter_lock, flags);
	if (++ticks < 3)
		mod_timer(&tick, jiffies + msecs_to_jiffies(100));
}

static int thread_fn(void *data)
{
	long left;

	pr_info("thread %s started, data=%d\n", current->comm, *(int *)data);
	left = wait_event_interruptible_timeout(wq, wake_flag, msecs_to_jiffies(5000));
	pr_info("thread woke: flag=%d left>0=%d\n", wake_flag, left > 0);
	complete(&thread_done);
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		schedule_timeout(HZ);
	}
	__set_current_state(TASK_RUNNING);
	pr_info("thread stopping\n");
	return 42;
}

static int arg = 7;

static int __init sync_demo_init(void)
{
	unsigned long t0 = jiffies;
	unsigned long r;

	init_completion(&thread_done);
	add_item(1, "from-init");
	INIT_WORK(&add_work, add_work_fn);
	INIT_DELAYED_WORK(&late_work, late_work_fn);
	timer_setup(&tick, tick_fn, 0);
	mod_timer(&tick, jiffies + msecs_to_jiffies(100));

	worker = kthread_run(thread_fn, &arg, "sync_demo/%d", 0);
	if (IS_ERR(worker))
		return PTR_ERR(worker);

	schedule_work(&add_work);
	wait_for_completion(&work_done);
	pr_info("work completion seen, done=%d\n", completion_done(&work_done));

	r = wait_for_completion_timeout(&thread_done, msecs_to_jiffies(50));
	pr_info("thread not done yet: %lu\n", r);
	schedule_delayed_work(&late_work, msecs_to_jiffies(200));
	r = wait_for_completion_timeout(&thread_done, msecs_to_jiffies(1000));
	pr_info("thread done: %d after ~%u ms\n", r > 0, jiffies_to_msecs(jiffies - t0) / 100 * 100);
	msleep(500);
	pr_info("timer ticked %lu times\n", counter);
	return 0;
}

static void __exit sync_demo_exit(void)
{
	struct item *it, *tmp;
	int ret;

	del_timer_sync(&tick);
	cancel_delayed_work_sync(&late_work);
	flush_work(&add_work);
	ret = kthread_stop(worker);
	pr_info("kthread_stop returned %d\n", ret);
	mutex_lock(&items_lock);
	list_for_each_entry_safe(it, tmp, &items, node) {
		pr_info("item %d %s\n", it->id, it->name);
		list_del(&it->node);
		kfree(it->name);
		kfree(it);
	}
	mutex_unlock(&items_lock);
	pr_info("list empty: %d\n", list_empty(&items));
}

module_init(sync_demo_init);
module_exit(sync_demo_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kthreads, completions, wait queues, works and timers");
