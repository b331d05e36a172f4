/* meminfo_demo.c - memory figures a module can read (4.19: totalram_pages is a variable) */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/swap.h>
#include <linux/version.h>

static int __init mi_init(void)
{
	struct sysinfo si;
	unsigned long total;

	si_meminfo(&si);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 0, 0)
	total = totalram_pages();
#else
	total = totalram_pages;
#endif
	pr_info("meminfo_demo: totalram %lu pages (%lu MB), freeram %lu, mem_unit %u, match %d\n",
		si.totalram, (si.totalram * si.mem_unit) >> 20, si.freeram, si.mem_unit,
		total == si.totalram);
	pr_info("meminfo_demo: nr_free_pages %lu, free <= total %d\n", nr_free_pages(),
		nr_free_pages() <= total);
	return 0;
}

static void __exit mi_exit(void) { }

module_init(mi_init);
module_exit(mi_exit);
MODULE_LICENSE("GPL");
