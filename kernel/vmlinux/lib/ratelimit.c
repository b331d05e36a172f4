// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: ___ratelimit() (4.19's lib/ratelimit.c): a window of
 * INTERVAL jiffies lets BURST callers through; when a new window opens,
 * the callers turned away in the last one are reported.
 */
#include <linux/kernel.h>
#include <linux/jiffies.h>
#include <linux/ratelimit.h>
#include <linux/export.h>

int ___ratelimit(struct ratelimit_state *rs, const char *func)
{
	int ret;

	if (!rs->interval)
		return 1;
	if (!rs->begin)
		rs->begin = jiffies;
	if (time_is_before_jiffies(rs->begin + rs->interval)) {
		if (rs->missed && !(rs->flags & RATELIMIT_MSG_ON_RELEASE))
			printk(KERN_WARNING "%s: %d callbacks suppressed\n", func, rs->missed);
		rs->begin = jiffies;
		rs->printed = 0;
		rs->missed = 0;
	}
	if (rs->burst && rs->burst > rs->printed) {
		rs->printed++;
		ret = 1;
	} else {
		rs->missed++;
		ret = 0;
	}
	return ret;
}
EXPORT_SYMBOL(___ratelimit);

static DEFINE_RATELIMIT_STATE(printk_ratelimit_state, 5 * HZ, 10);

int printk_ratelimit(void)
{
	return ___ratelimit(&printk_ratelimit_state, "printk_ratelimit");
}
EXPORT_SYMBOL(printk_ratelimit);
