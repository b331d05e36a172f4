/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_IRQ_H
#define _LINUX_IRQ_H

/*
 * klpsh: the generic IRQ layer's header.  Interrupt chips and descriptors are
 * the kernel's (kernel/irq.py); a module requests lines with linux/interrupt.h.
 */
#include <linux/smp.h>
#include <linux/cpumask.h>
#include <linux/irqreturn.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/gfp.h>
#include <asm/io.h>

/* irq trigger types (IRQ_TYPE_*, as IRQF_TRIGGER_* give them) */
enum {
	IRQ_TYPE_NONE		= 0x00000000,
	IRQ_TYPE_EDGE_RISING	= 0x00000001,
	IRQ_TYPE_EDGE_FALLING	= 0x00000002,
	IRQ_TYPE_EDGE_BOTH	= (IRQ_TYPE_EDGE_FALLING | IRQ_TYPE_EDGE_RISING),
	IRQ_TYPE_LEVEL_HIGH	= 0x00000004,
	IRQ_TYPE_LEVEL_LOW	= 0x00000008,
	IRQ_TYPE_LEVEL_MASK	= (IRQ_TYPE_LEVEL_LOW | IRQ_TYPE_LEVEL_HIGH),
	IRQ_TYPE_SENSE_MASK	= 0x0000000f,
	IRQ_TYPE_DEFAULT	= IRQ_TYPE_SENSE_MASK,
	IRQ_TYPE_PROBE		= 0x00000010,
};

/* what 4.19's irq.h pulls in as well */
#include <asm/current.h>
#include <asm/ioctl.h>
#include <asm/page.h>
#include <asm/param.h>
#include <asm/processor.h>
#include <linux/idr.h>
#include <linux/jiffies.h>
#include <linux/kobject.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/percpu.h>
#include <linux/rwsem.h>
#include <linux/stat.h>
#include <linux/sysfs.h>
#include <linux/time.h>
#include <linux/timer.h>
#include <linux/uidgid.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

#endif /* _LINUX_IRQ_H */
