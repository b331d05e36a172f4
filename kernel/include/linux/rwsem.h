/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: read-write semaphores, laid out as in 4.19 x86-64 (kernel/ABI.md,
 * kernel/abi.py RwSemaphore).  The Python kernel (kernel/api/locking.py)
 * implements them and keeps count in the 4.19 encoding (readers, plus
 * RWSEM_ACTIVE_WRITE_BIAS for a writer, plus RWSEM_WAITING_BIAS while tasks
 * wait), so rwsem_is_locked() works inline; waiters are kept host-side.
 */
#ifndef _LINUX_RWSEM_H
#define _LINUX_RWSEM_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/atomic.h>
#include <linux/spinlock_types.h>

struct task_struct;

struct optimistic_spin_queue {
	atomic_t tail;
};

struct rw_semaphore {
	atomic_long_t count;
	struct list_head wait_list;
	raw_spinlock_t wait_lock;
	struct optimistic_spin_queue osq;
	struct task_struct *owner;
};

#define RWSEM_UNLOCKED_VALUE		0x00000000L
#define RWSEM_ACTIVE_BIAS		0x00000001L
#define RWSEM_ACTIVE_MASK		0xffffffffL
#define RWSEM_WAITING_BIAS		(-RWSEM_ACTIVE_MASK-1)
#define RWSEM_ACTIVE_READ_BIAS		RWSEM_ACTIVE_BIAS
#define RWSEM_ACTIVE_WRITE_BIAS		(RWSEM_WAITING_BIAS + RWSEM_ACTIVE_BIAS)

#define __RWSEM_INITIALIZER(name)				\
	{ .count = ATOMIC_LONG_INIT(RWSEM_UNLOCKED_VALUE),	\
	  .wait_list = LIST_HEAD_INIT((name).wait_list),	\
	  .wait_lock = __RAW_SPIN_LOCK_UNLOCKED(name.wait_lock),	\
	  .osq = { ATOMIC_INIT(0) },				\
	  .owner = NULL }

#define DECLARE_RWSEM(name) \
	struct rw_semaphore name = __RWSEM_INITIALIZER(name)

struct lock_class_key;
extern void __init_rwsem(struct rw_semaphore *sem, const char *name, struct lock_class_key *key);

#define init_rwsem(sem)						\
do {								\
	__init_rwsem((sem), #sem, NULL);			\
} while (0)

/* true while a reader or a writer holds it (or tasks wait for it) */
static inline int rwsem_is_locked(struct rw_semaphore *sem)
{
	return atomic_long_read(&sem->count) != 0;
}

extern void down_read(struct rw_semaphore *sem);
extern int __must_check down_read_killable(struct rw_semaphore *sem);
extern int down_read_trylock(struct rw_semaphore *sem);
extern void down_write(struct rw_semaphore *sem);
extern int __must_check down_write_killable(struct rw_semaphore *sem);
extern int down_write_trylock(struct rw_semaphore *sem);
extern void up_read(struct rw_semaphore *sem);
extern void up_write(struct rw_semaphore *sem);
extern void downgrade_write(struct rw_semaphore *sem);
extern void down_read_non_owner(struct rw_semaphore *sem);
extern void up_read_non_owner(struct rw_semaphore *sem);

#define down_read_nested(sem, subclass)		down_read(sem)
#define down_write_nested(sem, subclass)	down_write(sem)
#define down_write_killable_nested(sem, subclass)	down_write_killable(sem)
#define down_write_nest_lock(sem, nest_lock)	down_write(sem)

/* what 4.19's rwsem.h pulls in as well */
#include <asm/current.h>
#include <asm/ioctl.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/spinlock.h>
#include <linux/time64.h>

#endif /* _LINUX_RWSEM_H */
