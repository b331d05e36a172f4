/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: sleeping and busy-waiting, implemented by the Python kernel.
 * Sleeps suspend the calling task in virtual time; the busy delays just
 * advance the virtual clock.
 */
#ifndef _LINUX_DELAY_H
#define _LINUX_DELAY_H

#include <linux/kernel.h>

extern void msleep(unsigned int msecs);
extern unsigned long msleep_interruptible(unsigned int msecs);
extern void usleep_range(unsigned long min, unsigned long max);

extern void mdelay(unsigned long msecs);
extern void udelay(unsigned long usecs);
extern void ndelay(unsigned long nsecs);

static inline void ssleep(unsigned int seconds)
{
	msleep(seconds * 1000);
}

#endif /* _LINUX_DELAY_H */
