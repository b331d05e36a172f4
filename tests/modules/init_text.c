// SPDX-License-Identifier: GPL-2.0
/* Its init function in .init.text, as the kernel's own __init puts it: freed after init. */
#include <linux/module.h>
#include <linux/kernel.h>

static int __attribute__((__section__(".init.text"))) init_text_init(void)
{
	pr_info("init_text: loaded\n");
	return 0;
}

static void init_text_exit(void) { pr_info("init_text: unloaded\n"); }
module_init(init_text_init);
module_exit(init_text_exit);
MODULE_LICENSE("GPL");
