/* SPDX-License-Identifier: GPL-2.0 */
/* klpsh: vmalloc (Python kernel, kernel/api/slab.py): the same heap, a larger size limit. */
#ifndef _LINUX_VMALLOC_H
#define _LINUX_VMALLOC_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <asm/pgtable_types.h>

extern void *vmalloc(unsigned long size) __malloc;
extern void *vzalloc(unsigned long size) __malloc;
extern void vfree(const void *addr);
extern void *vmalloc_user(unsigned long size) __malloc;
extern void *vmalloc_32(unsigned long size) __malloc;
extern void *vmalloc_32_user(unsigned long size) __malloc;
extern void *vmalloc_node(unsigned long size, int node) __malloc;
extern void *vzalloc_node(unsigned long size, int node) __malloc;
extern void *vmalloc_exec(unsigned long size) __malloc;
/* PROT (PAGE_KERNEL, PAGE_KERNEL_RO ...: asm/pgtable_types.h) is the mapping's protection */
extern void *__vmalloc(unsigned long size, gfp_t gfp_mask, pgprot_t prot) __malloc;

/* what 4.19's vmalloc.h pulls in as well */
#include <asm/current.h>
#include <asm/ioctl.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/time64.h>
#include <linux/rbtree.h>

#endif /* _LINUX_VMALLOC_H */
