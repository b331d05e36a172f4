/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: struct kobject as 4.19 lays it out (x86-64, no
 * CONFIG_DEBUG_KOBJECT_RELEASE).  Embedded in struct cdev and struct device;
 * the kernel side keeps the objects' sysfs directories.
 */
#ifndef _KOBJECT_H_
#define _KOBJECT_H_

#include <linux/types.h>
#include <linux/list.h>
#include <linux/kref.h>
#include <linux/compiler.h>
#include <linux/sysfs.h>

struct kset;
struct kobj_type;
struct kernfs_node;

struct kobject {
	const char		*name;
	struct list_head	entry;
	struct kobject		*parent;
	struct kset		*kset;
	struct kobj_type	*ktype;
	struct kernfs_node	*sd;
	struct kref		kref;
	unsigned int state_initialized:1;
	unsigned int state_in_sysfs:1;
	unsigned int state_add_uevent_sent:1;
	unsigned int state_remove_uevent_sent:1;
	unsigned int uevent_suppress:1;
};

static inline const char *kobject_name(const struct kobject *kobj)
{
	return kobj->name;
}

/* a kobject's attribute files (kobject_create_and_add's kobjects use these) */
struct kobj_attribute {
	struct attribute attr;
	ssize_t (*show)(struct kobject *kobj, struct kobj_attribute *attr, char *buf);
	ssize_t (*store)(struct kobject *kobj, struct kobj_attribute *attr,
			 const char *buf, size_t count);
};

/* /sys/kernel, /sys/kernel/mm, /sys/fs, /sys/firmware */
extern struct kobject *kernel_kobj;
extern struct kobject *mm_kobj;
extern struct kobject *fs_kobj;
extern struct kobject *firmware_kobj;

/* a directory NAME under PARENT (NULL: /sys), with one reference; NULL if it exists */
extern struct kobject *kobject_create_and_add(const char *name, struct kobject *parent);
extern struct kobject *kobject_get(struct kobject *kobj);
extern void kobject_put(struct kobject *kobj);
extern void kobject_del(struct kobject *kobj);

/* what 4.19's kobject.h pulls in as well */
#include <linux/gfp.h>
#include <linux/stat.h>
#include <linux/idr.h>
#include <linux/rbtree.h>

#endif /* _KOBJECT_H_ */
