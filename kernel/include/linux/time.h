/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_TIME_H
#define _LINUX_TIME_H

#include <linux/types.h>
#include <linux/time64.h>

struct timespec {
	long	tv_sec;
	long	tv_nsec;
};

struct timeval {
	long	tv_sec;
	long	tv_usec;
};

/* the clocks (uapi linux/time.h) */
#define CLOCK_REALTIME			0
#define CLOCK_MONOTONIC			1
#define CLOCK_PROCESS_CPUTIME_ID	2
#define CLOCK_THREAD_CPUTIME_ID		3
#define CLOCK_MONOTONIC_RAW		4
#define CLOCK_REALTIME_COARSE		5
#define CLOCK_MONOTONIC_COARSE		6
#define CLOCK_BOOTTIME			7
#define CLOCK_REALTIME_ALARM		8
#define CLOCK_BOOTTIME_ALARM		9
#define CLOCK_TAI			11
#define MAX_CLOCKS			16

struct timezone {
	int	tz_minuteswest;
	int	tz_dsttime;
};

/* on 64 bits a timespec is a timespec64 */
static inline struct timespec timespec64_to_timespec(const struct timespec64 ts64)
{
	struct timespec ts = { .tv_sec = ts64.tv_sec, .tv_nsec = ts64.tv_nsec };

	return ts;
}

static inline struct timespec64 timespec_to_timespec64(const struct timespec ts)
{
	struct timespec64 ts64 = { .tv_sec = ts.tv_sec, .tv_nsec = ts.tv_nsec };

	return ts64;
}

static inline s64 timespec_to_ns(const struct timespec *ts)
{
	return ((s64) ts->tv_sec * NSEC_PER_SEC) + ts->tv_nsec;
}

static inline s64 timespec64_to_ns(const struct timespec64 *ts)
{
	return ((s64) ts->tv_sec * NSEC_PER_SEC) + ts->tv_nsec;
}

static inline s64 timeval_to_ns(const struct timeval *tv)
{
	return ((s64) tv->tv_sec * NSEC_PER_SEC) + tv->tv_usec * NSEC_PER_USEC;
}

/* seconds and nanoseconds of NSEC (the remainder never negative) */
static inline struct timespec64 ns_to_timespec64(const s64 nsec)
{
	struct timespec64 ts = { .tv_sec = nsec / NSEC_PER_SEC, .tv_nsec = nsec % NSEC_PER_SEC };

	if (ts.tv_nsec < 0) {
		ts.tv_sec--;
		ts.tv_nsec += NSEC_PER_SEC;
	}
	return ts;
}

static inline struct timespec ns_to_timespec(const s64 nsec)
{
	return timespec64_to_timespec(ns_to_timespec64(nsec));
}

static inline struct timeval ns_to_timeval(const s64 nsec)
{
	struct timespec ts = ns_to_timespec(nsec);
	struct timeval tv = { .tv_sec = ts.tv_sec, .tv_usec = ts.tv_nsec / 1000 };

	return tv;
}

static inline struct timespec timespec_sub(struct timespec lhs, struct timespec rhs)
{
	return ns_to_timespec(timespec_to_ns(&lhs) - timespec_to_ns(&rhs));
}

static inline struct timespec64 timespec64_sub(struct timespec64 lhs, struct timespec64 rhs)
{
	return ns_to_timespec64(timespec64_to_ns(&lhs) - timespec64_to_ns(&rhs));
}

/* broken-down calendar time (time64_to_tm, kernel/time/timeconv.c) */
struct tm {
	int tm_sec;
	int tm_min;
	int tm_hour;
	int tm_mday;
	int tm_mon;
	long tm_year;		/* years since 1900 */
	int tm_wday;
	int tm_yday;
};

extern void time64_to_tm(time64_t totalsecs, int offset, struct tm *result);

/* what 4.19's time.h pulls in as well */
#include <asm/current.h>
#include <asm/ioctl.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/seqlock.h>

#endif
