/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: the fixmap's place (x86-64 4.19: below the vsyscall page, at the
 * top of the address space).  klpsh maps nothing there; the constants are
 * for code that prints the kernel's layout.
 */
#ifndef _ASM_X86_FIXMAP_H
#define _ASM_X86_FIXMAP_H

#include <asm/page.h>

#define VSYSCALL_ADDR	(-10UL << 20)
#define FIXADDR_TOP	(round_up(VSYSCALL_ADDR + PAGE_SIZE, 1 << 21) - PAGE_SIZE)
#define FIXADDR_SIZE	(1UL << 21)
#define FIXADDR_START	(FIXADDR_TOP - FIXADDR_SIZE)

#endif /* _ASM_X86_FIXMAP_H */
