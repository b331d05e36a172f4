// SPDX-License-Identifier: GPL-2.0
/*
 * tasklet_demo: tasklets as LKMPG's example_tasklet.c uses them, and what
 * the rest of the API does: scheduling twice before the softirq runs runs the
 * function once, a disabled tasklet waits for tasklet_enable(), a hi tasklet,
 * and bottom halves disabled around a schedule.  /proc/tasklet_demo schedules
 * on a write ("1": one, "2": twice, "d": disabled then enabled a jiffy later
 * by a timer, "s": one that sleeps, "f": one that faults, "x": a disabled one
 * nobody enables or kills, "m": one that busy-waits while the writer busy-waits
 * too) and shows the counts.
 */
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/timer.h>
#include <linux/uaccess.h>

static int runs, hi_runs, last_in_softirq, last_in_irq, last_in_task;
static unsigned long last_data;

static void tasklet_fn(unsigned long data)
{
	runs++;
	last_data = data;
	last_in_softirq = !!in_softirq();
	last_in_irq = !!in_irq();
	last_in_task = !!in_task();
	pr_info("tasklet_demo: tasklet %lu runs: in_softirq %d in_interrupt %d\n",
		data, !!in_softirq(), !!in_interrupt());
}

static void hi_fn(unsigned long data)
{
	hi_runs++;
	pr_info("tasklet_demo: hi tasklet runs (%lu)\n", data);
}

static void sleepy_fn(unsigned long data)
{
	pr_info("tasklet_demo: sleepy tasklet sleeps\n");
	msleep(10);
	pr_info("tasklet_demo: sleepy tasklet woke\n");
}

static void bad_fn(unsigned long data)
{
	pr_info("tasklet_demo: bad tasklet writes to %lx\n", data);
	*(volatile int *)data = 1;
}

static void slow_fn(unsigned long data)
{
	pr_info("tasklet_demo: slow tasklet starts\n");
	mdelay(50);
	pr_info("tasklet_demo: slow tasklet ends\n");
}

static DECLARE_TASKLET(mytask, tasklet_fn, 42);
static DECLARE_TASKLET(slow, slow_fn, 0);
static DECLARE_TASKLET(badtask, bad_fn, 0);
static DECLARE_TASKLET_DISABLED(offtask, tasklet_fn, 7);
static DECLARE_TASKLET(hitask, hi_fn, 3);
static DECLARE_TASKLET(sleepy, sleepy_fn, 0);
static struct tasklet_struct dyn;
static struct timer_list enabler;

static void enable_fn(struct timer_list *t)
{
	pr_info("tasklet_demo: timer enables the tasklet (in_interrupt %d)\n", !!in_interrupt());
	tasklet_enable(&offtask);
}

static int demo_show(struct seq_file *m, void *v)
{
	seq_printf(m, "runs %d hi %d data %lu softirq %d irq %d task %d now_in_task %d\n",
		   runs, hi_runs, last_data, last_in_softirq, last_in_irq,
		   last_in_task, !!in_task());
	return 0;
}

static int demo_open(struct inode *inode, struct file *file)
{
	return single_open(file, demo_show, NULL);
}

static ssize_t demo_write(struct file *file, const char __user *buf, size_t len, loff_t *off)
{
	char c;

	if (len < 1 || get_user(c, buf))
		return -EFAULT;
	switch (c) {
	case '1':
		tasklet_schedule(&dyn);
		break;
	case '2':
		tasklet_schedule(&dyn);
		tasklet_schedule(&dyn);
		break;
	case 'b':
		local_bh_disable();
		tasklet_schedule(&dyn);
		pr_info("tasklet_demo: bh disabled: in_softirq %d, runs %d\n", !!in_softirq(), runs);
		local_bh_enable();
		pr_info("tasklet_demo: bh enabled: runs %d\n", runs);
		break;
	case 'd':
		tasklet_schedule(&offtask);
		tasklet_hi_schedule(&hitask);
		mod_timer(&enabler, jiffies + 5);
		break;
	case 's':
		tasklet_schedule(&sleepy);
		break;
	case 'f':
		tasklet_schedule(&badtask);
		break;
	case 'x':
		tasklet_schedule(&offtask);
		break;
	case 'm':
		tasklet_schedule(&slow);
		mdelay(5);
		pr_info("tasklet_demo: writer continues\n");
		break;
	default:
		return -EINVAL;
	}
	return len;
}

static const struct file_operations demo_fops = {
	.owner = THIS_MODULE,
	.open = demo_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = demo_write,
};

static int __init tasklet_demo_init(void)
{
	pr_info("tasklet_demo: init, in_task %d\n", !!in_task());
	tasklet_init(&dyn, tasklet_fn, 1);
	timer_setup(&enabler, enable_fn, 0);
	tasklet_schedule(&mytask);
	pr_info("tasklet_demo: scheduled, runs %d\n", runs);
	if (!proc_create("tasklet_demo", 0666, NULL, &demo_fops))
		return -ENOMEM;
	return 0;
}

static void __exit tasklet_demo_exit(void)
{
	remove_proc_entry("tasklet_demo", NULL);
	del_timer_sync(&enabler);
	tasklet_schedule(&mytask);
	tasklet_kill(&mytask);		/* waits for it to run */
	tasklet_kill(&dyn);
	tasklet_kill(&hitask);
	tasklet_kill(&sleepy);
	pr_info("tasklet_demo: exit, runs %d\n", runs);
}

module_init(tasklet_demo_init);
module_exit(tasklet_demo_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Tasklets and softirq context");
