// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: swapper/0, the first task and the head of the task list.
 * The Python scheduler fills it in at boot (kernel/fork.py).
 */
#include <linux/sched.h>
#include <linux/export.h>

struct task_struct init_task = {
	.comm = "swapper/0",
	.tasks = LIST_HEAD_INIT(init_task.tasks),
	.real_parent = &init_task,
	.parent = &init_task,
	.prio = 120,
	.static_prio = 120,
	.normal_prio = 120,
};
EXPORT_SYMBOL(init_task);
