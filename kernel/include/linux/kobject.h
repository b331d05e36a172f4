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
#include <linux/spinlock.h>
#include <linux/uidgid.h>

struct kset;
struct kobj_type;
struct kernfs_node;
struct kobj_ns_type_operations;

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

enum kobject_action {
	KOBJ_ADD,
	KOBJ_REMOVE,
	KOBJ_CHANGE,
	KOBJ_MOVE,
	KOBJ_ONLINE,
	KOBJ_OFFLINE,
	KOBJ_BIND,
	KOBJ_UNBIND,
	KOBJ_MAX
};

extern __printf(2, 3)
int kobject_set_name(struct kobject *kobj, const char *name, ...);

static inline const char *kobject_name(const struct kobject *kobj)
{
	return kobj->name;
}

extern void kobject_init(struct kobject *kobj, struct kobj_type *ktype);
extern __printf(3, 4) __must_check
int kobject_add(struct kobject *kobj, struct kobject *parent,
		const char *fmt, ...);
extern __printf(4, 5) __must_check
int kobject_init_and_add(struct kobject *kobj,
			 struct kobj_type *ktype, struct kobject *parent,
			 const char *fmt, ...);

extern void kobject_del(struct kobject *kobj);

extern struct kobject * __must_check kobject_create(void);
/* a directory NAME under PARENT (NULL: /sys), with one reference; NULL if it exists */
extern struct kobject * __must_check kobject_create_and_add(const char *name,
						struct kobject *parent);

extern struct kobject *kobject_get(struct kobject *kobj);
extern struct kobject * __must_check kobject_get_unless_zero(
						struct kobject *kobj);
extern void kobject_put(struct kobject *kobj);

extern char *kobject_get_path(struct kobject *kobj, gfp_t flag);

/* what a kobject's ktype gives it: the release of its last put, its files' show and store */
struct kobj_type {
	void (*release)(struct kobject *kobj);
	const struct sysfs_ops *sysfs_ops;
	struct attribute **default_attrs;
	const struct kobj_ns_type_operations *(*child_ns_type)(struct kobject *kobj);
	const void *(*namespace)(struct kobject *kobj);
	void (*get_ownership)(struct kobject *kobj, kuid_t *uid, kgid_t *gid);
};

struct kobj_uevent_env;

struct kset_uevent_ops {
	int (* const filter)(struct kset *kset, struct kobject *kobj);
	const char *(* const name)(struct kset *kset, struct kobject *kobj);
	int (* const uevent)(struct kset *kset, struct kobject *kobj,
		      struct kobj_uevent_env *env);
};

/* a kobject's attribute files (kobject_create_and_add's kobjects use these) */
struct kobj_attribute {
	struct attribute attr;
	ssize_t (*show)(struct kobject *kobj, struct kobj_attribute *attr, char *buf);
	ssize_t (*store)(struct kobject *kobj, struct kobj_attribute *attr,
			 const char *buf, size_t count);
};

/* show/store through the file's struct kobj_attribute (vmlinux lib/kobject.c) */
extern const struct sysfs_ops kobj_sysfs_ops;

/* a set of kobjects: its own kobject is their directory's parent */
struct kset {
	struct list_head list;
	spinlock_t list_lock;
	struct kobject kobj;
	const struct kset_uevent_ops *uevent_ops;
};

extern void kset_init(struct kset *kset);
extern int __must_check kset_register(struct kset *kset);
extern void kset_unregister(struct kset *kset);
extern struct kset * __must_check kset_create_and_add(const char *name,
						const struct kset_uevent_ops *u,
						struct kobject *parent_kobj);

static inline struct kset *to_kset(struct kobject *kobj)
{
	return kobj ? container_of(kobj, struct kset, kobj) : NULL;
}

static inline struct kset *kset_get(struct kset *k)
{
	return k ? to_kset(kobject_get(&k->kobj)) : NULL;
}

static inline void kset_put(struct kset *k)
{
	kobject_put(&k->kobj);
}

static inline struct kobj_type *get_ktype(struct kobject *kobj)
{
	return kobj->ktype;
}

extern struct kobject *kset_find_obj(struct kset *, const char *);

/* /sys/kernel, /sys/kernel/mm, /sys/fs, /sys/firmware */
extern struct kobject *kernel_kobj;
extern struct kobject *mm_kobj;
extern struct kobject *fs_kobj;
extern struct kobject *firmware_kobj;

/* uevents go nowhere (no udev listens); the call is accepted as 4.19 takes it */
int kobject_uevent(struct kobject *kobj, enum kobject_action action);
int kobject_uevent_env(struct kobject *kobj, enum kobject_action action,
			char *envp[]);

/* what 4.19's kobject.h pulls in as well */
#include <linux/gfp.h>
#include <linux/stat.h>
#include <linux/idr.h>
#include <linux/rbtree.h>

#endif /* _KOBJECT_H_ */
