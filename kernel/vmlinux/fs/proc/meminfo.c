// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: /proc/meminfo, from si_meminfo().
 *
 * klpsh does not model a page cache: "Cached" is the shared memory the
 * kernel reports, and "MemAvailable" is free + buffers + cached.
 */
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include "internal.h"

/* "Label:" padded to 16 columns, then the value in kB right-aligned in 8 */
static void meminfo_show_kb(struct seq_file *m, const char *label,
			    unsigned long num, unsigned long unit)
{
	seq_printf(m, "%-16s%8lu kB\n", label, num * unit >> 10);
}

int meminfo_proc_show(struct seq_file *m, void *v)
{
	struct sysinfo i;
	unsigned long unit, cached, available;

	memset(&i, 0, sizeof(i));
	si_meminfo(&i);
	unit = i.mem_unit ? i.mem_unit : PAGE_SIZE;
	cached = i.sharedram;
	available = i.freeram + i.bufferram + cached;

	meminfo_show_kb(m, "MemTotal:", i.totalram, unit);
	meminfo_show_kb(m, "MemFree:", i.freeram, unit);
	meminfo_show_kb(m, "MemAvailable:", available, unit);
	meminfo_show_kb(m, "Buffers:", i.bufferram, unit);
	meminfo_show_kb(m, "Cached:", cached, unit);
	meminfo_show_kb(m, "SwapTotal:", i.totalswap, unit);
	meminfo_show_kb(m, "SwapFree:", i.freeswap, unit);
	return 0;
}
