// SPDX-License-Identifier: GPL-2.0
/* Allocation helpers and printk formats as drivers use them. */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/string.h>

static int __init alloc_printk_init(void)
{
	char *a = kmalloc(32, GFP_KERNEL | __GFP_ZERO);
	char *b = kmemdup("abcdef", 7, GFP_KERNEL);
	char *c = kstrndup("hello world", 5, GFP_KERNEL);
	int *v = vzalloc(1 << 20);
	char buf[16];
	int n;

	pr_info("zeroed=%d dup=%s ndup=%s vz=%d\n", a[0] == 0 && a[31] == 0, b, c, v[12345]);
	n = snprintf(buf, sizeof(buf), "%s-%d", "truncated", 123456789);
	pr_info("snprintf=%d buf=%s\n", n, buf);
	pr_info("[%5d] [%-5d] [%05d] [%x] [%#lx] [%lu] [%c] [%%] [%*s] [%.3s]\n",
		42, 42, 42, 255, 255UL, 18446744073709551615UL, 'q', 6, "ab", "abcdef");
	pr_info("null %s %p %pS\n", (char *)NULL, NULL, NULL);
	pr_info("sym %pS %ps\n", alloc_printk_init, alloc_printk_init);
	pr_warn("warn level\n");
	printk(KERN_ERR "err via KERN_ERR\n");
	pr_info("part one");
	pr_cont(" and two\n");
	kfree(a);
	kfree(b);
	kfree(c);
	vfree(v);
	return 0;
}

static void __exit alloc_printk_exit(void) { }
module_init(alloc_printk_init);
module_exit(alloc_printk_exit);
MODULE_LICENSE("GPL");
