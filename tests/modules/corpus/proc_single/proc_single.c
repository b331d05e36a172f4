/*
 * proc_single.c - a /proc file shown with single_open(): the uptime in
 * jiffies and how many times the file was read.
 */
#include <linux/module.h>
#include <linux/init.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/jiffies.h>

static int reads;

static int jiffies_show(struct seq_file *m, void *v)
{
	reads++;
	seq_printf(m, "HZ: %d\n", HZ);
	seq_printf(m, "reads: %d\n", reads);
	seq_puts(m, "up: yes\n");
	return 0;
}

static int jiffies_open(struct inode *inode, struct file *file)
{
	return single_open(file, jiffies_show, NULL);
}

static const struct file_operations jiffies_fops = {
	.owner		= THIS_MODULE,
	.open		= jiffies_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= single_release,
};

static int __init proc_single_init(void)
{
	if (!proc_create("jiffies_demo", 0444, NULL, &jiffies_fops))
		return -ENOMEM;
	pr_info("proc_single: /proc/jiffies_demo ready\n");
	return 0;
}

static void __exit proc_single_exit(void)
{
	remove_proc_entry("jiffies_demo", NULL);
}

module_init(proc_single_init);
module_exit(proc_single_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("single_open() demo");
