/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: the struct timespec readers 5.4 still has for old code (5.4's
 * linux/timekeeping32.h): do_gettimeofday(), current_kernel_time(),
 * ktime_get_real_ts() and get_monotonic_boottime() are gone (5.0-5.1), and
 * get_seconds() reads ktime_get_real_seconds(), which is GPL-only.
 */
#ifndef _LINUX_TIMEKEEPING32_H
#define _LINUX_TIMEKEEPING32_H

#include <linux/time.h>
#include <linux/timekeeping.h>

static inline unsigned long get_seconds(void)
{
	return ktime_get_real_seconds();
}

static inline void getnstimeofday(struct timespec *ts)
{
	struct timespec64 ts64;

	ktime_get_real_ts64(&ts64);
	*ts = timespec64_to_timespec(ts64);
}

static inline void ktime_get_ts(struct timespec *ts)
{
	struct timespec64 ts64;

	ktime_get_ts64(&ts64);
	*ts = timespec64_to_timespec(ts64);
}

static inline void getrawmonotonic(struct timespec *ts)
{
	struct timespec64 ts64;

	ktime_get_raw_ts64(&ts64);
	*ts = timespec64_to_timespec(ts64);
}

static inline void getboottime(struct timespec *ts)
{
	struct timespec64 ts64;

	getboottime64(&ts64);
	*ts = timespec64_to_timespec(ts64);
}

#endif /* _LINUX_TIMEKEEPING32_H */
