/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: sleeping locks.  The layout is shared with the Python kernel
 * (kernel/ABI.md, kernel/abi.py Mutex), which implements lock/unlock and owns
 * the owner word (the owning task_struct address, 0 when unlocked).
 */
#ifndef __LINUX_MUTEX_H
#define __LINUX_MUTEX_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/spinlock_types.h>
#include <linux/atomic.h>

struct mutex {
	atomic_long_t		owner;
	spinlock_t		wait_lock;
	struct list_head	wait_list;
};

#define __MUTEX_INITIALIZER(lockname)					\
	{ .owner = ATOMIC_LONG_INIT(0),					\
	  .wait_lock = __SPIN_LOCK_UNLOCKED(lockname.wait_lock),	\
	  .wait_list = LIST_HEAD_INIT(lockname.wait_list) }

#define DEFINE_MUTEX(mutexname) \
	struct mutex mutexname = __MUTEX_INITIALIZER(mutexname)

/* the same state as DEFINE_MUTEX, at run time */
#define mutex_init(mutex)						\
	do {								\
		atomic_long_set(&(mutex)->owner, 0);			\
		(mutex)->wait_lock.lock = 0;				\
		INIT_LIST_HEAD(&(mutex)->wait_list);			\
	} while (0)

static inline void mutex_destroy(struct mutex *lock)
{
	(void)lock;
}

extern void mutex_lock(struct mutex *lock);
extern int __must_check mutex_lock_interruptible(struct mutex *lock);
extern int mutex_trylock(struct mutex *lock);
extern void mutex_unlock(struct mutex *lock);
extern bool mutex_is_locked(struct mutex *lock);

#define mutex_lock_nested(lock, subclass)		mutex_lock(lock)
#define mutex_lock_interruptible_nested(lock, subclass)	mutex_lock_interruptible(lock)
#define mutex_lock_io(lock)				mutex_lock(lock)

/* what 4.19's mutex.h pulls in as well */
#include <asm/current.h>
#include <asm/ioctl.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/irqflags.h>

#endif /* __LINUX_MUTEX_H */
