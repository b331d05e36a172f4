// SPDX-License-Identifier: GPL-2.0
/*
 * irq_demo: an interrupt handler in the style of the tutorials (LKMPG's
 * intrpt.c, LDD3's short): request a line, count interrupts in the handler,
 * defer work to a tasklet, optionally to a handler thread.
 *
 *   irq=N	the line (default 10)
 *   flags=F	request_irq() flags (default IRQF_SHARED)
 *   mode=M	0: plain handler, 1: threaded (IRQ_WAKE_THREAD, thread_fn
 *		sleeps), 2: the handler spins for ever, 3: it faults, 4: it
 *		sleeps, 5: exit forgets free_irq, 6: thread_fn with no primary
 *		handler and no IRQF_ONESHOT, 7: exit frees the line twice,
 *		8: the handler returns IRQ_NONE, 9: a NULL handler with IRQF_ONESHOT,
 *		10: the handler returns a value no irqreturn_t has,
 *		11: request_any_context_irq() and one wake disable too many
 *
 * /proc/irq_demo shows the counts; writing "d" disables the line, "e"
 * enables it.
 */
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

static int irq = 10;
module_param(irq, int, 0444);
static int mode;
module_param(mode, int, 0444);
static unsigned long flags = IRQF_SHARED;
module_param(flags, ulong, 0444);

static int dev_cookie;
static volatile int *bad_ptr;
static int hard_count, thread_count, bh_count, last_in_irq, thread_in_task;

static void bh_fn(unsigned long data)
{
	bh_count++;
	pr_info("irq_demo: bottom half %d (in_softirq %d, in_irq %d)\n", bh_count,
		!!in_softirq(), !!in_irq());
}

static DECLARE_TASKLET(bh, bh_fn, 0);

static irqreturn_t demo_handler(int line, void *dev)
{
	hard_count++;
	last_in_irq = !!in_irq();
	pr_info("irq_demo: interrupt %d on line %d, dev_id %s, in_irq %d in_interrupt %d\n",
		hard_count, line, dev == &dev_cookie ? "ok" : "wrong", !!in_irq(),
		!!in_interrupt());
	switch (mode) {
	case 1:
		return IRQ_WAKE_THREAD;
	case 2:
		for (;;)
			cpu_relax();
	case 3:
		*bad_ptr = 1;
		break;
	case 4:
		msleep(1);
		break;
	case 8:
		return IRQ_NONE;
	case 10:
		return (irqreturn_t)4;
	}
	tasklet_schedule(&bh);
	return IRQ_HANDLED;
}

static irqreturn_t demo_thread(int line, void *dev)
{
	thread_count++;
	thread_in_task = !!in_task();
	pr_info("irq_demo: thread %s runs for line %d (in_task %d)\n", current->comm, line,
		!!in_task());
	msleep(5);
	pr_info("irq_demo: thread done %d\n", thread_count);
	return IRQ_HANDLED;
}

static int demo_show(struct seq_file *m, void *v)
{
	seq_printf(m, "hard %d thread %d bh %d in_irq %d thread_in_task %d\n", hard_count,
		   thread_count, bh_count, last_in_irq, thread_in_task);
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
	if (c == 'd')
		disable_irq(irq);
	else if (c == 'e')
		enable_irq(irq);
	else
		return -EINVAL;
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

static int __init irq_demo_init(void)
{
	int ret;

	if (mode == 1)
		ret = request_threaded_irq(irq, demo_handler, demo_thread, flags, "irq_demo",
					   &dev_cookie);
	else if (mode == 6)
		ret = request_threaded_irq(irq, NULL, demo_thread, flags, "irq_demo", &dev_cookie);
	else if (mode == 9)
		ret = request_threaded_irq(irq, NULL, demo_thread, flags | IRQF_ONESHOT,
					   "irq_demo", &dev_cookie);
	else if (mode == 11) {
		ret = request_any_context_irq(irq, demo_handler, flags, "irq_demo", &dev_cookie);
		pr_info("irq_demo: request_any_context_irq: %d (hardirq %d)\n", ret,
			ret == IRQC_IS_HARDIRQ);
		if (ret >= 0) {
			pr_info("irq_demo: wake %d %d %d\n", enable_irq_wake(irq),
				disable_irq_wake(irq), disable_irq_wake(irq));
			ret = 0;
		}
	} else
		ret = request_irq(irq, demo_handler, flags, "irq_demo", &dev_cookie);
	if (ret) {
		pr_err("irq_demo: can't get IRQ %d: %d\n", irq, ret);
		return ret;
	}
	pr_info("irq_demo: got IRQ %d\n", irq);
	if (!proc_create("irq_demo", 0666, NULL, &demo_fops)) {
		free_irq(irq, &dev_cookie);
		return -ENOMEM;
	}
	return 0;
}

static void __exit irq_demo_exit(void)
{
	remove_proc_entry("irq_demo", NULL);
	if (mode != 5) {
		const char *name = free_irq(irq, &dev_cookie);

		pr_info("irq_demo: freed IRQ %d (%s)\n", irq, name ? name : "NULL");
	}
	if (mode == 7)
		pr_info("irq_demo: second free gives %p\n", free_irq(irq, &dev_cookie));
	tasklet_kill(&bh);
	pr_info("irq_demo: exit after %d interrupts\n", hard_count);
}

module_init(irq_demo_init);
module_exit(irq_demo_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Interrupt lines, threaded handlers, bottom halves");
