/*
 * workqueue_demo.c - a work item on the system workqueue, and delayed work
 * on a workqueue of our own.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/workqueue.h>
#include <linux/slab.h>

static struct workqueue_struct *my_wq;

struct my_work {
	struct work_struct work;
	int x;
};

static void my_wq_function(struct work_struct *work)
{
	struct my_work *w = container_of(work, struct my_work, work);

	pr_info("workqueue_demo: my_work.x %d\n", w->x);
	kfree(w);
}

static void delayed_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(my_delayed, delayed_fn);
static int delayed_runs;

static void delayed_fn(struct work_struct *work)
{
	delayed_runs++;
	pr_info("workqueue_demo: delayed work run %d\n", delayed_runs);
	if (delayed_runs < 3)
		queue_delayed_work(my_wq, &my_delayed, HZ / 2);
}

static int __init wq_init(void)
{
	struct my_work *work;

	my_wq = create_singlethread_workqueue("my_queue");
	if (!my_wq)
		return -ENOMEM;
	work = kmalloc(sizeof(*work), GFP_KERNEL);
	if (!work) {
		destroy_workqueue(my_wq);
		return -ENOMEM;
	}
	INIT_WORK(&work->work, my_wq_function);
	work->x = 1;
	schedule_work(&work->work);
	queue_delayed_work(my_wq, &my_delayed, HZ / 2);
	pr_info("workqueue_demo: queued\n");
	return 0;
}

static void __exit wq_exit(void)
{
	cancel_delayed_work_sync(&my_delayed);
	flush_workqueue(my_wq);
	destroy_workqueue(my_wq);
	pr_info("workqueue_demo: %d delayed runs\n", delayed_runs);
}

module_init(wq_init);
module_exit(wq_exit);
MODULE_LICENSE("GPL");
