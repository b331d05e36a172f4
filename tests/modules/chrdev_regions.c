// SPDX-License-Identifier: GPL-2.0
/*
 * chrdev_regions: the return values of the char-device registry calls of 4.19
 * for good and bad requests, printed, then everything unregistered again.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>

static const struct file_operations no_fops = { .owner = THIS_MODULE };

static int __init regions_init(void)
{
	dev_t d1 = 0, d2 = 0;
	int a, b, c, e, f, g, h, m1, m2;

	a = alloc_chrdev_region(&d1, 0, 4, "regions_a");
	b = alloc_chrdev_region(&d2, 10, 1, "regions_b");
	pr_info("alloc: %d %u:%u, %d %u:%u\n", a, MAJOR(d1), MINOR(d1), b, MAJOR(d2), MINOR(d2));
	c = register_chrdev_region(MKDEV(MAJOR(d1), 2), 4, "regions_c");
	e = register_chrdev_region(MKDEV(MAJOR(d1), 4), 4, "regions_e");
	pr_info("overlap: %d, next to it: %d\n", c, e);
	f = register_chrdev_region(MKDEV(600, 0), 1, "regions_f");
	g = register_chrdev_region(MKDEV(300, 1048570), 8, "regions_g");
	pr_info("major 600: %d, across majors 300-301: %d\n", f, g);
	h = __register_chrdev(300, 0, 1048577, "regions_h", &no_fops);
	pr_info("too many minors: %d\n", h);
	m1 = register_chrdev(0, "regions_m1", &no_fops);
	m2 = register_chrdev(42, "regions_m2", &no_fops);
	pr_info("register_chrdev: %d, fixed 42: %d, again 42: %d\n", m1, m2,
		register_chrdev(42, "regions_m3", &no_fops));
	unregister_chrdev(42, "regions_m2");
	unregister_chrdev(m1, "regions_m1");
	unregister_chrdev_region(MKDEV(300, 1048570), 8);
	unregister_chrdev_region(MKDEV(MAJOR(d1), 4), 4);
	unregister_chrdev_region(d2, 1);
	unregister_chrdev_region(d1, 4);
	return 0;
}

static void __exit regions_exit(void)
{
}

module_init(regions_init);
module_exit(regions_exit);
MODULE_LICENSE("GPL");
