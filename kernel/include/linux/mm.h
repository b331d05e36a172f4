/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_MM_H
#define _LINUX_MM_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/sysinfo.h>
#include <linux/gfp.h>
#include <asm/page.h>

#define PAGE_ALIGN(addr)	ALIGN(addr, PAGE_SIZE)

/* fills the memory fields of *val (mem_unit = PAGE_SIZE); Python kernel */
extern void si_meminfo(struct sysinfo *val);

/* what 4.19's mm.h pulls in as well */
#include <linux/completion.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/pid.h>
#include <linux/rculist.h>
#include <linux/refcount.h>
#include <linux/semaphore.h>
#include <linux/uidgid.h>
#include <linux/vmalloc.h>
#include <asm/io.h>

#endif
