/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: timers.  The layout is shared with the Python kernel (kernel/ABI.md,
 * kernel/abi.py TimerList), which implements every timer function.
 */
#ifndef _LINUX_TIMER_H
#define _LINUX_TIMER_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/kernel.h>
#include <linux/jiffies.h>

struct timer_list {
	struct hlist_node	entry;		/* pprev != NULL while pending */
	unsigned long		expires;	/* in jiffies */
	void			(*function)(struct timer_list *);
	u32			flags;
};

/* flags (4.19 values); the low bits hold the CPU number */
#define TIMER_CPUMASK		0x0003FFFF
#define TIMER_MIGRATING		0x00040000
#define TIMER_BASEMASK		(TIMER_CPUMASK | TIMER_MIGRATING)
#define TIMER_DEFERRABLE	0x00080000
#define TIMER_PINNED		0x00100000
#define TIMER_IRQSAFE		0x00200000
#define TIMER_ARRAYSHIFT	22
#define TIMER_ARRAYMASK		0xFFC00000

#define __TIMER_INITIALIZER(_function, _flags) {		\
		.entry = { .next = NULL, .pprev = NULL },	\
		.expires = 0,					\
		.function = (_function),			\
		.flags = (_flags),				\
	}

#define DEFINE_TIMER(_name, _function) \
	struct timer_list _name = __TIMER_INITIALIZER(_function, 0)

/* the struct that contains callback_timer as its member timer_fieldname */
#define from_timer(var, callback_timer, timer_fieldname) \
	container_of(callback_timer, typeof(*var), timer_fieldname)

extern void timer_setup(struct timer_list *timer,
			void (*callback)(struct timer_list *), unsigned int flags);
#define timer_setup_on_stack(timer, callback, flags) timer_setup(timer, callback, flags)
static inline void destroy_timer_on_stack(struct timer_list *timer)
{
	(void)timer;
}

extern void add_timer(struct timer_list *timer);
extern int mod_timer(struct timer_list *timer, unsigned long expires);
extern int del_timer(struct timer_list *timer);
extern int del_timer_sync(struct timer_list *timer);
extern int timer_pending(const struct timer_list *timer);

extern unsigned long round_jiffies(unsigned long j);
extern unsigned long round_jiffies_relative(unsigned long j);

/* what 4.19's timer.h pulls in as well */
#include <asm/current.h>
#include <asm/ioctl.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/spinlock.h>
#include <linux/ktime.h>

#endif /* _LINUX_TIMER_H */
