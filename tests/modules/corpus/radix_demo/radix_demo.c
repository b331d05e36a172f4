/* radix_demo.c - radix tree insert/lookup/delete and a gang lookup */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/radix-tree.h>
#include <linux/slab.h>

static RADIX_TREE(tree, GFP_KERNEL);

static int __init rd_init(void)
{
	static char *vals[] = { "zero", "one", "two", "three" };
	void *results[8];
	unsigned long idx[] = { 0, 5, 1000, 123456 };
	int i, n;

	for (i = 0; i < 4; i++)
		radix_tree_insert(&tree, idx[i], vals[i]);
	pr_info("radix_demo: 1000 -> %s, 7 -> %p\n", (char *)radix_tree_lookup(&tree, 1000),
		radix_tree_lookup(&tree, 7));
	n = radix_tree_gang_lookup(&tree, results, 0, 8);
	pr_info("radix_demo: gang lookup found %d, first %s last %s\n", n, (char *)results[0],
		(char *)results[n - 1]);
	radix_tree_delete(&tree, 5);
	pr_info("radix_demo: after delete 5 -> %p\n", radix_tree_lookup(&tree, 5));
	for (i = 0; i < 4; i++)
		radix_tree_delete(&tree, idx[i]);
	return 0;
}

static void __exit rd_exit(void) { }

module_init(rd_init);
module_exit(rd_exit);
MODULE_LICENSE("GPL");
