/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: the device model drivers use (drivers/base, kernel/api/device.py):
 * classes, devices and their /dev nodes (devtmpfs), dev_printk, devm_kmalloc.  struct
 * class is laid out as 4.19; struct device has the members drivers touch, in
 * 4.19's order (the driver-core internals between them are left out).
 */
#ifndef _DEVICE_H_
#define _DEVICE_H_

#include <linux/types.h>
#include <linux/ioport.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/kdev_t.h>
#include <linux/err.h>
#include <linux/printk.h>
#include <linux/compiler.h>
#include <linux/gfp.h>
#include <linux/pm.h>
#include <linux/uidgid.h>
#include <linux/build_bug.h>
#include <linux/stringify.h>

struct device;
struct device_private;
struct device_driver;
struct device_type;
struct bus_type;
struct module;
struct attribute_group;
struct kobj_uevent_env;
struct kobj_ns_type_operations;
struct dev_pm_ops;
struct subsys_private;
struct lock_class_key;

struct class {
	const char		*name;
	struct module		*owner;

	const struct attribute_group	**class_groups;
	const struct attribute_group	**dev_groups;
	struct kobject			*dev_kobj;

	int (*dev_uevent)(struct device *dev, struct kobj_uevent_env *env);
	char *(*devnode)(struct device *dev, umode_t *mode);

	void (*class_release)(struct class *class);
	void (*dev_release)(struct device *dev);

	int (*shutdown_pre)(struct device *dev);

	const struct kobj_ns_type_operations *ns_type;
	const void *(*namespace)(struct device *dev);

	void (*get_ownership)(struct device *dev, kuid_t *uid, kgid_t *gid);

	const struct dev_pm_ops *pm;

	struct subsys_private *p;
};

/* how a driver wants its probe run (4.19: only the hint is kept) */
enum probe_type {
	PROBE_DEFAULT_STRATEGY,
	PROBE_PREFER_ASYNCHRONOUS,
	PROBE_FORCE_SYNCHRONOUS,
};

struct bus_type;
struct of_device_id;
struct acpi_device_id;
struct driver_private;

struct device_driver {
	const char		*name;
	struct bus_type		*bus;

	struct module		*owner;
	const char		*mod_name;	/* used for built-in modules */

	bool suppress_bind_attrs;	/* disables bind/unbind via sysfs */
	enum probe_type probe_type;

	const struct of_device_id	*of_match_table;
	const struct acpi_device_id	*acpi_match_table;

	int (*probe) (struct device *dev);
	int (*remove) (struct device *dev);
	void (*shutdown) (struct device *dev);
	int (*suspend) (struct device *dev, pm_message_t state);
	int (*resume) (struct device *dev);
	const struct attribute_group **groups;
#ifdef KLPSH_DRIVER_DEV_GROUPS
	const struct attribute_group **dev_groups;	/* 5.4 (kernel/include-5.4) */
#endif

	const struct dev_pm_ops *pm;
	void (*coredump) (struct device *dev);

	struct driver_private *p;
};

struct device_type {
	const char *name;
	const struct attribute_group **groups;
	int (*uevent)(struct device *dev, struct kobj_uevent_env *env);
	char *(*devnode)(struct device *dev, umode_t *mode, kuid_t *uid, kgid_t *gid);
	void (*release)(struct device *dev);
	const struct dev_pm_ops *pm;
};

struct klist_node {
	void			*n_klist;
	struct list_head	n_node;
	struct kref		n_ref;
};

struct device {
	struct device		*parent;
	struct device_private	*p;
	struct kobject		kobj;
	const char		*init_name;
	const struct device_type *type;
	struct mutex		mutex;
	struct bus_type	*bus;
	struct device_driver *driver;
	void		*platform_data;
	void		*driver_data;
	dev_t			devt;
	u32			id;
	spinlock_t		devres_lock;
	struct list_head	devres_head;
	struct klist_node	knode_class;
	struct class		*class;
	const struct attribute_group **groups;
	void	(*release)(struct device *dev);
	bool			offline_disabled:1;
	bool			offline:1;
	bool			of_node_reused:1;
};

static inline const char *dev_name(const struct device *dev)
{
	/* Use the init name until the kobject becomes available */
	if (dev->init_name)
		return dev->init_name;
	return kobject_name(&dev->kobj);
}

static inline void *dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}

static inline void dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}

static inline struct device *kobj_to_dev(struct kobject *kobj)
{
	return (struct device *)((char *)kobj - __builtin_offsetof(struct device, kobj));
}

#include <linux/sysfs.h>

/* device and class attributes: /sys/class/CLASS/NAME/ATTR, /sys/class/CLASS/ATTR */
struct device_attribute {
	struct attribute	attr;
	ssize_t (*show)(struct device *dev, struct device_attribute *attr, char *buf);
	ssize_t (*store)(struct device *dev, struct device_attribute *attr,
			 const char *buf, size_t count);
};

#define DEVICE_ATTR(_name, _mode, _show, _store) \
	struct device_attribute dev_attr_##_name = __ATTR(_name, _mode, _show, _store)
#define DEVICE_ATTR_RW(_name) \
	struct device_attribute dev_attr_##_name = __ATTR_RW(_name)
#define DEVICE_ATTR_RO(_name) \
	struct device_attribute dev_attr_##_name = __ATTR_RO(_name)
#define DEVICE_ATTR_WO(_name) \
	struct device_attribute dev_attr_##_name = __ATTR_WO(_name)

extern int device_create_file(struct device *device, const struct device_attribute *entry);
extern void device_remove_file(struct device *dev, const struct device_attribute *attr);

/* driver attributes: /sys/bus/BUS/drivers/DRIVER/ATTR */
struct driver_attribute {
	struct attribute attr;
	ssize_t (*show)(struct device_driver *driver, char *buf);
	ssize_t (*store)(struct device_driver *driver, const char *buf, size_t count);
};

#define DRIVER_ATTR_RW(_name) \
	struct driver_attribute driver_attr_##_name = __ATTR_RW(_name)
#define DRIVER_ATTR_RO(_name) \
	struct driver_attribute driver_attr_##_name = __ATTR_RO(_name)
#define DRIVER_ATTR_WO(_name) \
	struct driver_attribute driver_attr_##_name = __ATTR_WO(_name)

extern int __must_check driver_create_file(struct device_driver *driver,
					   const struct driver_attribute *attr);
extern void driver_remove_file(struct device_driver *driver,
			       const struct driver_attribute *attr);

struct class_attribute {
	struct attribute attr;
	ssize_t (*show)(struct class *class, struct class_attribute *attr, char *buf);
	ssize_t (*store)(struct class *class, struct class_attribute *attr,
			 const char *buf, size_t count);
};

#define CLASS_ATTR_RW(_name) \
	struct class_attribute class_attr_##_name = __ATTR_RW(_name)
#define CLASS_ATTR_RO(_name) \
	struct class_attribute class_attr_##_name = __ATTR_RO(_name)
#define CLASS_ATTR_WO(_name) \
	struct class_attribute class_attr_##_name = __ATTR_WO(_name)

extern int __must_check class_create_file_ns(struct class *class,
					     const struct class_attribute *attr, const void *ns);
extern void class_remove_file_ns(struct class *class, const struct class_attribute *attr,
				 const void *ns);

static inline int __must_check class_create_file(struct class *class,
						 const struct class_attribute *attr)
{
	return class_create_file_ns(class, attr, NULL);
}

static inline void class_remove_file(struct class *class, const struct class_attribute *attr)
{
	return class_remove_file_ns(class, attr, NULL);
}

/* classes */
extern struct class * __must_check __class_create(struct module *owner, const char *name,
						  struct lock_class_key *key);
extern void class_destroy(struct class *cls);
extern int __must_check __class_register(struct class *class, struct lock_class_key *key);
extern void class_unregister(struct class *class);

#define class_create(owner, name)		\
({						\
	static struct lock_class_key *__key;	\
	__class_create(owner, name, (struct lock_class_key *)&__key); \
})

#define class_register(class)			\
({						\
	static struct lock_class_key *__key;	\
	__class_register(class, (struct lock_class_key *)&__key); \
})

/* devices */
extern __printf(5, 6) struct device *device_create(struct class *cls, struct device *parent,
						  dev_t devt, void *drvdata, const char *fmt, ...);
extern __printf(6, 7) struct device *device_create_with_groups(struct class *cls,
			struct device *parent, dev_t devt, void *drvdata,
			const struct attribute_group **groups, const char *fmt, ...);
extern void device_destroy(struct class *cls, dev_t devt);
extern int __must_check device_register(struct device *dev);
extern void device_unregister(struct device *dev);
extern void device_initialize(struct device *dev);
extern int __must_check device_add(struct device *dev);
extern void device_del(struct device *dev);
extern struct device *get_device(struct device *dev);
extern void put_device(struct device *dev);
extern __printf(2, 3) int dev_set_name(struct device *dev, const char *name, ...);
extern const char *dev_driver_string(const struct device *dev);

/* managed allocations: freed when the driver unbinds (or its probe fails) */
extern void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp) __malloc;
extern void devm_kfree(struct device *dev, void *p);
extern char *devm_kstrdup(struct device *dev, const char *s, gfp_t gfp) __malloc;

static inline void *devm_kzalloc(struct device *dev, size_t size, gfp_t gfp)
{
	return devm_kmalloc(dev, size, gfp | __GFP_ZERO);
}

static inline void *devm_kmalloc_array(struct device *dev, size_t n, size_t size, gfp_t flags)
{
	if (size != 0 && n > SIZE_MAX / size)
		return NULL;
	return devm_kmalloc(dev, n * size, flags);
}

static inline void *devm_kcalloc(struct device *dev, size_t n, size_t size, gfp_t flags)
{
	return devm_kmalloc_array(dev, n, size, flags | __GFP_ZERO);
}

/* dev_printk: "<driver> <device>: message" */
extern __printf(3, 4) void dev_printk(const char *level, const struct device *dev,
				       const char *fmt, ...);
extern __printf(2, 3) void dev_emerg(const struct device *dev, const char *fmt, ...);
extern __printf(2, 3) void dev_alert(const struct device *dev, const char *fmt, ...);
extern __printf(2, 3) void dev_crit(const struct device *dev, const char *fmt, ...);
extern __printf(2, 3) void dev_err(const struct device *dev, const char *fmt, ...);
extern __printf(2, 3) void dev_warn(const struct device *dev, const char *fmt, ...);
extern __printf(2, 3) void dev_notice(const struct device *dev, const char *fmt, ...);
extern __printf(2, 3) void _dev_info(const struct device *dev, const char *fmt, ...);

#ifndef dev_fmt
#define dev_fmt(fmt) fmt
#endif

#define dev_info(dev, fmt, ...) _dev_info(dev, dev_fmt(fmt), ##__VA_ARGS__)

#if defined(DEBUG)
#define dev_dbg(dev, fmt, ...) dev_printk(KERN_DEBUG, dev, dev_fmt(fmt), ##__VA_ARGS__)
#else
#define dev_dbg(dev, fmt, ...)						\
({									\
	if (0)								\
		dev_printk(KERN_DEBUG, dev, dev_fmt(fmt), ##__VA_ARGS__); \
})
#endif
#define dev_vdbg dev_dbg

/* module_driver(): a module whose init registers one driver and whose exit unregisters it */
#define module_driver(__driver, __register, __unregister, ...) \
static int __init __driver##_init(void) \
{ \
	return __register(&(__driver) , ##__VA_ARGS__); \
} \
module_init(__driver##_init); \
static void __exit __driver##_exit(void) \
{ \
	__unregister(&(__driver) , ##__VA_ARGS__); \
} \
module_exit(__driver##_exit);

/* what 4.19's device.h pulls in as well */
#include <linux/completion.h>
#include <linux/stat.h>
#include <linux/notifier.h>
#include <linux/hrtimer.h>
#include <linux/idr.h>
#include <linux/percpu.h>

#endif /* _DEVICE_H_ */
