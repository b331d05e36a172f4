/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __LINUX_SPINLOCK_TYPES_H
#define __LINUX_SPINLOCK_TYPES_H

/* klpsh: one CPU and no preemption inside guest code, so a lock is just a word. */
typedef struct raw_spinlock {
	unsigned int lock;
} raw_spinlock_t;

typedef struct spinlock {
	unsigned int lock;
} spinlock_t;

#define __RAW_SPIN_LOCK_UNLOCKED(lockname)	{ .lock = 0 }
#define __SPIN_LOCK_UNLOCKED(lockname)		{ .lock = 0 }

#define DEFINE_RAW_SPINLOCK(x)	raw_spinlock_t x = __RAW_SPIN_LOCK_UNLOCKED(x)
#define DEFINE_SPINLOCK(x)	spinlock_t x = __SPIN_LOCK_UNLOCKED(x)

#include <linux/rwlock_types.h>

/* what 4.19's spinlock_types.h pulls in as well */
#include <linux/atomic.h>
#include <linux/build_bug.h>

#endif
