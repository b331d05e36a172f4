// SPDX-License-Identifier: GPL-2.0
/*
 * A device a reader may poll, as LDD3's scull pipe is polled: readable
 * (POLLIN | POLLRDNORM) when it holds data, writable (POLLOUT | POLLWRNORM)
 * while it has room.  A read without data sleeps (or -EAGAIN with
 * O_NONBLOCK); writing "later" fills it from a timer a second on, which
 * wakes a poller asleep on the device's wait queue.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/timer.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#define SIZE 16

static DECLARE_WAIT_QUEUE_HEAD(poll_wq);
static char data[SIZE];
static int len;
static int polls;
static struct timer_list fill_timer;

static void fill(struct timer_list *t)
{
	len = scnprintf(data, SIZE, "tick\n");
	pr_info("timer filled %d bytes\n", len);
	wake_up_interruptible(&poll_wq);
}

static __poll_t poll_demo_poll(struct file *file, poll_table *wait)
{
	__poll_t mask = 0;

	polls++;
	poll_wait(file, &poll_wq, wait);
	if (len)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (len < SIZE)
		mask |= EPOLLOUT | EPOLLWRNORM;
	pr_info("poll %d by %s: waits %d, mask %#x\n", polls, current->comm,
		!poll_does_not_wait(wait), mask);
	return mask;
}

static ssize_t poll_demo_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	int n;

	while (!len) {
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(poll_wq, len))
			return -ERESTARTSYS;
	}
	n = min_t(int, count, len);
	if (copy_to_user(buf, data, n))
		return -EFAULT;
	len = 0;
	wake_up_interruptible(&poll_wq);
	return n;
}

static ssize_t poll_demo_write(struct file *file, const char __user *buf, size_t count,
			       loff_t *ppos)
{
	char word[8] = "";

	if (count >= 5 && !copy_from_user(word, buf, 5) && !strncmp(word, "later", 5)) {
		mod_timer(&fill_timer, jiffies + HZ);
		return count;
	}
	if (len + count > SIZE)
		return -ENOSPC;
	if (copy_from_user(data + len, buf, count))
		return -EFAULT;
	len += count;
	wake_up_interruptible(&poll_wq);
	return count;
}

static const struct file_operations poll_demo_fops = {
	.owner = THIS_MODULE,
	.read = poll_demo_read,
	.write = poll_demo_write,
	.poll = poll_demo_poll,
	.llseek = noop_llseek,
};

static struct miscdevice poll_demo_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "poll_demo",
	.fops = &poll_demo_fops,
	.mode = 0666,
};

static int __init poll_demo_init(void)
{
	timer_setup(&fill_timer, fill, 0);
	return misc_register(&poll_demo_dev);
}

static void __exit poll_demo_exit(void)
{
	del_timer_sync(&fill_timer);
	misc_deregister(&poll_demo_dev);
}

module_init(poll_demo_init);
module_exit(poll_demo_exit);
MODULE_LICENSE("GPL");
