/* rtree_demo.c - radix tree: empty roots, -EEXIST, gang lookups from an index, preloads */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/radix-tree.h>
#include <linux/slab.h>

static int __init rt_init(void)
{
	struct radix_tree_root *root = kmalloc(sizeof(*root), GFP_KERNEL);
	static char a[] = "a", b[] = "b", c[] = "c";
	void *res[4];
	int n;

	if (!root)
		return -ENOMEM;
	INIT_RADIX_TREE(root, GFP_ATOMIC);
	pr_info("rtree: empty %d\n", radix_tree_empty(root));
	if (radix_tree_preload(GFP_KERNEL) == 0) {
		pr_info("rtree: insert 3 -> %d\n", radix_tree_insert(root, 3, a));
		radix_tree_preload_end();
	}
	pr_info("rtree: again 3 -> %d, empty %d\n", radix_tree_insert(root, 3, b),
		radix_tree_empty(root));
	radix_tree_insert(root, ~0UL, c);
	radix_tree_insert(root, 1UL << 40, b);
	n = radix_tree_gang_lookup(root, res, 4, 4);
	pr_info("rtree: from 4: %d: %s %s\n", n, (char *)res[0], (char *)res[1]);
	pr_info("rtree: from 0, at most 1: %d\n", radix_tree_gang_lookup(root, res, 0, 1));
	res[0] = radix_tree_delete(root, 3);
	res[1] = radix_tree_delete(root, 3);
	pr_info("rtree: delete 3 -> %s, delete 3 -> %p\n", (char *)res[0], res[1]);
	radix_tree_delete(root, ~0UL);
	radix_tree_delete(root, 1UL << 40);
	pr_info("rtree: empty %d\n", radix_tree_empty(root));
	kfree(root);
	return 0;
}

static void __exit rt_exit(void) { }

module_init(rt_init);
module_exit(rt_exit);
MODULE_LICENSE("GPL");
