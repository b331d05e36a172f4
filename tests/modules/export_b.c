// SPDX-License-Identifier: GPL-2.0
/* Uses export_a's symbols: loads only after it, and pins it. */
#include <linux/module.h>
#include <linux/kernel.h>

extern int export_a_counter;
extern int export_a_add(int n);

static int __init export_b_init(void)
{
	pr_info("export_b: %d %d\n", export_a_add(2), export_a_counter);
	return 0;
}
static void __exit export_b_exit(void) { pr_info("export_b: unloaded\n"); }
module_init(export_b_init);
module_exit(export_b_exit);
MODULE_LICENSE("GPL");
