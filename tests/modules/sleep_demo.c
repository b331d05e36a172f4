// SPDX-License-Identifier: GPL-2.0
/*
 * A /proc file that makes its users sleep, as LKMPG's sleep.c does on 4.x:
 * only one process may have it open (the others wait in open(), or get
 * -EAGAIN with O_NONBLOCK), and a read waits until something was written.
 * Both waits are interruptible; after the one in open() the module looks at
 * the signal bits itself (current->pending against current->blocked) and
 * gives -EINTR, as the tutorial does.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/fs.h>

#define MSG_MAX 80

static DECLARE_WAIT_QUEUE_HEAD(open_wq);
static DECLARE_WAIT_QUEUE_HEAD(data_wq);
static atomic_t holders = ATOMIC_INIT(0);
static char msg[MSG_MAX];
static int msg_len;

static int sleep_open(struct inode *inode, struct file *file)
{
	if ((file->f_flags & O_NONBLOCK) && atomic_read(&holders))
		return -EAGAIN;
	while (atomic_cmpxchg(&holders, 0, 1) != 0) {
		int i, sig = 0;

		pr_info("%s (pid %d) waits for the file\n", current->comm, current->pid);
		wait_event_interruptible(open_wq, !atomic_read(&holders));
		for (i = 0; i < _NSIG_WORDS && !sig; i++)
			sig = current->pending.signal.sig[i] & ~current->blocked.sig[i];
		if (sig) {
			pr_info("%s (pid %d): open interrupted by a signal\n", current->comm,
				current->pid);
			return -EINTR;
		}
	}
	return 0;
}

static int sleep_release(struct inode *inode, struct file *file)
{
	atomic_set(&holders, 0);
	wake_up_interruptible(&open_wq);
	return 0;
}

static ssize_t sleep_read(struct file *file, char __user *buf, size_t len, loff_t *off)
{
	int n;

	if (*off)
		return 0;
	if (!msg_len && (file->f_flags & O_NONBLOCK))
		return -EAGAIN;
	if (wait_event_interruptible(data_wq, msg_len > 0)) {
		pr_info("%s (pid %d): read interrupted, signal pending %d\n", current->comm,
			current->pid, signal_pending(current));
		return -ERESTARTSYS;
	}
	n = min_t(int, len, msg_len);
	if (copy_to_user(buf, msg, n))
		return -EFAULT;
	*off += n;
	return n;
}

static ssize_t sleep_write(struct file *file, const char __user *buf, size_t len, loff_t *off)
{
	size_t n = min_t(size_t, len, MSG_MAX);

	if (copy_from_user(msg, buf, n))
		return -EFAULT;
	msg_len = n;
	wake_up_interruptible(&data_wq);
	return len;
}

static const struct file_operations sleep_fops = {
	.owner = THIS_MODULE,
	.open = sleep_open,
	.read = sleep_read,
	.write = sleep_write,
	.release = sleep_release,
};

static int __init sleep_demo_init(void)
{
	if (!proc_create("sleep_demo", 0666, NULL, &sleep_fops))
		return -ENOMEM;
	return 0;
}

static void __exit sleep_demo_exit(void)
{
	remove_proc_entry("sleep_demo", NULL);
}

module_init(sleep_demo_init);
module_exit(sleep_demo_exit);
MODULE_LICENSE("GPL");
