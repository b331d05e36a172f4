/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: completions (layout in kernel/ABI.md).  The waiting and completing
 * functions are declared for source compatibility; a module that calls them
 * loads only once the Python kernel provides them (else "Unknown symbol").
 */
#ifndef __LINUX_COMPLETION_H
#define __LINUX_COMPLETION_H

#include <linux/types.h>
#include <linux/list.h>

struct completion {
	unsigned int		done;
	struct list_head	wait;
};

#define COMPLETION_INITIALIZER(work) \
	{ 0, LIST_HEAD_INIT((work).wait) }

#define DECLARE_COMPLETION(work) \
	struct completion work = COMPLETION_INITIALIZER(work)
#define DECLARE_COMPLETION_ONSTACK(work) DECLARE_COMPLETION(work)

static inline void init_completion(struct completion *x)
{
	x->done = 0;
	INIT_LIST_HEAD(&x->wait);
}

static inline void reinit_completion(struct completion *x)
{
	x->done = 0;
}

extern void wait_for_completion(struct completion *x);
extern int wait_for_completion_interruptible(struct completion *x);
extern unsigned long wait_for_completion_timeout(struct completion *x, unsigned long timeout);
extern bool try_wait_for_completion(struct completion *x);
extern bool completion_done(struct completion *x);
extern void complete(struct completion *x);
extern void complete_all(struct completion *x);

#endif
