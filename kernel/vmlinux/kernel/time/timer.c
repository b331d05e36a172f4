// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: the jiffies counter.  Guest code only reads it; the Python
 * clock (kernel/time.py) stores the current tick count here as virtual time
 * advances.
 */
#include <linux/jiffies.h>
#include <linux/export.h>

unsigned long volatile __aligned(64) jiffies = INITIAL_JIFFIES;
EXPORT_SYMBOL(jiffies);

/* on 64-bit, jiffies is the whole of jiffies_64 (one variable, two names) */
extern u64 jiffies_64 __attribute__((alias("jiffies")));
EXPORT_SYMBOL(jiffies_64);
