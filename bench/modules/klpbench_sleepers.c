// SPDX-License-Identifier: GPL-2.0
/*
 * klpbench_sleepers.c - kernel threads that sleep in guest code, for bench_transition.py.
 *
 * Each of the nr threads sleeps in klpbench_sleep(), a function no livepatch patches, so a
 * transition must walk its stack (frame pointers through schedule_timeout) and may switch it.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/err.h>

#define MAX_SLEEPERS 4096

static int nr = 100;
module_param(nr, int, 0444);
MODULE_PARM_DESC(nr, "threads to start (at most 4096)");

static struct task_struct *sleepers[MAX_SLEEPERS];
static int started;

static noinline int klpbench_sleep(void *data)
{
	while (!kthread_should_stop())
		schedule_timeout_interruptible(3600 * HZ);
	return 0;
}

static int klpbench_init(void)
{
	int i;

	for (i = 0; i < nr && i < MAX_SLEEPERS; i++) {
		struct task_struct *t = kthread_run(klpbench_sleep, NULL, "klpbench/%d", i);

		if (IS_ERR(t))
			break;
		sleepers[started++] = t;
	}
	pr_info("%d sleeping threads\n", started);
	return 0;
}

static void klpbench_exit(void)
{
	while (started > 0)
		kthread_stop(sleepers[--started]);
}

module_init(klpbench_init);
module_exit(klpbench_exit);
MODULE_LICENSE("GPL");
