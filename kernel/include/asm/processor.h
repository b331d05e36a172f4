/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_PROCESSOR_H
#define _ASM_X86_PROCESSOR_H

/* the address limit of a task's user accesses (get_fs()/set_fs(), asm/uaccess.h) */
typedef struct {
	unsigned long		seg;
} mm_segment_t;

/* klpsh: of x86's thread_struct, the member modules reach */
struct thread_struct {
	mm_segment_t		addr_limit;
};

/* PAUSE: spin-wait hint */
static inline void cpu_relax(void)
{
	__asm__ __volatile__("rep; nop" : : : "memory");
}

/* what 4.19's processor.h pulls in as well */
#include <asm/current.h>
#include <asm/ioctl.h>
#include <asm/page.h>
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/cache.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/irqflags.h>
#include <linux/log2.h>
#include <linux/cpumask.h>

#endif
