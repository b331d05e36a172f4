/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: the kernel's address-space layout (x86's asm/pgtable_64_types.h),
 * as klpsh lays out guest memory (kernel/mm.py): kernel memory is mapped
 * one to one from 0 (PAGE_OFFSET), module code lives from MODULES_VADDR, and
 * vmalloc() hands out blocks of the kernel heap, which is its VMALLOC range.
 */
#ifndef _ASM_X86_PGTABLE_H
#define _ASM_X86_PGTABLE_H

#include <asm/page.h>
#include <asm/pgtable_types.h>

#define MODULES_VADDR		0x01000000UL
#define MODULES_END		0x08000000UL
#define MODULES_LEN		(MODULES_END - MODULES_VADDR)
#define VMALLOC_START		0x08000000UL
#define VMALLOC_END		0x20000000UL
#define VMALLOC_SIZE_TB		0
/* user space as 4.19 x86-64 has it (4-level paging) */
#define TASK_SIZE_MAX		((1UL << 47) - PAGE_SIZE)
#ifndef TASK_SIZE
#define TASK_SIZE		TASK_SIZE_MAX
#endif

extern void *high_memory;

/* what 4.19's pgtable.h pulls in as well */
#include <linux/mm.h>

#endif /* _ASM_X86_PGTABLE_H */
