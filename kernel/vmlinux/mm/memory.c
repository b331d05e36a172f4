// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: the end of kernel memory, exported as 4.19's mm/memory.c
 * does (x86-64: no highmem, so the end of RAM in the one-to-one mapping).
 * The value is kernel/mm.py's MEM_BASE + MEM_SIZE (tests/test_page.py).
 */
#include <linux/export.h>

void *high_memory = (void *)0x40100000UL;
EXPORT_SYMBOL(high_memory);
