/* SPDX-License-Identifier: GPL-2.0 */
/* klpsh: interrupts are not modelled inside guest code; flags are kept assigned for -Wall. */
#ifndef _LINUX_TRACE_IRQFLAGS_H
#define _LINUX_TRACE_IRQFLAGS_H

#include <linux/typecheck.h>

#define local_irq_enable()	do { } while (0)
#define local_irq_disable()	do { } while (0)
#define local_irq_save(flags)				\
	do {						\
		typecheck(unsigned long, flags);	\
		(flags) = 0;				\
	} while (0)
#define local_irq_restore(flags)			\
	do {						\
		typecheck(unsigned long, flags);	\
		(void)(flags);				\
	} while (0)
#define irqs_disabled()		0

/* what 4.19's irqflags.h pulls in as well */
#include <linux/types.h>

#endif
