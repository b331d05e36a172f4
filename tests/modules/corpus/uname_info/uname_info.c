/*
 * uname_info.c - print the running kernel's utsname, and keep it in
 * /proc/uname_info.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/utsname.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/version.h>

static int uname_show(struct seq_file *m, void *v)
{
	struct new_utsname *u = utsname();

	seq_printf(m, "%s %s %s %s %s\n", u->sysname, u->nodename, u->release, u->version,
		   u->machine);
	return 0;
}

static int uname_open(struct inode *inode, struct file *file)
{
	return single_open(file, uname_show, NULL);
}

static const struct file_operations uname_fops = {
	.owner = THIS_MODULE,
	.open = uname_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static int __init uname_info_init(void)
{
	pr_info("uname_info: running on %s %s (built for %d.%d.%d)\n", utsname()->sysname,
		init_uts_ns.name.release, LINUX_VERSION_CODE >> 16,
		(LINUX_VERSION_CODE >> 8) & 0xff, LINUX_VERSION_CODE & 0xff);
	proc_create("uname_info", 0444, NULL, &uname_fops);
	return 0;
}

static void __exit uname_info_exit(void)
{
	remove_proc_entry("uname_info", NULL);
}

module_init(uname_info_init);
module_exit(uname_info_exit);
MODULE_LICENSE("GPL");
