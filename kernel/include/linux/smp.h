/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __LINUX_SMP_H
#define __LINUX_SMP_H

#include <linux/preempt.h>

/*
 * klpsh runs guest code on one CPU at a time: CPU 0, but for a function a
 * cross-CPU call runs for another CPU (kernel/api/smp.py), which sees that
 * CPU's number (4.19 x86 reads its per-CPU cpu_number).
 */
extern unsigned int klpsh_cpu_number;
#define raw_smp_processor_id()	((int)*(volatile unsigned int *)&klpsh_cpu_number)
#define smp_processor_id()	raw_smp_processor_id()
#define get_cpu()		({ preempt_disable(); smp_processor_id(); })
#define put_cpu()		preempt_enable()

typedef void (*smp_call_func_t)(void *info);
struct cpumask;

int smp_call_function_single(int cpuid, smp_call_func_t func, void *info, int wait);
int smp_call_function(smp_call_func_t func, void *info, int wait);
void smp_call_function_many(const struct cpumask *mask, smp_call_func_t func,
			    void *info, bool wait);
int on_each_cpu(smp_call_func_t func, void *info, int wait);
void on_each_cpu_mask(const struct cpumask *mask, smp_call_func_t func,
		      void *info, bool wait);

/* what 4.19's smp.h pulls in as well */
#include <asm/current.h>
#include <asm/ioctl.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/irqflags.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/time64.h>

#endif
