/*
 * time_demo.c - the kernel's clocks as a 4.x module reads them.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/time.h>
#include <linux/ktime.h>
#include <linux/jiffies.h>
#include <linux/delay.h>

static unsigned long load_jiffies;
static ktime_t load_time;

static int __init time_demo_init(void)
{
	struct timeval tv;
	struct timespec64 ts;
	struct tm tm;

	load_jiffies = jiffies;
	load_time = ktime_get();
	do_gettimeofday(&tv);
	ktime_get_real_ts64(&ts);
	time64_to_tm(ts.tv_sec, 0, &tm);
	pr_info("time_demo: HZ=%d, jiffies since boot %lu\n", HZ, jiffies - INITIAL_JIFFIES);
	pr_info("time_demo: wall clock %04ld-%02d-%02d %02d:%02d:%02d UTC\n",
		tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	pr_info("time_demo: gettimeofday and ts64 agree: %d\n", tv.tv_sec == ts.tv_sec);
	mdelay(20);
	udelay(100);
	msleep(100);
	pr_info("time_demo: after mdelay+msleep: %lld ms, %u jiffies-ms\n",
		ktime_to_ms(ktime_sub(ktime_get(), load_time)),
		jiffies_to_msecs(jiffies - load_jiffies));
	return 0;
}

static void __exit time_demo_exit(void)
{
	pr_info("time_demo: module was loaded for %u s\n",
		jiffies_to_msecs(jiffies - load_jiffies) / 1000);
}

module_init(time_demo_init);
module_exit(time_demo_exit);
MODULE_LICENSE("GPL");
