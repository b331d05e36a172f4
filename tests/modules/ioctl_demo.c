// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl_demo: a character device on the fixed major 100 driven by ioctls, in
 * the style of LKMPG's chardev2.c: IOCTL_SET_MSG copies a string in through
 * the pointer argument (get_user byte by byte), IOCTL_GET_MSG copies it out,
 * IOCTL_GET_NTH_BYTE takes the index as the value itself and returns the byte.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/device.h>
#include <linux/uaccess.h>
#include <linux/ioctl.h>

#define MAJOR_NUM 100
#define IOCTL_SET_MSG _IOW(MAJOR_NUM, 0, char *)
#define IOCTL_GET_MSG _IOR(MAJOR_NUM, 1, char *)
#define IOCTL_GET_NTH_BYTE _IOWR(MAJOR_NUM, 2, int)
#define DEVICE_NAME "ioctl_demo"
#define BUF_LEN 80

static char message[BUF_LEN] = "nothing set yet";
static struct class *cls;

static long device_ioctl(struct file *file, unsigned int ioctl_num, unsigned long ioctl_param)
{
	int i;
	char ch;
	char __user *p = (char __user *)ioctl_param;

	switch (ioctl_num) {
	case IOCTL_SET_MSG:
		for (i = 0; i < BUF_LEN - 1; i++) {
			if (get_user(ch, p + i))
				return -EFAULT;
			message[i] = ch;
			if (!ch)
				break;
		}
		message[i] = 0;
		pr_info("ioctl_demo: message set to '%s'\n", message);
		return i;
	case IOCTL_GET_MSG:
		if (copy_to_user(p, message, strlen(message) + 1))
			return -EFAULT;
		return strlen(message);
	case IOCTL_GET_NTH_BYTE:
		if (ioctl_param >= strlen(message))
			return -EINVAL;
		return message[ioctl_param];
	}
	return -ENOTTY;
}

static const struct file_operations fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = device_ioctl,
	.compat_ioctl = device_ioctl,
};

static int __init ioctl_demo_init(void)
{
	int ret = register_chrdev(MAJOR_NUM, DEVICE_NAME, &fops);

	if (ret < 0) {
		pr_alert("ioctl_demo: registering the device failed with %d\n", ret);
		return ret;
	}
	cls = class_create(THIS_MODULE, DEVICE_NAME);
	device_create(cls, NULL, MKDEV(MAJOR_NUM, 0), NULL, DEVICE_NAME);
	pr_info("ioctl_demo: /dev/%s on major %d (register_chrdev returned %d)\n", DEVICE_NAME,
		MAJOR_NUM, ret);
	return 0;
}

static void __exit ioctl_demo_exit(void)
{
	device_destroy(cls, MKDEV(MAJOR_NUM, 0));
	class_destroy(cls);
	unregister_chrdev(MAJOR_NUM, DEVICE_NAME);
}

module_init(ioctl_demo_init);
module_exit(ioctl_demo_exit);
MODULE_LICENSE("GPL");
