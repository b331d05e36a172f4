// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: the page allocator's totals.  totalram_pages is the pages
 * klpsh's buddy allocators manage (the kmalloc heap and the module area),
 * written at boot by kernel/machine.py; free pages are counted by the Python
 * kernel (kernel/api/page_alloc.py).
 */
#include <linux/mm.h>
#include <linux/export.h>

unsigned long totalram_pages;
EXPORT_SYMBOL(totalram_pages);
