/* SPDX-License-Identifier: GPL-2.0 */
/* klpsh: RCU read side; with one CPU and no preemption, readers need no marking. */
#ifndef __LINUX_RCUPDATE_H
#define __LINUX_RCUPDATE_H

#include <linux/compiler.h>
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

#endif
