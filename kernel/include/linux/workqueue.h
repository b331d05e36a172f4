/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: work items.  Layouts are shared with the Python kernel
 * (kernel/ABI.md; kernel/abi.py WorkStruct, DelayedWork), which implements
 * queueing, the kworkers and the delayed-work timer.  Initialisers set data
 * to 0, self-link entry and store func; a delayed_work's timer is left with a
 * NULL function (the kernel fires it itself) and the TIMER_IRQSAFE flag.
 */
#ifndef _LINUX_WORKQUEUE_H
#define _LINUX_WORKQUEUE_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/atomic.h>
#include <linux/timer.h>

struct workqueue_struct;

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	atomic_long_t		data;
	struct list_head	entry;
	work_func_t		func;
};

struct delayed_work {
	struct work_struct	work;
	struct timer_list	timer;
	struct workqueue_struct	*wq;	/* set when queued */
	int			cpu;
};

#define WORK_DATA_INIT()	ATOMIC_LONG_INIT(0)

#define __WORK_INITIALIZER(n, f) {					\
	.data = WORK_DATA_INIT(),					\
	.entry	= { &(n).entry, &(n).entry },				\
	.func = (f),							\
	}

#define __DELAYED_WORK_INITIALIZER(n, f, tflags) {			\
	.work = __WORK_INITIALIZER((n).work, (f)),			\
	.timer = __TIMER_INITIALIZER(NULL, (tflags) | TIMER_IRQSAFE),	\
	.wq = NULL,							\
	.cpu = 0,							\
	}

#define DECLARE_WORK(n, f)						\
	struct work_struct n = __WORK_INITIALIZER(n, f)

#define DECLARE_DELAYED_WORK(n, f)					\
	struct delayed_work n = __DELAYED_WORK_INITIALIZER(n, f, 0)

#define DECLARE_DEFERRABLE_WORK(n, f)					\
	struct delayed_work n = __DELAYED_WORK_INITIALIZER(n, f, TIMER_DEFERRABLE)

#define INIT_WORK(_work, _func)						\
	do {								\
		atomic_long_set(&(_work)->data, 0);			\
		INIT_LIST_HEAD(&(_work)->entry);			\
		(_work)->func = (_func);				\
	} while (0)

#define INIT_WORK_ONSTACK(_work, _func)	INIT_WORK(_work, _func)

#define __INIT_DELAYED_WORK(_work, _func, _tflags)			\
	do {								\
		INIT_WORK(&(_work)->work, (_func));			\
		INIT_HLIST_NODE(&(_work)->timer.entry);			\
		(_work)->timer.expires = 0;				\
		(_work)->timer.function = NULL;				\
		(_work)->timer.flags = (_tflags) | TIMER_IRQSAFE;	\
		(_work)->wq = NULL;					\
		(_work)->cpu = 0;					\
	} while (0)

#define INIT_DELAYED_WORK(_work, _func)		__INIT_DELAYED_WORK(_work, _func, 0)
#define INIT_DELAYED_WORK_ONSTACK(_work, _func)	__INIT_DELAYED_WORK(_work, _func, 0)
#define INIT_DEFERRABLE_WORK(_work, _func)	__INIT_DELAYED_WORK(_work, _func, TIMER_DEFERRABLE)

static inline struct delayed_work *to_delayed_work(struct work_struct *work)
{
	return container_of(work, struct delayed_work, work);
}

static inline void destroy_work_on_stack(struct work_struct *work)
{
	(void)work;
}

static inline void destroy_delayed_work_on_stack(struct delayed_work *work)
{
	(void)work;
}

/* the default workqueue (vmlinux data; kernel/vmlinux) */
extern struct workqueue_struct *system_wq;

extern bool queue_work(struct workqueue_struct *wq, struct work_struct *work);
extern bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork,
			       unsigned long delay);
extern bool mod_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork,
			     unsigned long delay);
extern bool schedule_work(struct work_struct *work);
extern bool schedule_delayed_work(struct delayed_work *dwork, unsigned long delay);

extern bool cancel_work_sync(struct work_struct *work);
extern bool cancel_delayed_work(struct delayed_work *dwork);
extern bool cancel_delayed_work_sync(struct delayed_work *dwork);

extern bool flush_work(struct work_struct *work);
extern bool flush_delayed_work(struct delayed_work *dwork);
extern void flush_scheduled_work(void);

#endif /* _LINUX_WORKQUEUE_H */
