/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __LINUX_SMP_H
#define __LINUX_SMP_H

#include <linux/preempt.h>

/* klpsh runs guest code on one CPU at a time; it is always CPU 0 here */
#define smp_processor_id()	0
#define raw_smp_processor_id()	0
#define get_cpu()		({ preempt_disable(); smp_processor_id(); })
#define put_cpu()		preempt_enable()

#endif
