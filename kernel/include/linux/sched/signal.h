/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: signals to tasks and walking the task list (4.19's
 * linux/sched/signal.h).  Signals are kept per task by the Python
 * scheduler (kernel/api/signal.py).
 */
#ifndef _LINUX_SCHED_SIGNAL_H
#define _LINUX_SCHED_SIGNAL_H

#include <linux/rculist.h>
#include <linux/signal.h>
#include <linux/sched.h>

struct pid;

#define SEND_SIG_NOINFO	((void *) 0)
#define SEND_SIG_PRIV	((void *) 1)
#define SEND_SIG_FORCED	((void *) 2)

struct kernel_siginfo;
typedef struct kernel_siginfo siginfo_t;

extern int send_sig(int sig, struct task_struct *p, int priv);
extern int send_sig_info(int sig, siginfo_t *info, struct task_struct *p);
extern void force_sig(int sig, struct task_struct *p);
extern int kill_pid(struct pid *pid, int sig, int priv);
extern void flush_signals(struct task_struct *t);
extern int __fatal_signal_pending(struct task_struct *p);

static inline int fatal_signal_pending(struct task_struct *p)
{
	return signal_pending(p) && __fatal_signal_pending(p);
}

static inline int signal_pending_state(long state, struct task_struct *p)
{
	if (!(state & (TASK_INTERRUPTIBLE | TASK_WAKEKILL)))
		return 0;
	if (!signal_pending(p))
		return 0;
	return (state & TASK_INTERRUPTIBLE) || __fatal_signal_pending(p);
}

#define next_task(p) \
	list_entry_rcu((p)->tasks.next, struct task_struct, tasks)

/* every task but swapper/0, oldest first */
#define for_each_process(p) \
	for (p = &init_task ; (p = next_task(p)) != &init_task ; )

/* one thread per process here */
#define for_each_thread(p, t)	for (t = p; t; t = NULL)
#define for_each_process_thread(p, t)	for_each_process(p) for_each_thread(p, t)
#define do_each_thread(g, t)	for (g = t = &init_task ; (g = t = next_task(g)) != &init_task ; ) do
#define while_each_thread(g, t)	while (0)

static inline bool thread_group_leader(struct task_struct *p)
{
	return p->pid == p->tgid;
}

static inline int get_nr_threads(struct task_struct *tsk)
{
	(void)tsk;
	return 1;
}

/* what 4.19's signal.h pulls in as well */
#include <linux/sched/task.h>
#include <linux/mutex.h>
#include <linux/numa.h>
#include <linux/pid.h>
#include <linux/refcount.h>
#include <linux/rwsem.h>
#include <linux/smp.h>
#include <linux/uidgid.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/cred.h>

#endif /* _LINUX_SCHED_SIGNAL_H */
