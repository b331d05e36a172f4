/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: linux/swap.h of 4.19, what a module reads of it: the free page
 * count.  klpsh has no swap devices.  si_swapinfo() is declared by 4.19 but
 * exported on x86 by nothing (only s390's appldata exports it), so a module
 * calling it stops at "Unknown symbol" there; it is left out here.
 */
#ifndef _LINUX_SWAP_H
#define _LINUX_SWAP_H

#include <linux/spinlock.h>
#include <linux/linkage.h>
#include <linux/list.h>
#include <linux/sched.h>
#include <linux/fs.h>
#include <linux/atomic.h>
#include <linux/mm.h>		/* 4.19: by way of linux/memcontrol.h */
#include <asm/page.h>

#define nr_free_pages() global_zone_page_state(NR_FREE_PAGES)

#endif /* _LINUX_SWAP_H */
