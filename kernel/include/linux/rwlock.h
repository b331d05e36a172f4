/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: reader-writer spinlocks.  As with spinlocks (linux/spinlock.h),
 * guest code is never preempted inside a critical section, so taking a lock
 * never spins: the word records who holds it, for the trylock forms and
 * for code that looks.  Include <linux/spinlock.h>, as on 4.19.
 */
#ifndef __LINUX_RWLOCK_H
#define __LINUX_RWLOCK_H

#ifndef __LINUX_SPINLOCK_H
#error only <linux/spinlock.h> can be included directly
#endif

#define rwlock_init(_lock)	do { *(_lock) = (rwlock_t)__RW_LOCK_UNLOCKED(_lock); } while (0)

static __always_inline void _raw_read_lock(rwlock_t *lock)
{
	lock->lock++;
	barrier();
}

static __always_inline void _raw_read_unlock(rwlock_t *lock)
{
	barrier();
	lock->lock--;
}

static __always_inline void _raw_write_lock(rwlock_t *lock)
{
	lock->lock = __KLPSH_RW_WRITER;
	barrier();
}

static __always_inline void _raw_write_unlock(rwlock_t *lock)
{
	barrier();
	lock->lock = 0;
}

static __always_inline int _raw_read_trylock(rwlock_t *lock)
{
	if (lock->lock & __KLPSH_RW_WRITER)
		return 0;
	_raw_read_lock(lock);
	return 1;
}

static __always_inline int _raw_write_trylock(rwlock_t *lock)
{
	if (lock->lock)
		return 0;
	_raw_write_lock(lock);
	return 1;
}

/* macros, as 4.19's: the names stay free for other uses (a mutex called read_lock) */
#define read_lock(lock)		_raw_read_lock(lock)
#define read_unlock(lock)	_raw_read_unlock(lock)
#define write_lock(lock)	_raw_write_lock(lock)
#define write_unlock(lock)	_raw_write_unlock(lock)
#define read_trylock(lock)	_raw_read_trylock(lock)
#define write_trylock(lock)	_raw_write_trylock(lock)

#define read_lock_bh(lock)	do { local_bh_disable(); read_lock(lock); } while (0)
#define read_unlock_bh(lock)	do { read_unlock(lock); local_bh_enable(); } while (0)
#define write_lock_bh(lock)	do { local_bh_disable(); write_lock(lock); } while (0)
#define write_unlock_bh(lock)	do { write_unlock(lock); local_bh_enable(); } while (0)
#define read_lock_irq(lock)	do { local_irq_disable(); read_lock(lock); } while (0)
#define read_unlock_irq(lock)	do { read_unlock(lock); local_irq_enable(); } while (0)
#define write_lock_irq(lock)	do { local_irq_disable(); write_lock(lock); } while (0)
#define write_unlock_irq(lock)	do { write_unlock(lock); local_irq_enable(); } while (0)

#define read_lock_irqsave(lock, flags)				\
	do {							\
		typecheck(unsigned long, flags);		\
		local_irq_save(flags);				\
		read_lock(lock);				\
	} while (0)
#define read_unlock_irqrestore(lock, flags)			\
	do {							\
		typecheck(unsigned long, flags);		\
		read_unlock(lock);				\
		local_irq_restore(flags);			\
	} while (0)
#define write_lock_irqsave(lock, flags)				\
	do {							\
		typecheck(unsigned long, flags);		\
		local_irq_save(flags);				\
		write_lock(lock);				\
	} while (0)
#define write_unlock_irqrestore(lock, flags)			\
	do {							\
		typecheck(unsigned long, flags);		\
		write_unlock(lock);				\
		local_irq_restore(flags);			\
	} while (0)

#define write_trylock_irqsave(lock, flags)			\
({								\
	local_irq_save(flags);					\
	write_trylock(lock) ? 1 : ({ local_irq_restore(flags); 0; }); \
})

#endif /* __LINUX_RWLOCK_H */
