/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: work items and workqueues.  Layouts are shared with the Python
 * kernel (kernel/ABI.md; kernel/abi.py WorkStruct, DelayedWork), which
 * implements queueing, the workqueues, the kworkers and the delayed-work
 * timer, and keeps WORK_STRUCT_PENDING (bit 0 of data) up to date, so
 * work_pending() works inline.  Initialisers set data to 0, self-link entry
 * and store func; a delayed_work's timer is left with a NULL function (the
 * kernel fires it itself) and the TIMER_IRQSAFE flag.
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
#define WORK_STRUCT_PENDING_BIT	0
#define WORK_CPU_UNBOUND	64	/* NR_CPUS */
#define WORK_BUSY_PENDING	1
#define WORK_BUSY_RUNNING	2

#define work_pending(work) \
	((atomic_long_read(&(work)->data) >> WORK_STRUCT_PENDING_BIT) & 1)
#define delayed_work_pending(w) \
	work_pending(&(w)->work)

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

/* the system workqueues (vmlinux data; kernel/vmlinux/kernel/workqueue.c) */
extern struct workqueue_struct *system_wq;
extern struct workqueue_struct *system_highpri_wq;
extern struct workqueue_struct *system_long_wq;
extern struct workqueue_struct *system_unbound_wq;
extern struct workqueue_struct *system_freezable_wq;
extern struct workqueue_struct *system_power_efficient_wq;
extern struct workqueue_struct *system_freezable_power_efficient_wq;

/* alloc_workqueue() flags (4.19 values) */
enum {
	WQ_UNBOUND		= 1 << 1,
	WQ_FREEZABLE		= 1 << 2,
	WQ_MEM_RECLAIM		= 1 << 3,
	WQ_HIGHPRI		= 1 << 4,
	WQ_CPU_INTENSIVE	= 1 << 5,
	WQ_SYSFS		= 1 << 6,
	WQ_POWER_EFFICIENT	= 1 << 7,

	__WQ_DRAINING		= 1 << 16,
	__WQ_ORDERED		= 1 << 17,
	__WQ_LEGACY		= 1 << 18,
	__WQ_ORDERED_EXPLICIT	= 1 << 19,

	WQ_MAX_ACTIVE		= 512,
	WQ_MAX_UNBOUND_PER_CPU	= 4,
	WQ_DFL_ACTIVE		= WQ_MAX_ACTIVE / 2,
};

struct lock_class_key;

/*
 * The name is printf-formatted into 24 bytes; max_active 0 means the
 * default; WQ_MEM_RECLAIM gives the queue a rescuer thread named after it.
 */
extern __printf(1, 6) struct workqueue_struct *
__alloc_workqueue_key(const char *fmt, unsigned int flags, int max_active,
		      struct lock_class_key *key, const char *lock_name, ...);

#define alloc_workqueue(fmt, flags, max_active, args...)		\
	__alloc_workqueue_key((fmt), (flags), (max_active), NULL, NULL, ##args)

/* one item at a time, in queueing order */
#define alloc_ordered_workqueue(fmt, flags, args...)			\
	alloc_workqueue(fmt, WQ_UNBOUND | __WQ_ORDERED |		\
			__WQ_ORDERED_EXPLICIT | (flags), 1, ##args)

#define create_workqueue(name)						\
	alloc_workqueue("%s", __WQ_LEGACY | WQ_MEM_RECLAIM, 1, (name))
#define create_freezable_workqueue(name)				\
	alloc_workqueue("%s", __WQ_LEGACY | WQ_FREEZABLE | WQ_UNBOUND |	\
			WQ_MEM_RECLAIM, 1, (name))
#define create_singlethread_workqueue(name)				\
	alloc_ordered_workqueue("%s", __WQ_LEGACY | WQ_MEM_RECLAIM, name)

extern void destroy_workqueue(struct workqueue_struct *wq);
extern void flush_workqueue(struct workqueue_struct *wq);
extern void drain_workqueue(struct workqueue_struct *wq);
extern void workqueue_set_max_active(struct workqueue_struct *wq, int max_active);
extern bool workqueue_congested(int cpu, struct workqueue_struct *wq);
extern unsigned int work_busy(struct work_struct *work);
extern struct work_struct *current_work(void);

extern bool queue_work_on(int cpu, struct workqueue_struct *wq, struct work_struct *work);
extern bool queue_delayed_work_on(int cpu, struct workqueue_struct *wq,
				  struct delayed_work *work, unsigned long delay);
extern bool mod_delayed_work_on(int cpu, struct workqueue_struct *wq,
				struct delayed_work *dwork, unsigned long delay);

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

/* what 4.19's workqueue.h pulls in as well */
#include <asm/current.h>
#include <asm/ioctl.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>

#endif /* _LINUX_WORKQUEUE_H */
