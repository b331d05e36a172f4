// SPDX-License-Identifier: GPL-2.0
/* Clocks and random numbers as drivers and selftests read them. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/delay.h>

static int __init time_rand_init(void)
{
	ktime_t t0 = ktime_get(), t1;
	u64 ns0 = ktime_get_ns(), j0 = get_jiffies_64();
	struct timespec64 ts, real;
	struct timeval tv;
	unsigned char bytes[8];
	u32 r1, r2, p;
	int i, in_range = 1;

	msleep(250);
	t1 = ktime_get();
	pr_info("slept %lld ms, %llu ns, %llu jiffies, jiffies_64 same: %d\n",
		ktime_ms_delta(t1, t0), ktime_get_ns() - ns0, get_jiffies_64() - j0,
		jiffies_64 == jiffies);
	ktime_get_ts64(&ts);
	ktime_get_real_ts64(&real);
	do_gettimeofday(&tv);
	pr_info("mono %lld.%09ld real %lld (%d) tv %ld boot-mono %lld tai-real %lld s\n",
		(long long)ts.tv_sec, ts.tv_nsec, (long long)real.tv_sec,
		real.tv_sec == ktime_get_real_seconds(), tv.tv_sec,
		ktime_to_ns(ktime_sub(ktime_get_boottime(), ktime_get())),
		ktime_to_ms(ktime_sub(ktime_get_clocktai(), ktime_get_real())) / 1000);
	pr_info("ktime_set %lld us_delta %lld\n", ktime_set(2, 500), ktime_us_delta(ms_to_ktime(3), 0));

	get_random_bytes(bytes, sizeof(bytes));
	r1 = get_random_u32();
	r2 = get_random_u32();
	for (i = 0; i < 100; i++) {
		p = prandom_u32_max(10);
		if (p >= 10)
			in_range = 0;
	}
	pr_info("random %8ph %08x %08x differ=%d prandom_max in range=%d\n", bytes, r1, r2, r1 != r2,
		in_range);
	return 0;
}

static void __exit time_rand_exit(void) { }
module_init(time_rand_init);
module_exit(time_rand_exit);
MODULE_LICENSE("GPL");
