// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: where each CPU's per-CPU copy lies relative to CPU 0's
 * (written by kernel/percpu.py when the areas are made), and how many CPUs
 * there are (kernel/machine.py NR_CPUS).
 */
#include <linux/percpu.h>
#include <linux/cpumask.h>
#include <linux/export.h>

unsigned long __per_cpu_offset[NR_CPUS];
EXPORT_SYMBOL(__per_cpu_offset);

#define KLPSH_NR_CPUS	2	/* kernel/machine.py NR_CPUS */
#define KLPSH_CPU_BITS	((1UL << KLPSH_NR_CPUS) - 1)

unsigned int nr_cpu_ids = KLPSH_NR_CPUS;
EXPORT_SYMBOL(nr_cpu_ids);

/* the CPU guest code runs as (smp_processor_id()); kernel/api/smp.py sets it */
unsigned int klpsh_cpu_number;
EXPORT_SYMBOL(klpsh_cpu_number);

/* every CPU is possible, present, online and active */
struct cpumask __cpu_possible_mask = { .bits = { KLPSH_CPU_BITS } };
EXPORT_SYMBOL(__cpu_possible_mask);
struct cpumask __cpu_online_mask = { .bits = { KLPSH_CPU_BITS } };
EXPORT_SYMBOL(__cpu_online_mask);
struct cpumask __cpu_present_mask = { .bits = { KLPSH_CPU_BITS } };
EXPORT_SYMBOL(__cpu_present_mask);
struct cpumask __cpu_active_mask = { .bits = { KLPSH_CPU_BITS } };
EXPORT_SYMBOL(__cpu_active_mask);
