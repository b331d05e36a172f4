// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: where each CPU's per-CPU copy lies relative to CPU 0's
 * (written by kernel/percpu.py when the areas are made), and how many CPUs
 * there are (kernel/machine.py NR_CPUS).
 */
#include <linux/percpu.h>
#include <linux/export.h>

unsigned long __per_cpu_offset[NR_CPUS];
EXPORT_SYMBOL(__per_cpu_offset);

unsigned int nr_cpu_ids = 2;
EXPORT_SYMBOL(nr_cpu_ids);
