/* SPDX-License-Identifier: GPL-2.0 */
/* klpsh: character device objects (fs/char_dev.c, kernel/api/char_dev.py), as 4.19. */
#ifndef _LINUX_CDEV_H
#define _LINUX_CDEV_H

#include <linux/kobject.h>
#include <linux/kdev_t.h>
#include <linux/list.h>
#include <linux/device.h>

struct file_operations;
struct inode;
struct module;

struct cdev {
	struct kobject kobj;
	struct module *owner;
	const struct file_operations *ops;
	struct list_head list;
	dev_t dev;
	unsigned int count;
};

extern void cdev_init(struct cdev *, const struct file_operations *);
extern struct cdev *cdev_alloc(void);
extern void cdev_put(struct cdev *p);
extern int cdev_add(struct cdev *, dev_t, unsigned);
extern void cdev_set_parent(struct cdev *p, struct kobject *kobj);
extern int cdev_device_add(struct cdev *cdev, struct device *dev);
extern void cdev_device_del(struct cdev *cdev, struct device *dev);
extern void cdev_del(struct cdev *);

/* what 4.19's cdev.h pulls in as well */
#include <linux/completion.h>
#include <linux/stat.h>
#include <linux/notifier.h>
#include <linux/hrtimer.h>
#include <linux/idr.h>
#include <linux/percpu.h>

#endif /* _LINUX_CDEV_H */
