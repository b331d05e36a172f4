/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: the task_struct reference helpers of 4.19's linux/sched/task.h.
 * The count is the Python kernel's (kernel/api/task.py): a task_struct a
 * module holds stays allocated after its task exits until the last
 * put_task_struct().
 */
#ifndef _LINUX_SCHED_TASK_H
#define _LINUX_SCHED_TASK_H

#include <linux/sched.h>

struct task_struct;

extern struct task_struct *get_task_struct(struct task_struct *t);
extern void put_task_struct(struct task_struct *t);
extern struct task_struct init_task;

#endif /* _LINUX_SCHED_TASK_H */
