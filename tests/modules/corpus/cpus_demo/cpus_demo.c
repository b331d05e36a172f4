/* cpus_demo.c - run a function on every CPU, per-CPU counters */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/smp.h>
#include <linux/cpumask.h>
#include <linux/percpu.h>

static DEFINE_PER_CPU(int, hits);

static void on_cpu(void *info)
{
	atomic_t *count = info;

	this_cpu_inc(hits);
	atomic_inc(count);
}

static int __init cpus_init(void)
{
	atomic_t count = ATOMIC_INIT(0);
	int cpu;

	pr_info("cpus_demo: %u online, %u possible, nr_cpu_ids %u, on cpu %d\n", num_online_cpus(),
		num_possible_cpus(), nr_cpu_ids, get_cpu());
	put_cpu();
	on_each_cpu(on_cpu, &count, 1);
	pr_info("cpus_demo: on_each_cpu ran %d times\n", atomic_read(&count));
	smp_call_function_single(1, on_cpu, &count, 1);
	for_each_online_cpu(cpu)
		pr_info("cpus_demo: cpu %d hits %d\n", cpu, per_cpu(hits, cpu));
	pr_info("cpus_demo: online mask %*pbl\n", cpumask_pr_args(cpu_online_mask));
	return 0;
}

static void __exit cpus_exit(void) { }

module_init(cpus_init);
module_exit(cpus_exit);
MODULE_LICENSE("GPL");
