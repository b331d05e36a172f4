/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: completions, laid out as in 4.19 (kernel/ABI.md): the count and a
 * wait queue head.  The waiting and completing functions are the Python
 * kernel's (kernel/api/wait.py), which keeps the sleepers of &x->wait;
 * "done" in guest memory is the count, UINT_MAX after complete_all().
 */
#ifndef __LINUX_COMPLETION_H
#define __LINUX_COMPLETION_H

#include <linux/types.h>
#include <linux/wait.h>

struct completion {
	unsigned int		done;
	wait_queue_head_t	wait;
};

#define COMPLETION_INITIALIZER(work) \
	{ 0, __WAIT_QUEUE_HEAD_INITIALIZER((work).wait) }

#define COMPLETION_INITIALIZER_ONSTACK(work) \
	(*({ init_completion(&work); &work; }))

#define DECLARE_COMPLETION(work) \
	struct completion work = COMPLETION_INITIALIZER(work)
#define DECLARE_COMPLETION_ONSTACK(work) DECLARE_COMPLETION(work)

static inline void init_completion(struct completion *x)
{
	x->done = 0;
	init_waitqueue_head(&x->wait);
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
extern void wait_for_completion_io(struct completion *x);
extern long wait_for_completion_interruptible_timeout(struct completion *x, unsigned long timeout);
extern int wait_for_completion_killable(struct completion *x);
extern long wait_for_completion_killable_timeout(struct completion *x, unsigned long timeout);

#endif
