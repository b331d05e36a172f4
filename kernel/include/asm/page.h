/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_PAGE_H
#define _ASM_X86_PAGE_H

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

/*
 * klpsh maps kernel memory one to one (guest memory starts at 0, no
 * PAGE_OFFSET direct map), so a kernel address is its physical address.
 */
#define PAGE_OFFSET	((unsigned long)0)
#define __pa(x)		((unsigned long)(x))
#define __va(x)		((void *)(unsigned long)(x))
#define virt_addr_valid(kaddr)	((unsigned long)(kaddr) != 0)

/* what 4.19's page.h pulls in as well */
#include <linux/bitops.h>
#include <linux/log2.h>

#endif
