/* SPDX-License-Identifier: GPL-2.0 */
/* klpsh: vmalloc (Python kernel, kernel/api/slab.py): the same heap, a larger size limit. */
#ifndef _LINUX_VMALLOC_H
#define _LINUX_VMALLOC_H

#include <linux/types.h>
#include <linux/compiler.h>

extern void *vmalloc(unsigned long size) __malloc;
extern void *vzalloc(unsigned long size) __malloc;
extern void vfree(const void *addr);

/* what 4.19's vmalloc.h pulls in as well */
#include <asm/current.h>
#include <asm/ioctl.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/time64.h>
#include <linux/rbtree.h>

#endif /* _LINUX_VMALLOC_H */
