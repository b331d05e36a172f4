/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: jiffies.  The variable lives in vmlinux (kernel/vmlinux) and the
 * Python clock writes it as virtual time advances; HZ is 1000.
 */
#ifndef _LINUX_JIFFIES_H
#define _LINUX_JIFFIES_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/limits.h>
#include <linux/typecheck.h>
#include <linux/time64.h>
#include <asm/param.h>

extern unsigned long volatile jiffies;
extern u64 jiffies_64;

/* jiffies starts 5 minutes before wrapping its low 32 bits, to shake out wrap bugs */
#define INITIAL_JIFFIES ((unsigned long)(unsigned int)(-300 * HZ))

#define MAX_JIFFY_OFFSET ((LONG_MAX >> 1) - 1)

static inline u64 get_jiffies_64(void)
{
	return (u64)jiffies;
}

/* wrap-safe comparisons: true if a is after b, and so on */
#define time_after(a, b)			\
	(typecheck(unsigned long, a) &&		\
	 typecheck(unsigned long, b) &&		\
	 ((long)((b) - (a)) < 0))
#define time_before(a, b)	time_after(b, a)

#define time_after_eq(a, b)			\
	(typecheck(unsigned long, a) &&		\
	 typecheck(unsigned long, b) &&		\
	 ((long)((a) - (b)) >= 0))
#define time_before_eq(a, b)	time_after_eq(b, a)

#define time_in_range(a, b, c) \
	(time_after_eq(a, b) && time_before_eq(a, c))
#define time_in_range_open(a, b, c) \
	(time_after_eq(a, b) && time_before(a, c))

#define time_after64(a, b)			\
	(typecheck(__u64, a) &&			\
	 typecheck(__u64, b) &&			\
	 ((__s64)((b) - (a)) < 0))
#define time_before64(a, b)	time_after64(b, a)
#define time_after_eq64(a, b)			\
	(typecheck(__u64, a) &&			\
	 typecheck(__u64, b) &&			\
	 ((__s64)((a) - (b)) >= 0))
#define time_before_eq64(a, b)	time_after_eq64(b, a)

#define time_is_before_jiffies(a)	time_after(jiffies, a)
#define time_is_after_jiffies(a)	time_before(jiffies, a)
#define time_is_before_eq_jiffies(a)	time_after_eq(jiffies, a)
#define time_is_after_eq_jiffies(a)	time_before_eq(jiffies, a)

static inline unsigned int jiffies_to_msecs(const unsigned long j)
{
	return (unsigned int)(j * (MSEC_PER_SEC / HZ));
}

static inline unsigned int jiffies_to_usecs(const unsigned long j)
{
	return (unsigned int)(j * (USEC_PER_SEC / HZ));
}

static inline u64 jiffies_to_nsecs(const unsigned long j)
{
	return (u64)j * (NSEC_PER_SEC / HZ);
}

/* rounds up; a negative (as int) value means "forever" */
static inline unsigned long msecs_to_jiffies(const unsigned int m)
{
	if ((int)m < 0)
		return MAX_JIFFY_OFFSET;
	return ((unsigned long)m * HZ + MSEC_PER_SEC - 1) / MSEC_PER_SEC;
}

/* rounds up; an unsigned int of microseconds always fits */
static inline unsigned long usecs_to_jiffies(const unsigned int u)
{
	return ((unsigned long)u * HZ + USEC_PER_SEC - 1) / USEC_PER_SEC;
}

static inline unsigned long nsecs_to_jiffies(u64 n)
{
	return (unsigned long)(n / (NSEC_PER_SEC / HZ));
}

/* what 4.19's jiffies.h pulls in as well */
#include <asm/current.h>
#include <asm/ioctl.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/time.h>

#endif /* _LINUX_JIFFIES_H */
