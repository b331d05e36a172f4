// SPDX-License-Identifier: GPL-2.0
/*
 * endless_seq: /proc/endless_seq, a seq_file whose iterator has no end (next()
 * never returns NULL), as a buggy or deliberately infinite module would have.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

static loff_t where;

static void *endless_start(struct seq_file *m, loff_t *pos)
{
	where = *pos;
	return &where;
}

static void *endless_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	where = *pos;
	return &where;
}

static void endless_stop(struct seq_file *m, void *v)
{
}

static int endless_show(struct seq_file *m, void *v)
{
	seq_printf(m, "line %lld\n", *(loff_t *)v);
	return 0;
}

static const struct seq_operations endless_ops = {
	.start = endless_start,
	.next = endless_next,
	.stop = endless_stop,
	.show = endless_show,
};

static int endless_open(struct inode *inode, struct file *file)
{
	return seq_open(file, &endless_ops);
}

static const struct file_operations endless_fops = {
	.owner = THIS_MODULE,
	.open = endless_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release,
};

static int __init endless_init(void)
{
	return proc_create("endless_seq", 0444, NULL, &endless_fops) ? 0 : -ENOMEM;
}

static void __exit endless_exit(void)
{
	remove_proc_entry("endless_seq", NULL);
}

module_init(endless_init);
module_exit(endless_exit);
MODULE_LICENSE("GPL");
