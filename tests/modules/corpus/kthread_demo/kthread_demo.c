/*
 * kthread_demo.c - a kernel thread that counts once a second until the
 * module is removed.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/delay.h>
#include <linux/sched/signal.h>

static struct task_struct *thread_st;
static int count;

static int thread_fn(void *unused)
{
	allow_signal(SIGKILL);
	while (!kthread_should_stop()) {
		count++;
		pr_info("kthread_demo: thread %s[%d] running, count %d\n", current->comm,
			current->pid, count);
		ssleep(1);
		if (signal_pending(current))
			break;
	}
	pr_info("kthread_demo: thread stopping\n");
	do_exit(0);
	return 0;
}

static int __init init_thread(void)
{
	pr_info("kthread_demo: creating thread\n");
	thread_st = kthread_run(thread_fn, NULL, "mythread");
	if (IS_ERR(thread_st)) {
		pr_err("kthread_demo: thread creation failed\n");
		return PTR_ERR(thread_st);
	}
	pr_info("kthread_demo: thread created successfully\n");
	return 0;
}

static void __exit cleanup_thread(void)
{
	pr_info("kthread_demo: cleaning up\n");
	if (thread_st) {
		kthread_stop(thread_st);
		pr_info("kthread_demo: thread stopped\n");
	}
}

module_init(init_thread);
module_exit(cleanup_thread);
MODULE_LICENSE("GPL");
