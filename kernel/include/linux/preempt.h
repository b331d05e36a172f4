/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __LINUX_PREEMPT_H
#define __LINUX_PREEMPT_H

/* klpsh: guest code is never preempted, and never runs in interrupt context. */
#define preempt_count()			0
#define preempt_disable()		barrier()
#define preempt_enable()		barrier()
#define preempt_enable_no_resched()	barrier()
#define preempt_disable_notrace()	barrier()
#define preempt_enable_notrace()	barrier()

#define in_irq()		0
#define in_softirq()		0
#define in_interrupt()		0
#define in_serving_softirq()	0
#define in_nmi()		0
#define in_task()		1
#define in_atomic()		0

/* what 4.19's preempt.h pulls in as well */
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

#endif
