/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: address translation for kernel memory (x86's asm/io.h).  There are
 * no devices to map: ioremap() and the port I/O of real hardware are not
 * provided, so a driver using them fails to build (implicit declaration).
 */
#ifndef _ASM_X86_IO_H
#define _ASM_X86_IO_H

#include <linux/types.h>
#include <asm/page.h>

static inline phys_addr_t virt_to_phys(volatile void *address)
{
	return __pa(address);
}

static inline void *phys_to_virt(phys_addr_t address)
{
	return __va(address);
}

/* what 4.19's io.h pulls in as well */
#include <linux/vmalloc.h>

#endif /* _ASM_X86_IO_H */
