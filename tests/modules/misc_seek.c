// SPDX-License-Identifier: GPL-2.0
/* misc_seek: module_misc_device() and fixed_size_llseek() over a ten-byte buffer. */
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/uaccess.h>

static char data[] = "0123456789";

static ssize_t sk_read(struct file *f, char __user *u, size_t n, loff_t *pos)
{
	return simple_read_from_buffer(u, n, pos, data, sizeof(data) - 1);
}

static loff_t sk_llseek(struct file *f, loff_t off, int whence)
{
	return fixed_size_llseek(f, off, whence, sizeof(data) - 1);
}

static const struct file_operations sk_fops = {
	.owner = THIS_MODULE,
	.read = sk_read,
	.llseek = sk_llseek,
};

static struct miscdevice sk_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "seekme",
	.fops = &sk_fops,
};

module_misc_device(sk_dev);
MODULE_LICENSE("GPL");
