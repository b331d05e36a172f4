// SPDX-License-Identifier: GPL-2.0
/* Starts a kernel thread at init (kthread_run(): kthreadd forks it) and says its pid;
 * the thread returns at once. */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/err.h>

static int fork_kthread_fn(void *data)
{
	return 0;
}

static int __init fork_kthread_init(void)
{
	struct task_struct *t = kthread_run(fork_kthread_fn, NULL, "fork_kthread");

	if (IS_ERR(t))
		return PTR_ERR(t);
	pr_info("fork_kthread: started pid %d\n", task_pid_nr(t));
	return 0;
}

static void __exit fork_kthread_exit(void)
{
}

module_init(fork_kthread_init)
module_exit(fork_kthread_exit)
MODULE_LICENSE("GPL");
