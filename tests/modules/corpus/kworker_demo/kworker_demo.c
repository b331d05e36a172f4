/*
 * kworker_demo.c - kthread_worker API: a dedicated worker thread, works and delayed works
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/err.h>

static struct kthread_worker *worker;
static struct kthread_work work;
static struct kthread_delayed_work dwork;
static int runs;

static void work_fn(struct kthread_work *w)
{
	runs++;
	pr_info("kworker_demo: work in %s, run %d\n", current->comm, runs);
}

static void dwork_fn(struct kthread_work *w)
{
	pr_info("kworker_demo: delayed work in %s\n", current->comm);
}

static int __init kw_init(void)
{
	worker = kthread_create_worker(0, "demo_worker");
	if (IS_ERR(worker))
		return PTR_ERR(worker);
	kthread_init_work(&work, work_fn);
	kthread_init_delayed_work(&dwork, dwork_fn);
	kthread_queue_work(worker, &work);
	kthread_flush_work(&work);
	kthread_queue_work(worker, &work);
	kthread_queue_delayed_work(worker, &dwork, msecs_to_jiffies(300));
	kthread_flush_worker(worker);
	pr_info("kworker_demo: init done, runs=%d\n", runs);
	return 0;
}

static void __exit kw_exit(void)
{
	kthread_cancel_delayed_work_sync(&dwork);
	kthread_destroy_worker(worker);
	pr_info("kworker_demo: exit, runs=%d\n", runs);
}

module_init(kw_init);
module_exit(kw_exit);
MODULE_LICENSE("GPL");
