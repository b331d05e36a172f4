// SPDX-License-Identifier: GPL-2.0
/*
 * Files of a module's own /sys/module/NAME: a module_attribute on
 * THIS_MODULE->mkobj.kobj, and a child kobject with a kobj_attribute.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>

static int level = 3;

static ssize_t greeting_show(struct module_attribute *mattr, struct module_kobject *mk, char *buf)
{
	return sprintf(buf, "hello from %s\n", mk->mod->name);
}
static struct module_attribute greeting = __ATTR_RO(greeting);

static ssize_t level_show(struct kobject *kobj, struct kobj_attribute *a, char *buf)
{
	return sprintf(buf, "%d (in %s)\n", level, kobject_name(kobj->parent));
}

static ssize_t level_store(struct kobject *kobj, struct kobj_attribute *a, const char *buf,
			   size_t n)
{
	int ret = kstrtoint(buf, 0, &level);

	return ret ? ret : n;
}
static struct kobj_attribute level_attr = __ATTR(level, 0644, level_show, level_store);

static struct kobject *state;

static int __init modkobj_init(void)
{
	int ret = sysfs_create_file(&THIS_MODULE->mkobj.kobj, &greeting.attr);

	if (ret)
		return ret;
	state = kobject_create_and_add("state", &THIS_MODULE->mkobj.kobj);
	if (!state)
		return -ENOMEM;
	ret = sysfs_create_file(state, &level_attr.attr);
	if (ret)
		kobject_put(state);
	return ret;
}

static void __exit modkobj_exit(void)
{
	kobject_put(state);
	sysfs_remove_file(&THIS_MODULE->mkobj.kobj, &greeting.attr);
}

module_init(modkobj_init);
module_exit(modkobj_exit);
MODULE_LICENSE("GPL");
