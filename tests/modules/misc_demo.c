// SPDX-License-Identifier: GPL-2.0
/*
 * misc_demo: two misc devices, one on a dynamic minor (mode 0666) and one on
 * a fixed minor (the module parameter fixed_minor, 0 for none); a second
 * device asking for a taken fixed minor gets -EBUSY.  misc_open() hands each
 * open its struct miscdevice in private_data; reads say which device it is,
 * a write keeps up to 16 bytes and refuses more with -EINVAL, and a write of
 * "fault" copies from a bad user address (-EFAULT).
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/uaccess.h>
#include <linux/string.h>

static int fixed_minor = 242;
module_param(fixed_minor, int, 0444);

static char saved[17];

static ssize_t misc_demo_read(struct file *file, char __user *ubuf, size_t count, loff_t *ppos)
{
	struct miscdevice *m = file->private_data;
	char line[96];
	int n = scnprintf(line, sizeof(line), "%s: minor %d, saved '%s'\n", m->name, m->minor, saved);

	return simple_read_from_buffer(ubuf, count, ppos, line, n);
}

static ssize_t misc_demo_write(struct file *file, const char __user *ubuf, size_t count,
			       loff_t *ppos)
{
	char tmp[17];

	if (count > 16)
		return -EINVAL;
	if (copy_from_user(tmp, ubuf, count))
		return -EFAULT;
	tmp[count] = 0;
	if (!strncmp(tmp, "fault", 5) && copy_from_user(tmp, (void __user *)16, 4))
		return -EFAULT;
	strim(tmp);
	strcpy(saved, tmp);
	return count;
}

static const struct file_operations misc_demo_fops = {
	.owner = THIS_MODULE,
	.read = misc_demo_read,
	.write = misc_demo_write,
};

static struct miscdevice dyn_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "misc_demo",
	.fops = &misc_demo_fops,
	.mode = 0666,
};

static struct miscdevice fixed_dev = {
	.name = "misc_fixed",
	.fops = &misc_demo_fops,
};

static struct miscdevice clash_dev = {
	.name = "misc_clash",
	.fops = &misc_demo_fops,
};

static int __init misc_demo_init(void)
{
	int err = misc_register(&dyn_dev);

	if (err)
		return err;
	pr_info("misc_demo: %s on minor %d\n", dyn_dev.name, dyn_dev.minor);
	if (!fixed_minor)
		return 0;
	fixed_dev.minor = clash_dev.minor = fixed_minor;
	err = misc_register(&fixed_dev);
	if (err) {
		misc_deregister(&dyn_dev);
		return err;
	}
	pr_info("misc_demo: second registration of minor %d: %d\n", fixed_minor,
		misc_register(&clash_dev));
	return 0;
}

static void __exit misc_demo_exit(void)
{
	if (fixed_minor)
		misc_deregister(&fixed_dev);
	misc_deregister(&dyn_dev);
}

module_init(misc_demo_init);
module_exit(misc_demo_exit);
MODULE_LICENSE("GPL");
