/* smp_mem_demo.c - cross-CPU calls (the CPU and context they run in) and the page counts */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/smp.h>
#include <linux/cpumask.h>
#include <linux/hardirq.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/swap.h>

static unsigned long block;

static void where(void *info)
{
	pr_info("smp_mem_demo: %s on cpu %d, in_irq %d\n", (const char *)info,
		smp_processor_id(), in_irq() ? 1 : 0);
}

static int __init smp_mem_init(void)
{
	struct cpumask one;
	unsigned long before = nr_free_pages();
	int ret;

	on_each_cpu(where, "on_each_cpu", 1);
	ret = smp_call_function_single(0, where, "single 0", 1);
	pr_info("smp_mem_demo: single 0 -> %d\n", ret);
	ret = smp_call_function_single(nr_cpu_ids, where, "single past", 1);
	pr_info("smp_mem_demo: single %u -> %d\n", nr_cpu_ids, ret);
	smp_call_function(where, "others", 1);
	cpumask_clear(&one);
	cpumask_set_cpu(1, &one);
	on_each_cpu_mask(&one, where, "mask 1", 1);
	pr_info("smp_mem_demo: back on cpu %d\n", smp_processor_id());

	block = __get_free_pages(GFP_KERNEL, 4);
	pr_info("smp_mem_demo: order-4 block takes %lu pages\n", before - nr_free_pages());
	return block ? 0 : -ENOMEM;
}

static void __exit smp_mem_exit(void)
{
	free_pages(block, 4);
}

module_init(smp_mem_init);
module_exit(smp_mem_exit);
MODULE_LICENSE("GPL");
