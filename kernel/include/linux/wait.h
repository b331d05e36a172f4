/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: wait queues.  The Python kernel (kernel/api/wait.py) keeps the
 * sleeping tasks of each wait_queue_head, keyed by its address; the guest
 * list stays empty.  wait_event() and friends are the 4.19 macros: queue
 * the task, test the condition, schedule(), repeat; wake_up() makes the
 * sleepers run again so they re-test their condition.
 */
#ifndef _LINUX_WAIT_H
#define _LINUX_WAIT_H

#include <linux/list.h>
#include <linux/stddef.h>
#include <linux/spinlock.h>
#include <linux/sched.h>
#include <asm/current.h>

typedef struct wait_queue_entry wait_queue_entry_t;
typedef int (*wait_queue_func_t)(struct wait_queue_entry *wq_entry, unsigned mode, int flags, void *key);

#define WQ_FLAG_EXCLUSIVE	0x01
#define WQ_FLAG_WOKEN		0x02
#define WQ_FLAG_BOOKMARK	0x04

struct wait_queue_entry {
	unsigned int		flags;
	void			*private;
	wait_queue_func_t	func;
	struct list_head	entry;
};

struct wait_queue_head {
	spinlock_t		lock;
	struct list_head	head;
};
typedef struct wait_queue_head wait_queue_head_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) {				\
	.lock		= __SPIN_LOCK_UNLOCKED(name.lock),		\
	.head		= { &(name).head, &(name).head } }

#define DECLARE_WAIT_QUEUE_HEAD(name) \
	struct wait_queue_head name = __WAIT_QUEUE_HEAD_INITIALIZER(name)
#define DECLARE_WAIT_QUEUE_HEAD_ONSTACK(name)	DECLARE_WAIT_QUEUE_HEAD(name)

#define __WAITQUEUE_INITIALIZER(name, tsk) {				\
	.private	= tsk,						\
	.func		= NULL,						\
	.entry		= { NULL, NULL } }

#define DECLARE_WAITQUEUE(name, tsk) \
	struct wait_queue_entry name = __WAITQUEUE_INITIALIZER(name, tsk)

extern void __init_waitqueue_head(struct wait_queue_head *wq_head, const char *name, void *key);

#define init_waitqueue_head(wq_head)					\
	do {								\
		spin_lock_init(&(wq_head)->lock);			\
		INIT_LIST_HEAD(&(wq_head)->head);			\
		__init_waitqueue_head((wq_head), #wq_head, NULL);	\
	} while (0)

extern long prepare_to_wait_event(struct wait_queue_head *wq_head,
				  struct wait_queue_entry *wq_entry, int state);
extern void prepare_to_wait(struct wait_queue_head *wq_head,
			    struct wait_queue_entry *wq_entry, int state);
extern void prepare_to_wait_exclusive(struct wait_queue_head *wq_head,
				      struct wait_queue_entry *wq_entry, int state);
extern void finish_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
extern void add_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
extern void remove_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
extern void __wake_up(struct wait_queue_head *wq_head, unsigned int mode, int nr, void *key);
/* true while some task sleeps (or is about to sleep) on the queue */
extern int waitqueue_active(struct wait_queue_head *wq_head);

static inline bool wq_has_sleeper(struct wait_queue_head *wq_head)
{
	return waitqueue_active(wq_head);
}

static inline void init_wait_entry(struct wait_queue_entry *wq_entry, int flags)
{
	wq_entry->flags = flags;
	wq_entry->private = current;
	wq_entry->func = NULL;
	INIT_LIST_HEAD(&wq_entry->entry);
}

#define DEFINE_WAIT(name)						\
	struct wait_queue_entry name = {				\
		.private	= current,				\
		.func		= NULL,					\
		.entry		= LIST_HEAD_INIT((name).entry),		\
	}

#define init_wait(wait)		init_wait_entry((wait), 0)

#define wake_up(x)			__wake_up(x, TASK_NORMAL, 1, NULL)
#define wake_up_nr(x, nr)		__wake_up(x, TASK_NORMAL, nr, NULL)
#define wake_up_all(x)			__wake_up(x, TASK_NORMAL, 0, NULL)
#define wake_up_interruptible(x)	__wake_up(x, TASK_INTERRUPTIBLE, 1, NULL)
#define wake_up_interruptible_nr(x, nr)	__wake_up(x, TASK_INTERRUPTIBLE, nr, NULL)
#define wake_up_interruptible_all(x)	__wake_up(x, TASK_INTERRUPTIBLE, 0, NULL)

#define ___wait_is_interruptible(state)					\
	(!__builtin_constant_p(state) ||				\
	 (state) == TASK_INTERRUPTIBLE || (state) == TASK_KILLABLE)

/*
 * The loop every wait_event form expands to: CMD is schedule() or
 * schedule_timeout(); the value is RET, or -ERESTARTSYS when a signal
 * interrupted an interruptible wait.
 */
#define ___wait_event(wq_head, condition, state, exclusive, ret, cmd)	\
({									\
	__label__ __out;						\
	struct wait_queue_entry __wq_entry;				\
	long __ret = ret;						\
									\
	init_wait_entry(&__wq_entry, exclusive ? WQ_FLAG_EXCLUSIVE : 0);\
	for (;;) {							\
		long __int = prepare_to_wait_event(&wq_head, &__wq_entry, state);\
									\
		if (condition)						\
			break;						\
		if (___wait_is_interruptible(state) && __int) {		\
			__ret = __int;					\
			goto __out;					\
		}							\
		cmd;							\
	}								\
	finish_wait(&wq_head, &__wq_entry);				\
__out:	__ret;								\
})

/* for the timeout forms: true once the condition holds or time ran out */
#define ___wait_cond_timeout(condition)					\
({									\
	bool __cond = (condition);					\
	if (__cond && !__ret)						\
		__ret = 1;						\
	__cond || !__ret;						\
})

#define wait_event(wq_head, condition)					\
do {									\
	might_sleep();							\
	if (condition)							\
		break;							\
	(void)___wait_event(wq_head, condition, TASK_UNINTERRUPTIBLE, 0, 0, schedule()); \
} while (0)

#define wait_event_idle(wq_head, condition)				\
do {									\
	if (condition)							\
		break;							\
	(void)___wait_event(wq_head, condition, TASK_IDLE, 0, 0, schedule()); \
} while (0)

#define wait_event_interruptible(wq_head, condition)			\
({									\
	int __ret_wei = 0;						\
	might_sleep();							\
	if (!(condition))						\
		__ret_wei = ___wait_event(wq_head, condition,		\
				TASK_INTERRUPTIBLE, 0, 0, schedule());	\
	__ret_wei;							\
})

#define wait_event_killable(wq_head, condition)				\
({									\
	int __ret_wek = 0;						\
	might_sleep();							\
	if (!(condition))						\
		__ret_wek = ___wait_event(wq_head, condition,		\
				TASK_KILLABLE, 0, 0, schedule());	\
	__ret_wek;							\
})

/* 0 if the condition was still false when TIMEOUT jiffies passed, else the jiffies left (>= 1) */
#define wait_event_timeout(wq_head, condition, timeout)			\
({									\
	long __ret_wet = timeout;					\
	might_sleep();							\
	if (!___wait_cond_timeout_outer(condition, __ret_wet))		\
		__ret_wet = ___wait_event(wq_head,			\
				___wait_cond_timeout(condition),	\
				TASK_UNINTERRUPTIBLE, 0, timeout,	\
				__ret = schedule_timeout(__ret));	\
	__ret_wet;							\
})

/* as above, or -ERESTARTSYS when a signal arrives first */
#define wait_event_interruptible_timeout(wq_head, condition, timeout)	\
({									\
	long __ret_weit = timeout;					\
	might_sleep();							\
	if (!___wait_cond_timeout_outer(condition, __ret_weit))		\
		__ret_weit = ___wait_event(wq_head,			\
				___wait_cond_timeout(condition),	\
				TASK_INTERRUPTIBLE, 0, timeout,		\
				__ret = schedule_timeout(__ret));	\
	__ret_weit;							\
})

#define wait_event_killable_timeout(wq_head, condition, timeout)	\
({									\
	long __ret_wekt = timeout;					\
	might_sleep();							\
	if (!___wait_cond_timeout_outer(condition, __ret_wekt))		\
		__ret_wekt = ___wait_event(wq_head,			\
				___wait_cond_timeout(condition),	\
				TASK_KILLABLE, 0, timeout,		\
				__ret = schedule_timeout(__ret));	\
	__ret_wekt;							\
})

/* the first test before sleeping, on the caller's own return variable */
#define ___wait_cond_timeout_outer(condition, r)			\
({									\
	bool __cond = (condition);					\
	if (__cond && !(r))						\
		(r) = 1;						\
	__cond || !(r);							\
})

#endif /* _LINUX_WAIT_H */
