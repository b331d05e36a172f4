// SPDX-License-Identifier: GPL-2.0
/* Per-CPU variables: a module's .data..percpu copied to each CPU, alloc_percpu, this_cpu ops. */
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/cpumask.h>

static DEFINE_PER_CPU(int, hits) = 5;
static DEFINE_PER_CPU(unsigned long, bytes);
static unsigned long __percpu *dyn;

static int __init percpu_demo_init(void)
{
	int cpu, sum = 0;
	unsigned long total = 0;

	this_cpu_inc(hits);
	get_cpu_var(hits) += 10;
	put_cpu_var(hits);
	per_cpu(hits, 1) += 100;
	__this_cpu_add(bytes, 4096);
	for_each_possible_cpu(cpu)
		pr_info("cpu %d: hits %d bytes %lu\n", cpu, per_cpu(hits, cpu), *per_cpu_ptr(&bytes, cpu));
	dyn = alloc_percpu(unsigned long);
	if (!dyn)
		return -ENOMEM;
	for_each_online_cpu(cpu) {
		*per_cpu_ptr(dyn, cpu) += cpu + 1;
		total += *per_cpu_ptr(dyn, cpu);
		sum += per_cpu(hits, cpu);
	}
	pr_info("online %u possible %u: sum %d total %lu this %lu\n", num_online_cpus(),
		num_possible_cpus(), sum, total, *this_cpu_ptr(dyn));
	return 0;
}

static void __exit percpu_demo_exit(void)
{
	free_percpu(dyn);
}

module_init(percpu_demo_init);
module_exit(percpu_demo_exit);
MODULE_LICENSE("GPL");
