// SPDX-License-Identifier: GPL-2.0
/*
 * Faults on request, for the x86-64 fault reports and the machine's memory protections.
 *
 *   fault=   what goes wrong (none, null, read, gp, write_text, write_rodata, write_kernel,
 *            exec_data, exec_heap, div0, int3, int80, ud2, recurse, below_stack, hog,
 *            panic)
 *   ctx=     where: init (default), work (a kworker), timer (softirq), exit
 *   addr=    the address fault=read reads
 *   depth=   how deep fault=recurse recurses
 *   leave_timer=1  arm a timer at init and leave it armed when the module goes
 *   leave_proc=1   create /proc/faults at init and leave it when the module goes
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

static char *fault = "none";
module_param(fault, charp, 0444);
MODULE_PARM_DESC(fault, "what goes wrong");
static char *ctx = "init";
module_param(ctx, charp, 0444);
MODULE_PARM_DESC(ctx, "where it goes wrong: init, work, timer, exit");
static unsigned long addr = 0xffffc90000123456UL;
module_param(addr, ulong, 0444);
static int depth = 3000;
module_param(depth, int, 0444);
static int leave_timer;
module_param(leave_timer, int, 0444);
static int leave_proc;
module_param(leave_proc, int, 0444);

struct three { long a, b, c; };
static struct three *null_three;
static const char rodata_msg[] = "read-only";
static unsigned char data_code[16] = { 0xc3 };	/* ret */
static struct timer_list fault_timer, stale_timer;
static struct work_struct fault_work;

static noinline int recurse(int n)
{
	volatile char pad[64];

	pad[0] = (char)n;
	if (n <= 0)
		return pad[0];
	return recurse(n - 1) + pad[0];
}

static noinline int do_fault(const char *where)
{
	pr_info("%s: %s\n", where, fault);
	if (!strcmp(fault, "null"))
		return (int)READ_ONCE(null_three->c);
	if (!strcmp(fault, "read"))
		return (int)*(volatile long *)addr;
	if (!strcmp(fault, "gp"))
		return (int)*(volatile long *)0xdead000000000100UL;
	if (!strcmp(fault, "write_text"))
		*(volatile unsigned char *)do_fault = 0xc3;
	if (!strcmp(fault, "write_rodata"))
		*(volatile char *)rodata_msg = 'R';
	if (!strcmp(fault, "write_kernel"))
		*(volatile unsigned char *)printk = 0xc3;
	if (!strcmp(fault, "exec_data"))
		((void (*)(void))data_code)();
	if (!strcmp(fault, "exec_heap")) {
		unsigned char *p = kmalloc(16, GFP_KERNEL);

		if (p) {
			p[0] = 0xc3;
			((void (*)(void))p)();
		}
	}
	if (!strcmp(fault, "div0")) {
		volatile int zero = 0;

		return 100 / zero;
	}
	if (!strcmp(fault, "int3"))
		asm volatile("int3");
	if (!strcmp(fault, "int80"))
		asm volatile("int $0x80");
	if (!strcmp(fault, "ud2"))
		asm volatile("ud2");
	if (!strcmp(fault, "recurse"))
		return recurse(depth);
	if (!strcmp(fault, "below_stack")) {
		/* a read one THREAD_SIZE (16 KiB on x86-64) below a local: the guard page under
		 * this shallow stack, while the stack pointer still has room */
		volatile char here = 0;

		return *(&here - 16 * 1024);
	}
	if (!strcmp(fault, "hog")) {
		void **blocks = kmalloc(8192 * sizeof(void *), GFP_KERNEL);
		int n = 0, i;

		if (!blocks)
			return -ENOMEM;
		while (n < 8192 && (blocks[n] = kmalloc(65536, GFP_KERNEL)))
			n++;
		for (i = 0; i < n; i++)
			kfree(blocks[i]);
		kfree(blocks);
		pr_info("hog: %d blocks of 64 KiB, all freed\n", n);
	}
	if (!strcmp(fault, "panic"))
		panic("faults: panic requested in %s", where);
	pr_info("%s: survived\n", where);
	return 0;
}

static void fault_timer_fn(struct timer_list *t)
{
	do_fault("timer");
}

static void stale_timer_fn(struct timer_list *t)
{
	pr_info("stale timer fired\n");
	mod_timer(&stale_timer, jiffies + HZ);
}

static void fault_work_fn(struct work_struct *w)
{
	do_fault("work");
}

static int faults_show(struct seq_file *m, void *v)
{
	seq_puts(m, "faults\n");
	return 0;
}

static int __init faults_init(void)
{
	if (leave_timer) {
		timer_setup(&stale_timer, stale_timer_fn, 0);
		mod_timer(&stale_timer, jiffies + HZ);
	}
	if (leave_proc)
		proc_create_single("faults", 0444, NULL, faults_show);
	if (!strcmp(ctx, "work")) {
		INIT_WORK(&fault_work, fault_work_fn);
		schedule_work(&fault_work);
	} else if (!strcmp(ctx, "timer")) {
		timer_setup(&fault_timer, fault_timer_fn, 0);
		mod_timer(&fault_timer, jiffies + 1);
	} else if (!strcmp(ctx, "init")) {
		return do_fault("init") < 0 ? -EINVAL : 0;
	}
	return 0;
}

static void __exit faults_exit(void)
{
	if (!strcmp(ctx, "exit"))
		do_fault("exit");
	if (!strcmp(ctx, "work"))
		cancel_work_sync(&fault_work);
	if (!strcmp(ctx, "timer"))
		del_timer_sync(&fault_timer);
	/* leave_timer, leave_proc: left behind on purpose (a use after free) */
}

module_init(faults_init);
module_exit(faults_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Faults on request");
