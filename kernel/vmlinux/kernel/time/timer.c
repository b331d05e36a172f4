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
