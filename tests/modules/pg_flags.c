// SPDX-License-Identifier: GPL-2.0
/* %pGg, %pGp and %pGv as mm debug messages use them (shadow variables print %pGg). */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/gfp.h>

static int __init pg_flags_init(void)
{
	gfp_t g[] = { GFP_KERNEL, GFP_ATOMIC | __GFP_ZERO, GFP_KERNEL | __GFP_NOWARN, __GFP_HIGH,
		      GFP_USER | __GFP_HIGHMEM | __GFP_MOVABLE, 0x1000000u, 0 };
	unsigned long page = (1UL << 0) | (1UL << 3) | (1UL << 5) | (3UL << 60);
	unsigned long vma = 0x1 | 0x2 | 0x10 | 0x20 | 0x100000;
	int i;

	for (i = 0; i < ARRAY_SIZE(g); i++)
		pr_info("gfp %d [%pGg]\n", i, &g[i]);
	pr_info("page [%pGp] vma [%pGv]\n", &page, &vma);
	return 0;
}

static void __exit pg_flags_exit(void)
{
}

module_init(pg_flags_init);
module_exit(pg_flags_exit);
MODULE_LICENSE("GPL");
