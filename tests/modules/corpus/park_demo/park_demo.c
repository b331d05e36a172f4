/* park_demo.c - kthread_park/unpark and wait_event_timeout */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/delay.h>
#include <linux/wait.h>

static struct task_struct *t;
static DECLARE_WAIT_QUEUE_HEAD(wq);
static int ticks;

static int fn(void *data)
{
	while (!kthread_should_stop()) {
		if (kthread_should_park()) {
			pr_info("park_demo: parking after %d ticks\n", ticks);
			kthread_parkme();
			pr_info("park_demo: unparked\n");
		}
		ticks++;
		wake_up(&wq);
		msleep(50);
	}
	return 0;
}

static int __init park_init(void)
{
	long left;

	t = kthread_run(fn, NULL, "park_demo");
	if (IS_ERR(t))
		return PTR_ERR(t);
	left = wait_event_timeout(wq, ticks >= 3, HZ);
	pr_info("park_demo: 3 ticks with %ld jiffies to spare\n", left > 0 ? 1L : 0L);
	kthread_park(t);
	msleep(200);
	pr_info("park_demo: still %s while parked\n", ticks < 6 ? "quiet" : "ticking");
	kthread_unpark(t);
	return 0;
}

static void __exit park_exit(void)
{
	kthread_stop(t);
	pr_info("park_demo: stopped\n");
}

module_init(park_init);
module_exit(park_exit);
MODULE_LICENSE("GPL");
