// SPDX-License-Identifier: GPL-2.0
/*
 * Workqueues a driver allocates: max_active, an ordered queue, the legacy
 * single-thread queue and its rescuer, flush, drain on destroy, delayed
 * work on a private queue, and a work item that requeues itself.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/workqueue.h>
#include <linux/delay.h>
#include <linux/sched.h>

struct job {
	struct work_struct work;
	char name;
};

static struct workqueue_struct *wq2, *ordered, *single;
static struct job jobs[6];
static struct work_struct again, last;
static struct delayed_work later;
static int running, overlap, again_runs;
static unsigned long queued_at;

static void job_fn(struct work_struct *work)
{
	struct job *j = container_of(work, struct job, work);

	pr_info("%c start in %s (%d running)\n", j->name, current->comm[8] == 'u' ? "unbound" : "per-cpu",
		++running);
	msleep(10);
	running--;
	pr_info("%c end\n", j->name);
}

static void again_fn(struct work_struct *work)
{
	if (running)
		overlap = 1;
	running++;
	again_runs++;
	if (again_runs < 3)
		queue_work(wq2, &again);	/* requeued while it runs: runs again after */
	msleep(5);
	running--;
}

static void last_fn(struct work_struct *work)
{
	msleep(30);
	pr_info("last ran before destroy returned\n");
}

static void later_fn(struct work_struct *work)
{
	pr_info("delayed work ran %u ms after mod_delayed_work\n", jiffies_to_msecs(jiffies - queued_at));
}

static int __init wq_demo_init(void)
{
	int i, a, b;

	wq2 = alloc_workqueue("wq_demo_%d", WQ_MEM_RECLAIM, 2, 7);
	ordered = alloc_ordered_workqueue("wq_demo_ord", 0);
	single = create_singlethread_workqueue("wq_demo_st");
	if (!wq2 || !ordered || !single)
		return -ENOMEM;
	for (i = 0; i < 6; i++) {
		INIT_WORK(&jobs[i].work, job_fn);
		jobs[i].name = 'A' + i;
	}
	pr_info("max_active 2:\n");
	for (i = 0; i < 3; i++)
		queue_work(wq2, &jobs[i].work);
	a = queue_work(wq2, &jobs[0].work);
	b = work_pending(&jobs[2].work);
	pr_info("queue again while pending=%d, pending=%d\n", a, b);
	flush_workqueue(wq2);
	pr_info("flushed: pending=%d busy=%u\n", work_pending(&jobs[2].work), work_busy(&jobs[2].work));
	pr_info("ordered:\n");
	for (i = 3; i < 6; i++)
		queue_work(ordered, &jobs[i].work);
	flush_workqueue(ordered);

	INIT_WORK(&again, again_fn);
	queue_work(wq2, &again);
	flush_work(&again);
	msleep(50);
	pr_info("requeued work ran %d times, overlapped=%d\n", again_runs, overlap);

	INIT_DELAYED_WORK(&later, later_fn);
	queue_delayed_work(wq2, &later, msecs_to_jiffies(500));
	queued_at = jiffies;
	a = mod_delayed_work(wq2, &later, msecs_to_jiffies(100));
	pr_info("mod_delayed_work of a pending work: %d\n", a);
	msleep(200);
	return 0;
}

static void __exit wq_demo_exit(void)
{
	INIT_WORK(&last, last_fn);
	queue_work(single, &last);
	destroy_workqueue(single);
	cancel_delayed_work_sync(&later);
	destroy_workqueue(ordered);
	destroy_workqueue(wq2);
	pr_info("destroyed\n");
}

module_init(wq_demo_init);
module_exit(wq_demo_exit);
MODULE_LICENSE("GPL");
