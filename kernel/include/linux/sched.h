/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: tasks.  struct task_struct holds only what guest code and the
 * livepatch consistency model need; its layout is shared with the Python
 * scheduler (kernel/ABI.md, kernel/abi.py TaskStruct), which implements
 * every function declared here.
 */
#ifndef _LINUX_SCHED_H
#define _LINUX_SCHED_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/jiffies.h>
#include <linux/preempt.h>
#include <asm/current.h>
#include <asm/processor.h>
#include <linux/signal_types.h>

#define TASK_COMM_LEN	16

struct task_struct {
	volatile long	state;		/* TASK_* below; -1 unrunnable, 0 runnable */
	void		*stack;
	int		patch_state;	/* KLP_UNDEFINED, KLP_UNPATCHED or KLP_PATCHED */
	pid_t		pid;
	pid_t		tgid;
	char		comm[TASK_COMM_LEN];
	unsigned int	flags;		/* PF_* below */
	struct list_head tasks;		/* init_task.tasks: every task (for_each_process) */
	struct task_struct *real_parent;
	struct task_struct *parent;
	void		*mm;		/* NULL for kernel threads */
	void		*active_mm;
	int		prio;
	int		static_prio;
	int		normal_prio;
	unsigned int	rt_priority;
	int		exit_code;
	int		exit_signal;
	const struct cred *real_cred;	/* linux/cred.h: init_cred for every task */
	const struct cred *cred;
	unsigned long	nvcsw;		/* context switch counts: voluntary, */
	unsigned long	nivcsw;		/* and involuntary (preempted) */
	u64		start_time;	/* monotonic time in nsecs at fork */
	u64		real_start_time; /* boot based time in nsecs at fork */
	unsigned long	min_flt;	/* page faults: minor, */
	unsigned long	maj_flt;	/* and major (no block I/O here: 0) */
	struct list_head children;	/* list of my children */
	struct list_head sibling;	/* linkage in my parent's children list */
	struct task_struct *group_leader; /* threadgroup leader */

	/* signals (4.19's order; linux/sched/signal.h has the two structs) */
	struct signal_struct	*signal;
	struct sighand_struct	*sighand;
	sigset_t		blocked;
	sigset_t		real_blocked;
	sigset_t		saved_sigmask;	/* restored if set_restore_sigmask() was used */
	struct sigpending	pending;
	unsigned long		sas_ss_sp;
	size_t			sas_ss_size;
	unsigned int		sas_ss_flags;

	/* CPU-specific state of this task (last, as in 4.19) */
	struct thread_struct	thread;
};

struct cred;
struct signal_struct;
struct sighand_struct;

extern struct task_struct init_task;	/* swapper/0, the head of the task list */

/* nice values and priorities (linux/sched/prio.h) */
#define MAX_NICE		19
#define MIN_NICE		-20
#define NICE_WIDTH		(MAX_NICE - MIN_NICE + 1)
#define MAX_USER_RT_PRIO	100
#define MAX_RT_PRIO		MAX_USER_RT_PRIO
#define MAX_PRIO		(MAX_RT_PRIO + NICE_WIDTH)
#define DEFAULT_PRIO		(MAX_RT_PRIO + NICE_WIDTH / 2)
#define NICE_TO_PRIO(nice)	((nice) + DEFAULT_PRIO)
#define PRIO_TO_NICE(prio)	((prio) - DEFAULT_PRIO)

static inline int task_nice(const struct task_struct *p)
{
	return PRIO_TO_NICE(p->static_prio);
}

/* copy TSK's name into BUF (at least TASK_COMM_LEN bytes) */
extern char *__get_task_comm(char *buf, size_t buf_size, struct task_struct *tsk);
#define get_task_comm(buf, tsk)	__get_task_comm(buf, sizeof(buf), tsk)

/* task states (4.19 values) */
#define TASK_RUNNING		0x0000
#define TASK_INTERRUPTIBLE	0x0001
#define TASK_UNINTERRUPTIBLE	0x0002
#define __TASK_STOPPED		0x0004
#define __TASK_TRACED		0x0008
#define EXIT_DEAD		0x0010
#define EXIT_ZOMBIE		0x0020
#define EXIT_TRACE		(EXIT_ZOMBIE | EXIT_DEAD)
#define TASK_PARKED		0x0040
#define TASK_DEAD		0x0080
#define TASK_WAKEKILL		0x0100
#define TASK_WAKING		0x0200
#define TASK_NOLOAD		0x0400
#define TASK_NEW		0x0800
#define TASK_STATE_MAX		0x1000

#define TASK_KILLABLE		(TASK_WAKEKILL | TASK_UNINTERRUPTIBLE)
#define TASK_STOPPED		(TASK_WAKEKILL | __TASK_STOPPED)
#define TASK_TRACED		(TASK_WAKEKILL | __TASK_TRACED)
#define TASK_IDLE		(TASK_UNINTERRUPTIBLE | TASK_NOLOAD)
#define TASK_NORMAL		(TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)

/* per-task flags (4.19 values) */
#define PF_IDLE			0x00000002
#define PF_EXITING		0x00000004
#define PF_VCPU			0x00000010
#define PF_WQ_WORKER		0x00000020
#define PF_FORKNOEXEC		0x00000040
#define PF_SUPERPRIV		0x00000100
#define PF_DUMPCORE		0x00000200
#define PF_SIGNALED		0x00000400
#define PF_MEMALLOC		0x00000800
#define PF_NOFREEZE		0x00008000
#define PF_FROZEN		0x00010000
#define PF_KTHREAD		0x00200000
#define PF_NO_SETAFFINITY	0x04000000
#define PF_FREEZER_SKIP		0x40000000

#define MAX_SCHEDULE_TIMEOUT	LONG_MAX

extern void __set_current_state(long state);
#define set_current_state(state_value)	__set_current_state(state_value)

extern void schedule(void);
extern long schedule_timeout(long timeout);
extern long schedule_timeout_interruptible(long timeout);
extern long schedule_timeout_uninterruptible(long timeout);
extern int cond_resched(void);

extern int wake_up_process(struct task_struct *tsk);
extern int signal_pending(struct task_struct *p);

static inline pid_t task_pid_nr(struct task_struct *tsk)
{
	return tsk->pid;
}

static inline pid_t task_tgid_nr(struct task_struct *tsk)
{
	return tsk->tgid;
}

/* the numbers as the task's own pid namespace sees them: there is only init_pid_ns */
static inline pid_t task_pid_vnr(struct task_struct *tsk)
{
	return tsk->pid;
}

static inline pid_t task_tgid_vnr(struct task_struct *tsk)
{
	return tsk->tgid;
}

/* the thread group of the task's real parent (0 for a task without one, as the idle tasks) */
static inline pid_t task_ppid_nr(const struct task_struct *tsk)
{
	return tsk->real_parent ? tsk->real_parent->tgid : 0;
}

static inline bool is_idle_task(const struct task_struct *p)
{
	return !!(p->flags & PF_IDLE);
}

/* what 4.19's sched.h pulls in as well */
#include <linux/mutex.h>
#include <linux/numa.h>
#include <linux/pid.h>
#include <linux/rculist.h>
#include <linux/refcount.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/uidgid.h>
#include <linux/workqueue.h>
#include <linux/ktime.h>
#include <linux/hrtimer.h>

#endif /* _LINUX_SCHED_H */
