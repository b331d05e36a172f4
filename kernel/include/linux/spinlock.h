/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: spinlocks.  Guest code runs on one emulated CPU and a task only
 * gives the CPU away by calling into the kernel, so the lock operations are
 * inline and never spin: the lock word only records that the lock is held
 * (the _irqsave forms still assign their flags argument).
 */
#ifndef __LINUX_SPINLOCK_H
#define __LINUX_SPINLOCK_H

#include <linux/compiler.h>
#include <linux/typecheck.h>
#include <linux/spinlock_types.h>
#include <linux/irqflags.h>
#include <linux/preempt.h>
#include <linux/bottom_half.h>

#define spin_lock_init(_lock)		do { (_lock)->lock = 0; } while (0)
#define raw_spin_lock_init(_lock)	do { (_lock)->lock = 0; } while (0)

/* the lock word says whether the lock is held (for trylock and spin_is_locked) */
static __always_inline void spin_lock(spinlock_t *lock) { lock->lock = 1; barrier(); }
static __always_inline void spin_unlock(spinlock_t *lock) { barrier(); lock->lock = 0; }
static __always_inline void spin_lock_bh(spinlock_t *lock) { local_bh_disable(); spin_lock(lock); }
static __always_inline void spin_unlock_bh(spinlock_t *lock) { spin_unlock(lock); local_bh_enable(); }
static __always_inline void spin_lock_irq(spinlock_t *lock) { local_irq_disable(); spin_lock(lock); }
static __always_inline void spin_unlock_irq(spinlock_t *lock) { spin_unlock(lock); local_irq_enable(); }
static __always_inline int spin_trylock(spinlock_t *lock)
{
	if (lock->lock)
		return 0;
	spin_lock(lock);
	return 1;
}
static __always_inline int spin_is_locked(spinlock_t *lock) { return lock->lock != 0; }
static __always_inline int spin_can_lock(spinlock_t *lock) { return !spin_is_locked(lock); }
#define spin_trylock_bh(lock)	spin_trylock(lock)
#define spin_trylock_irq(lock)	spin_trylock(lock)
#define spin_trylock_irqsave(lock, flags)			\
({								\
	local_irq_save(flags);					\
	spin_trylock(lock) ? 1 : ({ local_irq_restore(flags); 0; }); \
})
#define spin_lock_nested(lock, subclass)	spin_lock(lock)
#define assert_spin_locked(lock)		do { (void)(lock); } while (0)

#define spin_lock_irqsave(lock, flags)			\
	do {						\
		typecheck(unsigned long, flags);	\
		(flags) = 0;				\
		spin_lock(lock);			\
	} while (0)

#define spin_unlock_irqrestore(lock, flags)		\
	do {						\
		typecheck(unsigned long, flags);	\
		(void)(flags);				\
		spin_unlock(lock);			\
	} while (0)

static __always_inline void raw_spin_lock(raw_spinlock_t *lock) { lock->lock = 1; barrier(); }
static __always_inline void raw_spin_unlock(raw_spinlock_t *lock) { barrier(); lock->lock = 0; }
static __always_inline int raw_spin_trylock(raw_spinlock_t *lock)
{
	if (lock->lock)
		return 0;
	raw_spin_lock(lock);
	return 1;
}
#define raw_spin_lock_irq(lock)		raw_spin_lock(lock)
#define raw_spin_unlock_irq(lock)	raw_spin_unlock(lock)
#define raw_spin_lock_irqsave(lock, flags)		\
	do {						\
		typecheck(unsigned long, flags);	\
		(flags) = 0;				\
		raw_spin_lock(lock);			\
	} while (0)
#define raw_spin_unlock_irqrestore(lock, flags)	\
	do {						\
		typecheck(unsigned long, flags);	\
		(void)(flags);				\
		raw_spin_unlock(lock);			\
	} while (0)

#include <linux/rwlock.h>

/* what 4.19's spinlock.h pulls in as well */
#include <asm/current.h>
#include <asm/ioctl.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/time64.h>

#endif /* __LINUX_SPINLOCK_H */
