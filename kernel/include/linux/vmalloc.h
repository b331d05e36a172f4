/* SPDX-License-Identifier: GPL-2.0 */
/* klpsh: vmalloc (Python kernel, kernel/api/slab.py): the same heap, a larger size limit. */
#ifndef _LINUX_VMALLOC_H
#define _LINUX_VMALLOC_H

#include <linux/types.h>
#include <linux/compiler.h>

extern void *vmalloc(unsigned long size) __malloc;
extern void *vzalloc(unsigned long size) __malloc;
extern void vfree(const void *addr);

#endif /* _LINUX_VMALLOC_H */
