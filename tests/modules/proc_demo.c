// SPDX-License-Identifier: GPL-2.0
/*
 * /proc files as 4.19 drivers make them: single_open() over a show
 * function, a directory with a read/write file of its own, a seq_operations
 * iterator long enough to take several reads, a record bigger than a page.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <linux/slab.h>

static struct proc_dir_entry *dir;
static int value = 42;
static int opens, releases, starts, stops, big_shows;

static int demo_show(struct seq_file *m, void *v)
{
	seq_printf(m, "value=%d opens=%d\n", value, opens);
	seq_puts(m, "private ok: ");
	seq_printf(m, "%d\n", m->private == &value);
	return 0;
}

static int demo_open(struct inode *inode, struct file *file)
{
	opens++;
	return single_open(file, demo_show, PDE_DATA(inode));
}

static int demo_release(struct inode *inode, struct file *file)
{
	releases++;
	return single_release(inode, file);
}

static const struct file_operations demo_fops = {
	.owner = THIS_MODULE,
	.open = demo_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = demo_release,
};

static ssize_t value_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	char tmp[16];
	int len = scnprintf(tmp, sizeof(tmp), "%d\n", *(int *)PDE_DATA(file_inode(file)));

	return simple_read_from_buffer(buf, count, ppos, tmp, len);
}

static ssize_t value_write(struct file *file, const char __user *buf, size_t count, loff_t *ppos)
{
	char first;
	int v, ret;

	if (get_user(first, buf))
		return -EFAULT;
	if (first == '-')
		return -EPERM;
	ret = kstrtoint_from_user(buf, count, 0, &v);
	if (ret)
		return ret;
	*(int *)PDE_DATA(file_inode(file)) = v;
	pr_info("value set to %d\n", v);
	return count;
}

static const struct file_operations value_fops = {
	.read = value_read,
	.write = value_write,
};

static void *list_start(struct seq_file *m, loff_t *pos)
{
	starts++;
	return *pos < 500 ? (void *)(unsigned long)(*pos + 1) : NULL;
}

static void *list_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return *pos < 500 ? (void *)(unsigned long)(*pos + 1) : NULL;
}

static void list_stop(struct seq_file *m, void *v)
{
	stops++;
}

static int list_show(struct seq_file *m, void *v)
{
	seq_printf(m, "line %03lu\n", (unsigned long)v);
	return 0;
}

static const struct seq_operations list_ops = {
	.start = list_start,
	.next = list_next,
	.stop = list_stop,
	.show = list_show,
};

static int big_show(struct seq_file *m, void *v)
{
	int i;

	big_shows++;
	for (i = 0; i < 1000; i++)
		seq_printf(m, "%04d|", i);
	seq_putc(m, '\n');
	if (seq_has_overflowed(m))
		pr_info("big record overflowed a %zu byte buffer\n", m->size);
	return 0;
}

static int __init proc_demo_init(void)
{
	if (!proc_create_data("proc_demo", 0, NULL, &demo_fops, &value))
		return -ENOMEM;
	dir = proc_mkdir("proc_demo_dir", NULL);
	proc_create_data("value", 0644, dir, &value_fops, &value);
	proc_create_seq("proc_demo_list", 0444, NULL, &list_ops);
	proc_create_single("proc_demo_big", 0, NULL, big_show);
	pr_info("duplicate: %p\n", proc_create("proc_demo", 0, NULL, &demo_fops));
	remove_proc_entry("nope", NULL);
	return 0;
}

static void __exit proc_demo_exit(void)
{
	pr_info("opens=%d releases=%d starts=%d stops=%d big_shows=%d\n", opens, releases, starts,
		stops, big_shows);
	remove_proc_entry("proc_demo_big", NULL);
	remove_proc_entry("proc_demo_list", NULL);
	remove_proc_entry("value", dir);
	remove_proc_entry("proc_demo_dir", NULL);
	remove_proc_entry("proc_demo", NULL);
}

module_init(proc_demo_init);
module_exit(proc_demo_exit);
MODULE_LICENSE("GPL");
