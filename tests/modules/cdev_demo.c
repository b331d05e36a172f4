// SPDX-License-Identifier: GPL-2.0
/*
 * cdev_demo: alloc_chrdev_region() + cdev_init()/cdev_add() for two minors, a
 * class with a devnode() giving mode 0666, and device_create() for each:
 *   /dev/cdev_buf  (minor 0): a 64-byte buffer; read/write at f_pos, its own
 *                  llseek (SEEK_END from the data's length), ioctls, and an
 *                  O_NONBLOCK read of an empty buffer gives -EAGAIN;
 *   /dev/cdev_yes  (minor 1): "y\n" for ever (a read never returns 0);
 *   /dev/cdev_wait (minor 2): a read sleeps (interruptibly) until the buffer
 *                  has data.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/uaccess.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <linux/sched/signal.h>

#define BUF_SIZE 64
#define CDEV_IOC_MAGIC 'c'
#define CDEV_IOC_RESET		_IO(CDEV_IOC_MAGIC, 0)
#define CDEV_IOC_GET_LEN	_IOR(CDEV_IOC_MAGIC, 1, int)
#define CDEV_IOC_SET_FILL	_IOW(CDEV_IOC_MAGIC, 2, int)
#define CDEV_IOC_XCHG		_IOWR(CDEV_IOC_MAGIC, 3, int)

static dev_t first;
static struct cdev cdev;
static struct class *cls;
static char buf[BUF_SIZE];
static size_t len;
static int opens;
static char *yes_page;
static DECLARE_WAIT_QUEUE_HEAD(data_wq);

static char *cdev_devnode(struct device *dev, umode_t *mode)
{
	if (mode)
		*mode = 0666;
	return NULL;
}

static int cdev_open(struct inode *inode, struct file *file)
{
	file->private_data = (void *)(unsigned long)iminor(inode);
	opens++;
	pr_info("cdev_demo: open minor %u (%s), flags %#o, open %d times\n", iminor(inode),
		file->f_path.dentry->d_name.name, file->f_flags, opens);
	return 0;
}

static int cdev_release(struct inode *inode, struct file *file)
{
	pr_info("cdev_demo: release minor %u\n", iminor(inode));
	return 0;
}

static ssize_t cdev_read(struct file *file, char __user *ubuf, size_t count, loff_t *ppos)
{
	if (file->private_data == (void *)2UL) {	/* minor 2: wait for data */
		if (wait_event_interruptible(data_wq, len > 0)) {
			pr_info("cdev_demo: read interrupted by a signal\n");
			return -ERESTARTSYS;
		}
		return simple_read_from_buffer(ubuf, count, ppos, buf, len);
	}
	if (file->private_data) {		/* minor 1: yes, a page at a time */
		size_t n = min_t(size_t, count, PAGE_SIZE);
		if (copy_to_user(ubuf, yes_page, n))
			return -EFAULT;
		*ppos += n;
		return n;
	}
	if (!len && (file->f_flags & O_NONBLOCK))
		return -EAGAIN;
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static ssize_t cdev_write(struct file *file, const char __user *ubuf, size_t count, loff_t *ppos)
{
	ssize_t n;

	if (file->private_data)
		return -EPERM;
	if (*ppos >= BUF_SIZE)
		return -ENOSPC;
	n = simple_write_to_buffer(buf, BUF_SIZE, ppos, ubuf, count);
	if (n > 0 && *ppos > len)
		len = *ppos;
	wake_up_interruptible(&data_wq);
	return n;
}

static loff_t cdev_llseek(struct file *file, loff_t off, int whence)
{
	loff_t pos;

	switch (whence) {
	case SEEK_SET: pos = off; break;
	case SEEK_CUR: pos = file->f_pos + off; break;
	case SEEK_END: pos = len + off; break;
	default: return -EINVAL;
	}
	if (pos < 0 || pos > BUF_SIZE)
		return -EINVAL;
	file->f_pos = pos;
	return pos;
}

static long cdev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	int v, old;

	if (_IOC_TYPE(cmd) != CDEV_IOC_MAGIC)
		return -ENOTTY;
	switch (cmd) {
	case CDEV_IOC_RESET:
		len = 0;
		memset(buf, 0, sizeof(buf));
		return 0;
	case CDEV_IOC_GET_LEN:
		return put_user((int)len, (int __user *)arg);
	case CDEV_IOC_SET_FILL:
		if (get_user(v, (int __user *)arg))
			return -EFAULT;
		if (v < 0 || v > 255)
			return -EINVAL;
		memset(buf, v, BUF_SIZE);
		len = BUF_SIZE;
		return 0;
	case CDEV_IOC_XCHG:
		if (get_user(v, (int __user *)arg))
			return -EFAULT;
		old = len;
		len = min_t(int, v, BUF_SIZE);
		if (put_user(old, (int __user *)arg))
			return -EFAULT;
		return old;
	}
	return -ENOTTY;
}

static const struct file_operations cdev_fops = {
	.owner = THIS_MODULE,
	.open = cdev_open,
	.release = cdev_release,
	.read = cdev_read,
	.write = cdev_write,
	.llseek = cdev_llseek,
	.unlocked_ioctl = cdev_ioctl,
};

static int __init cdev_demo_init(void)
{
	int err;
	struct device *d;

	yes_page = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!yes_page)
		return -ENOMEM;
	for (err = 0; err < PAGE_SIZE; err += 2)
		memcpy(yes_page + err, "y\n", 2);
	err = alloc_chrdev_region(&first, 0, 3, "cdev_demo");
	if (err) {
		kfree(yes_page);
		return err;
	}
	cdev_init(&cdev, &cdev_fops);
	cdev.owner = THIS_MODULE;
	err = cdev_add(&cdev, first, 3);
	if (err)
		goto out_region;
	cls = class_create(THIS_MODULE, "cdev_demo");
	if (IS_ERR(cls)) {
		err = PTR_ERR(cls);
		goto out_cdev;
	}
	cls->devnode = cdev_devnode;
	d = device_create(cls, NULL, MKDEV(MAJOR(first), 0), NULL, "cdev_buf");
	if (IS_ERR(d)) {
		err = PTR_ERR(d);
		goto out_class;
	}
	d = device_create(cls, NULL, MKDEV(MAJOR(first), 1), NULL, "cdev_yes");
	if (IS_ERR(d)) {
		err = PTR_ERR(d);
		goto out_dev0;
	}
	d = device_create(cls, NULL, MKDEV(MAJOR(first), 2), NULL, "cdev_wait");
	if (IS_ERR(d)) {
		err = PTR_ERR(d);
		goto out_dev1;
	}
	dev_info(d, "major %d, minors %d-%d\n", MAJOR(first), MINOR(first), MINOR(first) + 2);
	return 0;
out_dev1:
	device_destroy(cls, MKDEV(MAJOR(first), 1));
out_dev0:
	device_destroy(cls, MKDEV(MAJOR(first), 0));
out_class:
	class_destroy(cls);
out_cdev:
	cdev_del(&cdev);
out_region:
	unregister_chrdev_region(first, 3);
	kfree(yes_page);
	return err;
}

static void __exit cdev_demo_exit(void)
{
	device_destroy(cls, MKDEV(MAJOR(first), 2));
	device_destroy(cls, MKDEV(MAJOR(first), 1));
	device_destroy(cls, MKDEV(MAJOR(first), 0));
	class_destroy(cls);
	cdev_del(&cdev);
	unregister_chrdev_region(first, 3);
	kfree(yes_page);
	pr_info("cdev_demo: gone\n");
}

module_init(cdev_demo_init);
module_exit(cdev_demo_exit);
MODULE_LICENSE("GPL");
