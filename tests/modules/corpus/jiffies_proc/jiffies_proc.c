/* jiffies_proc.c - /proc/driver/jiffies_info via proc_create_data + PDE_DATA, and a seq_file
 * that uses seq_puts/seq_putc/seq_write/seq_escape */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/jiffies.h>

struct info {
	const char *label;
	int reads;
};

static struct info the_info = { .label = "jiffies info" };
static struct proc_dir_entry *ent;

static int ji_show(struct seq_file *m, void *v)
{
	struct info *in = m->private;

	in->reads++;
	seq_puts(m, in->label);
	seq_putc(m, '\n');
	seq_printf(m, "jiffies %lu (HZ %d), %u ms since boot-ish, reads %d\n", jiffies, HZ,
		   jiffies_to_msecs(jiffies - INITIAL_JIFFIES), in->reads);
	seq_write(m, "raw\n", 4);
	seq_escape(m, "tab\there", "\t");
	seq_putc(m, '\n');
	return 0;
}

static int ji_open(struct inode *inode, struct file *file)
{
	return single_open(file, ji_show, PDE_DATA(inode));
}

static const struct file_operations ji_fops = {
	.owner = THIS_MODULE,
	.open = ji_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static int __init ji_init(void)
{
	ent = proc_create_data("driver/jiffies_info", 0444, NULL, &ji_fops, &the_info);
	return ent ? 0 : -ENOMEM;
}

static void __exit ji_exit(void)
{
	proc_remove(ent);
}

module_init(ji_init);
module_exit(ji_exit);
MODULE_LICENSE("GPL");
