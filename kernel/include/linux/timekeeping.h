/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: the clocks, read from the simulated kernel's virtual clock
 * (kernel/api/timekeeping.py).  CLOCK_MONOTONIC and CLOCK_BOOTTIME count
 * from boot (nothing suspends); CLOCK_REALTIME is the boot's wall time plus
 * that; CLOCK_TAI is 37 s ahead of it.
 */
#ifndef _LINUX_TIMEKEEPING_H
#define _LINUX_TIMEKEEPING_H

#include <linux/ktime.h>

enum tk_offsets {
	TK_OFFS_REAL,
	TK_OFFS_BOOT,
	TK_OFFS_TAI,
	TK_OFFS_MAX,
};

extern ktime_t ktime_get(void);
extern ktime_t ktime_get_with_offset(enum tk_offsets offs);
extern ktime_t ktime_get_raw(void);
extern u64 ktime_get_mono_fast_ns(void);
extern u64 ktime_get_raw_fast_ns(void);
extern u64 ktime_get_boot_fast_ns(void);
extern time64_t ktime_get_seconds(void);
extern time64_t ktime_get_real_seconds(void);
extern void ktime_get_ts64(struct timespec64 *ts);
extern void ktime_get_real_ts64(struct timespec64 *tv);
extern void ktime_get_raw_ts64(struct timespec64 *ts);
extern void ktime_get_coarse_real_ts64(struct timespec64 *ts);
extern void getboottime64(struct timespec64 *ts);

static inline ktime_t ktime_get_real(void)
{
	return ktime_get_with_offset(TK_OFFS_REAL);
}

static inline ktime_t ktime_get_boottime(void)
{
	return ktime_get_with_offset(TK_OFFS_BOOT);
}

static inline ktime_t ktime_get_clocktai(void)
{
	return ktime_get_with_offset(TK_OFFS_TAI);
}

static inline u64 ktime_get_ns(void)
{
	return ktime_to_ns(ktime_get());
}

static inline u64 ktime_get_real_ns(void)
{
	return ktime_to_ns(ktime_get_real());
}

static inline u64 ktime_get_boot_ns(void)
{
	return ktime_to_ns(ktime_get_boottime());
}

static inline u64 ktime_get_tai_ns(void)
{
	return ktime_to_ns(ktime_get_clocktai());
}

static inline u64 ktime_get_raw_ns(void)
{
	return ktime_to_ns(ktime_get_raw());
}

static inline void getnstimeofday64(struct timespec64 *ts)
{
	ktime_get_real_ts64(ts);
}

static inline struct timespec64 current_kernel_time64(void)
{
	struct timespec64 ts;

	ktime_get_coarse_real_ts64(&ts);
	return ts;
}

static inline void get_monotonic_boottime64(struct timespec64 *ts)
{
	*ts = ktime_to_timespec64(ktime_get_boottime());
}

#include <linux/timekeeping32.h>

/* what 4.19's timekeeping.h pulls in as well */
#include <linux/errno.h>

#endif /* _LINUX_TIMEKEEPING_H */
