/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: sysfs attributes (4.19's linux/sysfs.h): struct attribute and
 * attribute groups, the __ATTR initializers, and the files a kobject's
 * directory gets (kernel/api/kobject.py keeps the directories).
 */
#ifndef _SYSFS_H_
#define _SYSFS_H_

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/stat.h>
#include <linux/atomic.h>

struct kobject;
struct bin_attribute;

#ifndef VERIFY_OCTAL_PERMISSIONS
/* linux/kernel.h of 4.19: permissions that make sense, checked at build time */
#define VERIFY_OCTAL_PERMISSIONS(perms)						\
	(BUILD_BUG_ON_ZERO(__builtin_constant_p(perms) && ((perms) < 0)) +	\
	 BUILD_BUG_ON_ZERO(__builtin_constant_p(perms) && ((perms) > 0777)) +	\
	 BUILD_BUG_ON_ZERO(((perms) >> 6) < (((perms) >> 3) & 7)) +		\
	 BUILD_BUG_ON_ZERO((((perms) >> 3) & 7) < ((perms) & 7)) +		\
	 BUILD_BUG_ON_ZERO((((perms) >> 4) & 1) < (((perms) >> 1) & 1)) +	\
	 BUILD_BUG_ON_ZERO((perms) & 2) +					\
	 (perms))
#endif

struct kobject;
struct module;
struct bin_attribute;
struct file;
struct vm_area_struct;

struct attribute {
	const char		*name;
	umode_t			mode;
};

struct attribute_group {
	const char		*name;
	umode_t			(*is_visible)(struct kobject *,
					      struct attribute *, int);
	umode_t			(*is_bin_visible)(struct kobject *,
						  struct bin_attribute *, int);
	struct attribute	**attrs;
	struct bin_attribute	**bin_attrs;
};

#define __ATTR(_name, _mode, _show, _store) {				\
	.attr = {.name = __stringify(_name),				\
		 .mode = VERIFY_OCTAL_PERMISSIONS(_mode) },		\
	.show	= _show,						\
	.store	= _store,						\
}

#define __ATTR_PREALLOC(_name, _mode, _show, _store) __ATTR(_name, _mode, _show, _store)

#define __ATTR_RO(_name) {						\
	.attr	= { .name = __stringify(_name), .mode = 0444 },		\
	.show	= _name##_show,						\
}

#define __ATTR_RO_MODE(_name, _mode) {					\
	.attr	= { .name = __stringify(_name),				\
		    .mode = VERIFY_OCTAL_PERMISSIONS(_mode) },		\
	.show	= _name##_show,						\
}

#define __ATTR_WO(_name) {						\
	.attr	= { .name = __stringify(_name), .mode = 0200 },		\
	.store	= _name##_store,					\
}

#define __ATTR_RW(_name) __ATTR(_name, 0644, _name##_show, _name##_store)

#define __ATTR_NULL { .attr = { .name = NULL } }

#define ATTRIBUTE_GROUPS(_name)					\
static const struct attribute_group _name##_group = {		\
	.attrs = _name##_attrs,					\
};								\
static const struct attribute_group *_name##_groups[] = {	\
	&_name##_group,						\
	NULL,							\
}

#define sysfs_attr_init(attr) do {} while (0)

/* a binary file: reads and writes at an offset, up to SIZE bytes (0: no limit) */
struct bin_attribute {
	struct attribute	attr;
	size_t			size;
	void			*private;
	ssize_t (*read)(struct file *, struct kobject *, struct bin_attribute *,
			char *, loff_t, size_t);
	ssize_t (*write)(struct file *, struct kobject *, struct bin_attribute *,
			 char *, loff_t, size_t);
	int (*mmap)(struct file *, struct kobject *, struct bin_attribute *attr,
		    struct vm_area_struct *vma);
};

#define sysfs_bin_attr_init(bin_attr) sysfs_attr_init(&(bin_attr)->attr)

#define __BIN_ATTR(_name, _mode, _read, _write, _size) {		\
	.attr = { .name = __stringify(_name), .mode = _mode },		\
	.read	= _read,						\
	.write	= _write,						\
	.size	= _size,						\
}

#define __BIN_ATTR_RO(_name, _size) {					\
	.attr	= { .name = __stringify(_name), .mode = 0444 },		\
	.read	= _name##_read,						\
	.size	= _size,						\
}

#define __BIN_ATTR_RW(_name, _size)					\
	__BIN_ATTR(_name, 0644, _name##_read, _name##_write, _size)

#define BIN_ATTR(_name, _mode, _read, _write, _size)			\
struct bin_attribute bin_attr_##_name = __BIN_ATTR(_name, _mode, _read,	\
					_write, _size)

#define BIN_ATTR_RO(_name, _size)					\
struct bin_attribute bin_attr_##_name = __BIN_ATTR_RO(_name, _size)

#define BIN_ATTR_RW(_name, _size)					\
struct bin_attribute bin_attr_##_name = __BIN_ATTR_RW(_name, _size)

/* how a kobject's files show and store: its ktype's */
struct sysfs_ops {
	ssize_t	(*show)(struct kobject *, struct attribute *, char *);
	ssize_t	(*store)(struct kobject *, struct attribute *, const char *, size_t);
};


extern int sysfs_create_file_ns(struct kobject *kobj, const struct attribute *attr,
				const void *ns);
extern void sysfs_remove_file_ns(struct kobject *kobj, const struct attribute *attr,
				 const void *ns);
extern int sysfs_create_files(struct kobject *kobj, const struct attribute **attr);
extern void sysfs_remove_files(struct kobject *kobj, const struct attribute **attr);
extern int sysfs_create_group(struct kobject *kobj, const struct attribute_group *grp);
extern void sysfs_remove_group(struct kobject *kobj, const struct attribute_group *grp);
extern int sysfs_create_groups(struct kobject *kobj, const struct attribute_group **groups);
extern void sysfs_remove_groups(struct kobject *kobj, const struct attribute_group **groups);

extern int sysfs_create_bin_file(struct kobject *kobj, const struct bin_attribute *attr);
extern void sysfs_remove_bin_file(struct kobject *kobj, const struct bin_attribute *attr);
extern void sysfs_notify(struct kobject *kobj, const char *dir, const char *attr);
extern int __must_check sysfs_create_link(struct kobject *kobj, struct kobject *target,
					  const char *name);
extern int __must_check sysfs_create_link_nowarn(struct kobject *kobj,
						 struct kobject *target,
						 const char *name);
extern void sysfs_remove_link(struct kobject *kobj, const char *name);
extern int __must_check sysfs_update_group(struct kobject *kobj,
					   const struct attribute_group *grp);

static inline int sysfs_create_file(struct kobject *kobj, const struct attribute *attr)
{
	return sysfs_create_file_ns(kobj, attr, NULL);
}

static inline void sysfs_remove_file(struct kobject *kobj, const struct attribute *attr)
{
	sysfs_remove_file_ns(kobj, attr, NULL);
}

/* what 4.19's sysfs.h pulls in as well */
#include <linux/idr.h>

#endif /* _SYSFS_H_ */
