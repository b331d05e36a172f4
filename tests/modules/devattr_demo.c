// SPDX-License-Identifier: GPL-2.0
/*
 * devattr_demo: sysfs attributes of devices and classes.  A class with a
 * CLASS_ATTR_RO "version", a device with a DEVICE_ATTR_RW "value" added by
 * device_create_file(), and a misc device whose attribute group (a named one,
 * "stats", and a plain one with a write-only "reset") comes with
 * misc_register().
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>

static struct class *cls;
static struct device *dev;
static int value = 7;
static int resets;

static ssize_t value_show(struct device *d, struct device_attribute *attr, char *buf)
{
	return sprintf(buf, "%d\n", value);
}

static ssize_t value_store(struct device *d, struct device_attribute *attr, const char *buf,
			   size_t count)
{
	int v, err = kstrtoint(buf, 0, &v);

	if (err)
		return err;
	value = v;
	dev_info(d, "value set to %d\n", value);
	return count;
}
static DEVICE_ATTR_RW(value);

static ssize_t version_show(struct class *c, struct class_attribute *attr, char *buf)
{
	return sprintf(buf, "%s 1.0\n", c->name);
}
static CLASS_ATTR_RO(version);

static ssize_t reset_store(struct device *d, struct device_attribute *attr, const char *buf,
			   size_t count)
{
	resets++;
	value = 0;
	return count;
}
static DEVICE_ATTR_WO(reset);

static ssize_t resets_show(struct device *d, struct device_attribute *attr, char *buf)
{
	return sprintf(buf, "%d\n", resets);
}
static DEVICE_ATTR_RO(resets);

/* a show that claims more than the page it was given: the driver core's bad-count line */
static ssize_t big_show(struct device *d, struct device_attribute *attr, char *buf)
{
	memset(buf, 'x', PAGE_SIZE - 1);
	return PAGE_SIZE + 1;
}
static DEVICE_ATTR_RO(big);

static struct attribute *misc_attrs[] = { &dev_attr_reset.attr, NULL };
static struct attribute *stats_attrs[] = { &dev_attr_resets.attr, &dev_attr_big.attr, NULL };
static const struct attribute_group misc_group = { .attrs = misc_attrs };
static const struct attribute_group stats_group = { .name = "stats", .attrs = stats_attrs };
static const struct attribute_group *misc_groups[] = { &misc_group, &stats_group, NULL };

static const struct file_operations no_fops = { .owner = THIS_MODULE };

static struct miscdevice mdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "devattr_misc",
	.fops = &no_fops,
	.groups = misc_groups,
};

static int __init devattr_init(void)
{
	int err;

	cls = class_create(THIS_MODULE, "devattr");
	if (IS_ERR(cls))
		return PTR_ERR(cls);
	err = class_create_file(cls, &class_attr_version);
	if (err)
		goto out_class;
	dev = device_create(cls, NULL, 0, NULL, "devattr%d", 0);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto out_class;
	}
	err = device_create_file(dev, &dev_attr_value);
	if (err)
		goto out_dev;
	pr_info("devattr_demo: second value file: %d\n", device_create_file(dev, &dev_attr_value));
	err = misc_register(&mdev);
	if (err)
		goto out_file;
	return 0;
out_file:
	device_remove_file(dev, &dev_attr_value);
out_dev:
	device_destroy(cls, 0);
out_class:
	class_destroy(cls);
	return err;
}

static void __exit devattr_exit(void)
{
	misc_deregister(&mdev);
	device_remove_file(dev, &dev_attr_value);
	device_unregister(dev);
	class_remove_file(cls, &class_attr_version);
	class_destroy(cls);
}

module_init(devattr_init);
module_exit(devattr_exit);
MODULE_LICENSE("GPL");
