/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: the struct timespec / timeval clock readers that 4.19 still has
 * for old code (linux/timekeeping32.h, included by linux/timekeeping.h).
 */
#ifndef _LINUX_TIMEKEEPING32_H
#define _LINUX_TIMEKEEPING32_H

#include <linux/time.h>
#include <linux/timekeeping.h>

extern unsigned long get_seconds(void);
extern void do_gettimeofday(struct timeval *tv);

static inline struct timespec current_kernel_time(void)
{
	return timespec64_to_timespec(current_kernel_time64());
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

static inline void ktime_get_real_ts(struct timespec *ts)
{
	getnstimeofday(ts);
}

static inline void getrawmonotonic(struct timespec *ts)
{
	struct timespec64 ts64;

	ktime_get_raw_ts64(&ts64);
	*ts = timespec64_to_timespec(ts64);
}

static inline void get_monotonic_boottime(struct timespec *ts)
{
	*ts = ktime_to_timespec(ktime_get_boottime());
}

#endif /* _LINUX_TIMEKEEPING32_H */
