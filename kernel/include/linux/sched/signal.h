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
#include <linux/spinlock.h>
#include <linux/wait.h>

struct pid;

/*
 * The thread group's signal state: one thread per process here, so each task
 * has its own.  The leading members as 4.19 lays them out.
 */
struct signal_struct {
	atomic_t		sigcnt;
	atomic_t		live;
	int			nr_threads;
	struct list_head	thread_head;
	wait_queue_head_t	wait_chldexit;	/* for wait4() */
	struct task_struct	*curr_target;
	struct sigpending	shared_pending;	/* shared signal handling */
	struct hlist_head	multiprocess;
	int			group_exit_code;
	int			notify_count;
	struct task_struct	*group_exit_task;
	int			group_stop_count;
	unsigned int		flags;		/* see SIGNAL_* flags below */
	/* klpsh: 4.19 has the timers, pids and tty_old_pgrp before it, further down */
	struct tty_struct	*tty;		/* NULL if no tty */
};

#define SIGNAL_STOP_STOPPED	0x00000001
#define SIGNAL_STOP_CONTINUED	0x00000002
#define SIGNAL_GROUP_EXIT	0x00000004
#define SIGNAL_GROUP_COREDUMP	0x00000008
#define SIGNAL_UNKILLABLE	0x00000040

/* the handlers: a kernel thread's are SIG_IGN until it allow_signal()s one */
struct sighand_struct {
	atomic_t		count;
	struct k_sigaction	action[_NSIG];
	spinlock_t		siglock;
	wait_queue_head_t	signalfd_wqh;
};

#define SEND_SIG_NOINFO	((struct siginfo *) 0)
#define SEND_SIG_PRIV	((struct siginfo *) 1)
#define SEND_SIG_FORCED	((struct siginfo *) 2)

extern int send_sig(int sig, struct task_struct *p, int priv);
extern int send_sig_info(int sig, struct siginfo *info, struct task_struct *p);
extern void force_sig(int sig, struct task_struct *p);
extern int force_sig_info(int sig, struct siginfo *info, struct task_struct *p);
extern int kill_pid(struct pid *pid, int sig, int priv);
extern int kill_pid_info(int sig, struct siginfo *info, struct pid *pid);
extern void flush_signals(struct task_struct *t);
extern int __fatal_signal_pending(struct task_struct *p);
extern void recalc_sigpending(void);
extern int dequeue_signal(struct task_struct *tsk, sigset_t *mask, siginfo_t *info);

/* a kernel thread takes the next signal it allowed: its number, 0 if none is pending */
static inline int kernel_dequeue_signal(siginfo_t *info)
{
	struct task_struct *tsk = current;
	siginfo_t __info;
	int ret;

	spin_lock_irq(&tsk->sighand->siglock);
	ret = dequeue_signal(tsk, &tsk->blocked, info ?: &__info);
	spin_unlock_irq(&tsk->sighand->siglock);

	return ret;
}

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
