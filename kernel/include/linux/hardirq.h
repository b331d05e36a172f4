/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LINUX_HARDIRQ_H
#define LINUX_HARDIRQ_H

#include <linux/preempt.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <asm/hardirq.h>

extern void synchronize_irq(unsigned int irq);
extern bool synchronize_hardirq(unsigned int irq);

/* what 4.19's hardirq.h pulls in as well */
#include <asm/current.h>
#include <asm/ioctl.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/irqflags.h>
#include <linux/list.h>
#include <linux/time64.h>

#endif /* LINUX_HARDIRQ_H */
