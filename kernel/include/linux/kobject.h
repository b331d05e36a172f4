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

/* what 4.19's kobject.h pulls in as well */
#include <linux/gfp.h>
#include <linux/stat.h>
#include <linux/idr.h>
#include <linux/rbtree.h>

#endif /* _KOBJECT_H_ */
