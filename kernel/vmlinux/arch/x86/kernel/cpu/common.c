// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: CPU 0's preempt count, which preempt_count() and in_interrupt()
 * read.  kernel/softirq.py writes it for the task whose code runs (softirq and
 * hardirq nesting; x86's PREEMPT_NEED_RESCHED bit is set while no reschedule is
 * wanted).
 */
#include <linux/preempt.h>
#include <linux/export.h>

int __preempt_count = INIT_PREEMPT_COUNT;
EXPORT_SYMBOL(__preempt_count);
