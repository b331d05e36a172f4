/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __LINUX_RWLOCK_TYPES_H
#define __LINUX_RWLOCK_TYPES_H

/*
 * klpsh: a reader-writer spinlock is one word: the number of readers
 * holding it, or __KLPSH_RW_WRITER while a writer does.
 */
typedef struct {
	unsigned int lock;
} rwlock_t;

#define __KLPSH_RW_WRITER	0x80000000U

#define __RW_LOCK_UNLOCKED(lockname)	{ .lock = 0 }
#define DEFINE_RWLOCK(x)	rwlock_t x = __RW_LOCK_UNLOCKED(x)

#endif /* __LINUX_RWLOCK_TYPES_H */
