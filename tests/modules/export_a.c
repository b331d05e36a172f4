// SPDX-License-Identifier: GPL-2.0
/* Exports a function and a variable for export_b. */
#include <linux/module.h>
#include <linux/kernel.h>

int export_a_counter = 40;
EXPORT_SYMBOL(export_a_counter);

int export_a_add(int n)
{
	export_a_counter += n;
	return export_a_counter;
}
EXPORT_SYMBOL_GPL(export_a_add);

static int __init export_a_init(void) { pr_info("export_a: loaded\n"); return 0; }
static void __exit export_a_exit(void) { pr_info("export_a: unloaded\n"); }
module_init(export_a_init);
module_exit(export_a_exit);
MODULE_LICENSE("GPL");
