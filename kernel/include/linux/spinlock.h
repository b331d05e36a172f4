/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: spinlocks.  Guest code runs on one emulated CPU and a task only
 * gives the CPU away by calling into the kernel, so the lock operations are
 * inline no-ops (the _irqsave forms still assign their flags argument).
 */
#ifndef __LINUX_SPINLOCK_H
#define __LINUX_SPINLOCK_H

#include <linux/compiler.h>
#include <linux/typecheck.h>
#include <linux/spinlock_types.h>
#include <linux/irqflags.h>
#include <linux/preempt.h>

#define spin_lock_init(_lock)		do { (_lock)->lock = 0; } while (0)
#define raw_spin_lock_init(_lock)	do { (_lock)->lock = 0; } while (0)
#define rwlock_init(_lock)		do { (_lock)->lock = 0; } while (0)

static __always_inline void spin_lock(spinlock_t *lock) { (void)lock; }
static __always_inline void spin_unlock(spinlock_t *lock) { (void)lock; }
static __always_inline void spin_lock_bh(spinlock_t *lock) { (void)lock; }
static __always_inline void spin_unlock_bh(spinlock_t *lock) { (void)lock; }
static __always_inline void spin_lock_irq(spinlock_t *lock) { (void)lock; }
static __always_inline void spin_unlock_irq(spinlock_t *lock) { (void)lock; }
static __always_inline int spin_trylock(spinlock_t *lock) { (void)lock; return 1; }
static __always_inline int spin_is_locked(spinlock_t *lock) { (void)lock; return 0; }
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

static __always_inline void raw_spin_lock(raw_spinlock_t *lock) { (void)lock; }
static __always_inline void raw_spin_unlock(raw_spinlock_t *lock) { (void)lock; }
static __always_inline int raw_spin_trylock(raw_spinlock_t *lock) { (void)lock; return 1; }
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

static __always_inline void read_lock(rwlock_t *lock) { (void)lock; }
static __always_inline void read_unlock(rwlock_t *lock) { (void)lock; }
static __always_inline void write_lock(rwlock_t *lock) { (void)lock; }
static __always_inline void write_unlock(rwlock_t *lock) { (void)lock; }
#define read_lock_bh(lock)	read_lock(lock)
#define read_unlock_bh(lock)	read_unlock(lock)
#define write_lock_bh(lock)	write_lock(lock)
#define write_unlock_bh(lock)	write_unlock(lock)
#define read_lock_irqsave(lock, flags)	do { local_irq_save(flags); read_lock(lock); } while (0)
#define read_unlock_irqrestore(lock, flags) do { read_unlock(lock); local_irq_restore(flags); } while (0)
#define write_lock_irqsave(lock, flags)	do { local_irq_save(flags); write_lock(lock); } while (0)
#define write_unlock_irqrestore(lock, flags) do { write_unlock(lock); local_irq_restore(flags); } while (0)

#endif /* __LINUX_SPINLOCK_H */
