// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: the kobjects of /sys/kernel, /sys/kernel/mm, /sys/fs and
 * /sys/firmware that modules hang their own under (kernel/ksysfs.c,
 * mm/mm_init.c, fs/namespace.c, drivers/base/firmware.c); the Python
 * kernel (kernel/api/kobject.py) knows them by name.
 */
#include <linux/kobject.h>
#include <linux/export.h>
#include <linux/slab.h>

static struct kobject klpsh_kernel_kobj = { .name = "kernel" };
static struct kobject klpsh_mm_kobj = { .name = "mm", .parent = &klpsh_kernel_kobj };
static struct kobject klpsh_fs_kobj = { .name = "fs" };
static struct kobject klpsh_firmware_kobj = { .name = "firmware" };

struct kobject *kernel_kobj = &klpsh_kernel_kobj;
EXPORT_SYMBOL_GPL(kernel_kobj);
struct kobject *mm_kobj = &klpsh_mm_kobj;
EXPORT_SYMBOL_GPL(mm_kobj);
struct kobject *fs_kobj = &klpsh_fs_kobj;
EXPORT_SYMBOL_GPL(fs_kobj);
struct kobject *firmware_kobj = &klpsh_firmware_kobj;
EXPORT_SYMBOL_GPL(firmware_kobj);

/*
 * The files of kobjects made by kobject_create_and_add() and of ksets show
 * and store through the struct kobj_attribute around the attribute.
 */
static ssize_t kobj_attr_show(struct kobject *kobj, struct attribute *attr, char *buf)
{
	struct kobj_attribute *kattr = container_of(attr, struct kobj_attribute, attr);

	return kattr->show ? kattr->show(kobj, kattr, buf) : -EIO;
}

static ssize_t kobj_attr_store(struct kobject *kobj, struct attribute *attr,
			       const char *buf, size_t count)
{
	struct kobj_attribute *kattr = container_of(attr, struct kobj_attribute, attr);

	return kattr->store ? kattr->store(kobj, kattr, buf, count) : -EIO;
}

const struct sysfs_ops kobj_sysfs_ops = {
	.show	= kobj_attr_show,
	.store	= kobj_attr_store,
};
EXPORT_SYMBOL_GPL(kobj_sysfs_ops);

/* kobject_create()'s kobjects and kset_create()'s ksets: freed by their last put */
static void dynamic_kobj_release(struct kobject *kobj)
{
	kfree(kobj);
}

static void kset_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct kset, kobj));
}

struct kobj_type klpsh_dynamic_kobj_ktype = {
	.release	= dynamic_kobj_release,
	.sysfs_ops	= &kobj_sysfs_ops,
};

struct kobj_type klpsh_kset_ktype = {
	.release	= kset_release,
	.sysfs_ops	= &kobj_sysfs_ops,
};
