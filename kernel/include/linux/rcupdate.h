/* SPDX-License-Identifier: GPL-2.0 */
/* klpsh: RCU read side; with one CPU and no preemption, readers need no marking. */
#ifndef __LINUX_RCUPDATE_H
#define __LINUX_RCUPDATE_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/build_bug.h>
#include <asm/barrier.h>

#define rcu_read_lock()			barrier()
#define rcu_read_unlock()		barrier()
#define rcu_read_lock_sched()		barrier()
#define rcu_read_unlock_sched()		barrier()
#define rcu_read_lock_bh()		barrier()
#define rcu_read_unlock_bh()		barrier()

#define rcu_dereference(p)		READ_ONCE(p)
#define rcu_dereference_raw(p)		READ_ONCE(p)
#define rcu_dereference_protected(p, c)	(p)
#define rcu_access_pointer(p)		READ_ONCE(p)
#define rcu_assign_pointer(p, v)	smp_store_release(&(p), (v))
#define RCU_INIT_POINTER(p, v)		WRITE_ONCE(p, v)

/*
 * Grace periods and callbacks (kernel/api/rcu.py): callbacks run in softirq
 * context a tick after they are queued; rcu_barrier() waits for them.
 */
typedef void (*rcu_callback_t)(struct rcu_head *head);

extern void call_rcu(struct rcu_head *head, rcu_callback_t func);
extern void call_rcu_sched(struct rcu_head *head, rcu_callback_t func);
extern void kfree_call_rcu(struct rcu_head *head, rcu_callback_t func);
extern void synchronize_rcu(void);
extern void synchronize_sched(void);
extern void synchronize_rcu_expedited(void);
extern void rcu_barrier(void);
extern void rcu_barrier_sched(void);

/* kfree_rcu(ptr, field): kfree(ptr) after a grace period; the callback is the offset */
#define __is_kfree_rcu_offset(offset) ((offset) < 4096)
#define __kfree_rcu(head, offset)						do {										BUILD_BUG_ON(!__is_kfree_rcu_offset(offset));				kfree_call_rcu(head, (rcu_callback_t)(unsigned long)(offset)); 	} while (0)
#define kfree_rcu(ptr, rcu_head)						__kfree_rcu(&((ptr)->rcu_head), offsetof(typeof(*(ptr)), rcu_head))

/* what 4.19's rcupdate.h pulls in as well */
#include <asm/current.h>
#include <asm/ioctl.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/irqflags.h>
#include <linux/list.h>
#include <linux/preempt.h>
#include <linux/bottom_half.h>
#include <linux/time64.h>

#endif
