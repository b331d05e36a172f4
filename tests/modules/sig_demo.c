// SPDX-License-Identifier: GPL-2.0
/*
 * Signals as tutorial modules use them on 4.19: a kernel thread that allows
 * SIGUSR1 and SIGTERM, takes each with kernel_dequeue_signal() and ends on
 * SIGTERM (kthread_stop() then gets its code), and a /proc file whose read
 * signals the reader (send_sig) or tells what the reader has pending,
 * blocked or masked with sigprocmask(), or fails with -EINTR.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/proc_fs.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

static struct task_struct *worker;
static DECLARE_WAIT_QUEUE_HEAD(worker_wq);
static int mode;
module_param(mode, int, 0644);

static int sig_worker(void *data)
{
	siginfo_t info;
	int sig;

	allow_signal(SIGUSR1);
	allow_signal(SIGTERM);
	pr_info("worker %d: ignores SIGINT: %d\n", current->pid,
		current->sighand->action[SIGINT - 1].sa.sa_handler == SIG_IGN);
	while (!kthread_should_stop()) {
		if (wait_event_interruptible(worker_wq, kthread_should_stop()))
			pr_info("worker: woken by a signal, pending %d\n", signal_pending(current));
		while ((sig = kernel_dequeue_signal(&info)) != 0) {
			pr_info("worker: took signal %d (code %d, from pid %d)\n", sig,
				info.si_code, info.si_pid);
			if (sig == SIGTERM) {
				pr_info("worker: ends on SIGTERM, pending %d\n", signal_pending(current));
				return 3;
			}
		}
	}
	pr_info("worker: stopped\n");
	return 0;
}

static ssize_t sig_read(struct file *file, char __user *buf, size_t len, loff_t *off)
{
	char text[96];
	sigset_t set, old;
	int n;

	if (*off)
		return 0;
	switch (mode) {
	case 1:		/* the reader is told to go away */
		send_sig(SIGUSR1, current, 0);
		return -EINTR;
	case 2:		/* a blocked signal stays pending, and does not interrupt */
		siginitset(&set, sigmask(SIGUSR2));
		sigprocmask(SIG_BLOCK, &set, &old);
		send_sig(SIGUSR2, current, 0);
		n = scnprintf(text, sizeof(text), "pending %d blocked %d signal_pending %d\n",
			      sigismember(&current->pending.signal, SIGUSR2),
			      sigismember(&current->blocked, SIGUSR2), signal_pending(current));
		flush_signals(current);
		sigprocmask(SIG_SETMASK, &old, NULL);
		break;
	case 3:		/* a signal it ignores (SIGCHLD) is not even queued */
		send_sig(SIGCHLD, current, 0);
		n = scnprintf(text, sizeof(text), "signal_pending %d\n", signal_pending(current));
		break;
	case 4:		/* interrupted, but the signal is gone: the reader sees EINTR */
		send_sig(SIGUSR1, current, 0);
		flush_signals(current);
		return -EINTR;
	default:
		n = scnprintf(text, sizeof(text), "worker %d\n", worker ? worker->pid : -1);
	}
	if (copy_to_user(buf, text, n))
		return -EFAULT;
	*off += n;
	return n;
}

static const struct file_operations sig_fops = {
	.owner = THIS_MODULE,
	.read = sig_read,
};

static int __init sig_demo_init(void)
{
	worker = kthread_run(sig_worker, NULL, "sigworker");
	if (IS_ERR(worker))
		return PTR_ERR(worker);
	get_task_struct(worker);
	if (!proc_create("sig_demo", 0444, NULL, &sig_fops)) {
		kthread_stop(worker);
		put_task_struct(worker);
		return -ENOMEM;
	}
	return 0;
}

static void __exit sig_demo_exit(void)
{
	remove_proc_entry("sig_demo", NULL);
	pr_info("kthread_stop: %d\n", kthread_stop(worker));
	put_task_struct(worker);
}

module_init(sig_demo_init);
module_exit(sig_demo_exit);
MODULE_LICENSE("GPL");
