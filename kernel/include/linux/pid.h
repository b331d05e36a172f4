/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: struct pid, the handle on a process id (kernel/api/pid.py).  One
 * pid namespace; every task is its own thread group.
 */
#ifndef _LINUX_PID_H
#define _LINUX_PID_H

#include <linux/types.h>
#include <linux/atomic.h>

enum pid_type {
	PIDTYPE_PID,
	PIDTYPE_TGID,
	PIDTYPE_PGID,
	PIDTYPE_SID,
	PIDTYPE_MAX,
};

struct pid {
	atomic_t count;
	int nr;
};

struct task_struct;

extern struct pid *find_vpid(int nr);
extern struct pid *find_get_pid(int nr);
extern void put_pid(struct pid *pid);
extern struct task_struct *pid_task(struct pid *pid, enum pid_type type);
extern struct task_struct *get_pid_task(struct pid *pid, enum pid_type type);
extern struct pid *get_task_pid(struct task_struct *task, enum pid_type type);
extern pid_t pid_vnr(struct pid *pid);

static inline struct pid *get_pid(struct pid *pid)
{
	if (pid)
		atomic_inc(&pid->count);
	return pid;
}

static inline pid_t pid_nr(struct pid *pid)
{
	return pid ? pid->nr : 0;
}

#define find_task_by_vpid(nr)	pid_task(find_vpid(nr), PIDTYPE_PID)

/* what 4.19's pid.h pulls in as well */
#include <asm/current.h>
#include <asm/ioctl.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/irqflags.h>
#include <linux/preempt.h>
#include <linux/rculist.h>
#include <linux/time64.h>

#endif /* _LINUX_PID_H */
