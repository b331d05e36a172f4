/* timefmt.c - print the date: ktime_get_real_ts64 + time64_to_tm, ns clocks, timespec64 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/time.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/string_helpers.h>

static int __init tf_init(void)
{
	struct timespec64 ts;
	struct tm tm;
	char size[16];
	u64 mono = ktime_get_ns(), real = ktime_get_real_ns(), boot = ktime_get_boot_ns();

	ktime_get_real_ts64(&ts);
	time64_to_tm(ts.tv_sec, 0, &tm);
	pr_info("timefmt: %04ld-%02d-%02d %02d:%02d:%02d UTC (wday %d yday %d)\n",
		tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		tm.tm_wday, tm.tm_yday);
	pr_info("timefmt: real-mono %s, boot>=mono %d, ts from ktime %lld.%09ld\n",
		real > mono ? "positive" : "negative", boot >= mono,
		(long long)ktime_to_timespec64(ktime_get()).tv_sec, ktime_to_timespec64(ktime_get()).tv_nsec);
	string_get_size(123456789, 1, STRING_UNITS_2, size, sizeof(size));
	pr_info("timefmt: 123456789 bytes is %s\n", size);
	return 0;
}

static void __exit tf_exit(void) { }

module_init(tf_init);
module_exit(tf_exit);
MODULE_LICENSE("GPL");
