// SPDX-License-Identifier: GPL-2.0
/*
 * chardev_demo: a character device in the style of the classic LKMPG chardev.c.
 * register_chrdev() with a dynamic major, a class and device_create() for
 * /dev/chardev_demo; a read counter; -EBUSY on a second open; writes refused
 * with -EINVAL; lseek by default_llseek.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/device.h>
#include <linux/uaccess.h>
#include <linux/atomic.h>

#define SUCCESS 0
#define DEVICE_NAME "chardev_demo"
#define BUF_LEN 80

static int major;
static struct class *cls;

enum {
	CDEV_NOT_USED = 0,
	CDEV_EXCLUSIVE_OPEN = 1,
};

static atomic_t already_open = ATOMIC_INIT(CDEV_NOT_USED);
static char msg[BUF_LEN];
static int counter;

static int device_open(struct inode *inode, struct file *file)
{
	if (atomic_cmpxchg(&already_open, CDEV_NOT_USED, CDEV_EXCLUSIVE_OPEN))
		return -EBUSY;
	sprintf(msg, "I already told you %d times Hello world!\n", counter++);
	try_module_get(THIS_MODULE);
	pr_info("chardev_demo: open by %s, minor %u of major %u\n", current->comm,
		iminor(inode), imajor(inode));
	return SUCCESS;
}

static int device_release(struct inode *inode, struct file *file)
{
	atomic_set(&already_open, CDEV_NOT_USED);
	module_put(THIS_MODULE);
	return SUCCESS;
}

static ssize_t device_read(struct file *filp, char __user *buffer, size_t length,
			   loff_t *offset)
{
	int bytes_read = 0;
	const char *msg_ptr = msg;

	if (!*(msg_ptr + *offset)) {
		*offset = 0;
		return 0;
	}
	msg_ptr += *offset;
	while (length && *msg_ptr) {
		if (put_user(*(msg_ptr++), buffer++))
			return -EFAULT;
		length--;
		bytes_read++;
	}
	*offset += bytes_read;
	return bytes_read;
}

static ssize_t device_write(struct file *filp, const char __user *buff, size_t len,
			    loff_t *off)
{
	pr_alert("Sorry, this operation is not supported.\n");
	return -EINVAL;
}

static struct file_operations chardev_fops = {
	.owner = THIS_MODULE,
	.read = device_read,
	.write = device_write,
	.open = device_open,
	.release = device_release,
	.llseek = default_llseek,
};

static int __init chardev_init(void)
{
	major = register_chrdev(0, DEVICE_NAME, &chardev_fops);
	if (major < 0) {
		pr_alert("Registering char device failed with %d\n", major);
		return major;
	}
	pr_info("I was assigned major number %d.\n", major);
	cls = class_create(THIS_MODULE, DEVICE_NAME);
	if (IS_ERR(cls)) {
		unregister_chrdev(major, DEVICE_NAME);
		return PTR_ERR(cls);
	}
	device_create(cls, NULL, MKDEV(major, 0), NULL, DEVICE_NAME);
	pr_info("Device created on /dev/%s\n", DEVICE_NAME);
	return SUCCESS;
}

static void __exit chardev_exit(void)
{
	device_destroy(cls, MKDEV(major, 0));
	class_destroy(cls);
	unregister_chrdev(major, DEVICE_NAME);
}

module_init(chardev_init);
module_exit(chardev_exit);

MODULE_LICENSE("GPL");
