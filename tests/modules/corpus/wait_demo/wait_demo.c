/*
 * wait_demo.c - a kernel thread sleeping on a wait queue until something
 * is written to /proc/wait_demo; reading it shows how often it woke.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/wait.h>
#include <linux/proc_fs.h>
#include <linux/uaccess.h>
#include <linux/sched.h>

static DECLARE_WAIT_QUEUE_HEAD(wq);
static int flag;
static int wakeups;
static struct task_struct *waiter;

static int waiter_fn(void *data)
{
	while (!kthread_should_stop()) {
		wait_event_interruptible(wq, flag != 0 || kthread_should_stop());
		if (flag) {
			flag = 0;
			wakeups++;
			pr_info("wait_demo: woken up (%d)\n", wakeups);
		}
	}
	return 0;
}

static ssize_t wait_read(struct file *f, char __user *buf, size_t len, loff_t *off)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "wakeups: %d\n", wakeups);

	return simple_read_from_buffer(buf, len, off, tmp, n);
}

static ssize_t wait_write(struct file *f, const char __user *buf, size_t len, loff_t *off)
{
	flag = 1;
	wake_up_interruptible(&wq);
	return len;
}

static const struct file_operations wait_fops = {
	.owner = THIS_MODULE,
	.read = wait_read,
	.write = wait_write,
};

static int __init wait_demo_init(void)
{
	waiter = kthread_run(waiter_fn, NULL, "wait_demo");
	if (IS_ERR(waiter))
		return PTR_ERR(waiter);
	proc_create("wait_demo", 0666, NULL, &wait_fops);
	return 0;
}

static void __exit wait_demo_exit(void)
{
	remove_proc_entry("wait_demo", NULL);
	kthread_stop(waiter);
	pr_info("wait_demo: %d wakeups\n", wakeups);
}

module_init(wait_demo_init);
module_exit(wait_demo_exit);
MODULE_LICENSE("GPL");
