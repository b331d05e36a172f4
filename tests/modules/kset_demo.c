// SPDX-License-Identifier: GPL-2.0
/*
 * Counters as kobjects of their own type in a kset under /sys/kernel: each
 * counter is a struct counter embedding its kobject, with files that show
 * and store through the ktype's sysfs_ops (container_of to the module's own
 * attribute type), a read-only file, a store that refuses bad input, a
 * named attribute group with is_visible, a binary file, and a release that
 * frees the counter when its last reference goes.  A second ktype has no
 * release at all (kobject_cleanup's pr_debug says it is broken).
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>
#include <linux/slab.h>
#include <linux/string.h>

struct counter {
	struct kobject kobj;
	int value;
	int step;
	char note[32];
};
#define to_counter(k) container_of(k, struct counter, kobj)

struct counter_attr {
	struct attribute attr;
	ssize_t (*show)(struct counter *c, struct counter_attr *a, char *buf);
	ssize_t (*store)(struct counter *c, struct counter_attr *a, const char *buf, size_t n);
};
#define to_counter_attr(a) container_of(a, struct counter_attr, attr)

static ssize_t counter_attr_show(struct kobject *kobj, struct attribute *attr, char *buf)
{
	struct counter_attr *a = to_counter_attr(attr);

	if (!a->show)
		return -EIO;
	return a->show(to_counter(kobj), a, buf);
}

static ssize_t counter_attr_store(struct kobject *kobj, struct attribute *attr,
				  const char *buf, size_t n)
{
	struct counter_attr *a = to_counter_attr(attr);

	if (!a->store)
		return -EIO;
	return a->store(to_counter(kobj), a, buf, n);
}

static const struct sysfs_ops counter_sysfs_ops = {
	.show = counter_attr_show,
	.store = counter_attr_store,
};

static void counter_release(struct kobject *kobj)
{
	struct counter *c = to_counter(kobj);

	pr_info("kset_demo: release %s (value %d)\n", kobject_name(kobj), c->value);
	kfree(c);
}

static ssize_t value_show(struct counter *c, struct counter_attr *a, char *buf)
{
	return sprintf(buf, "%d\n", c->value);
}

static ssize_t value_store(struct counter *c, struct counter_attr *a, const char *buf, size_t n)
{
	int v, ret = kstrtoint(buf, 10, &v);

	if (ret < 0)
		return ret;
	c->value = v;
	return n;
}

static ssize_t step_show(struct counter *c, struct counter_attr *a, char *buf)
{
	return sprintf(buf, "%d\n", c->step);
}

static ssize_t tick_store(struct counter *c, struct counter_attr *a, const char *buf, size_t n)
{
	c->value += c->step;
	return n;
}

static ssize_t note_show(struct counter *c, struct counter_attr *a, char *buf)
{
	return sprintf(buf, "%s\n", c->note);
}

static ssize_t note_store(struct counter *c, struct counter_attr *a, const char *buf, size_t n)
{
	strlcpy(c->note, buf, sizeof(c->note));
	strim(c->note);
	return n;
}

static struct counter_attr value_attr = __ATTR(value, 0664, value_show, value_store);
static struct counter_attr step_attr = __ATTR_RO(step);
static struct counter_attr tick_attr = __ATTR_WO(tick);
static struct counter_attr note_attr = __ATTR(note, 0644, note_show, note_store);
static struct counter_attr secret_attr = __ATTR(secret, 0400, note_show, NULL);

static struct attribute *counter_default_attrs[] = {
	&value_attr.attr, &step_attr.attr, &tick_attr.attr, NULL,
};

static struct kobj_type counter_ktype = {
	.sysfs_ops = &counter_sysfs_ops,
	.release = counter_release,
	.default_attrs = counter_default_attrs,
};

static struct kobj_type broken_ktype = {
	.sysfs_ops = &kobj_sysfs_ops,
};

static int show_secret;
module_param(show_secret, int, 0444);

static umode_t extra_visible(struct kobject *kobj, struct attribute *attr, int n)
{
	if (attr == &secret_attr.attr && !show_secret)
		return 0;
	return attr->mode;
}

static struct attribute *extra_attrs[] = { &note_attr.attr, &secret_attr.attr, NULL };
static const struct attribute_group extra_group = {
	.name = "extra",
	.attrs = extra_attrs,
	.is_visible = extra_visible,
};

static char table[] = "0123456789abcdef";

static ssize_t table_read(struct file *f, struct kobject *kobj, struct bin_attribute *b,
			  char *buf, loff_t off, size_t count)
{
	memcpy(buf, table + off, count);
	return count;
}
static BIN_ATTR_RO(table, sizeof(table) - 1);

static struct kset *set;
static struct counter *counters[3];
static struct kobject *broken;

static struct counter *counter_create(const char *name, int step)
{
	struct counter *c = kzalloc(sizeof(*c), GFP_KERNEL);
	int ret;

	if (!c)
		return NULL;
	c->step = step;
	strcpy(c->note, "none");
	c->kobj.kset = set;
	ret = kobject_init_and_add(&c->kobj, &counter_ktype, NULL, "%s", name);
	if (ret) {
		pr_info("kset_demo: kobject_init_and_add(%s): %d\n", name, ret);
		kobject_put(&c->kobj);
		return NULL;
	}
	pr_info("kset_demo: %s uevent %d\n", name, kobject_uevent(&c->kobj, KOBJ_ADD));
	return c;
}

static int __init kset_demo_init(void)
{
	struct kobject *found;

	set = kset_create_and_add("kset_demo", NULL, kernel_kobj);
	if (!set)
		return -ENOMEM;
	counters[0] = counter_create("one", 1);
	counters[1] = counter_create("ten", 10);
	counters[2] = counter_create("one", 100);	/* a name that is taken */
	if (!counters[0] || !counters[1])
		goto fail;
	if (sysfs_create_group(&counters[0]->kobj, &extra_group) ||
	    sysfs_create_bin_file(&counters[1]->kobj, &bin_attr_table))
		goto fail;
	if (sysfs_create_link(&counters[1]->kobj, &counters[0]->kobj, "sibling"))
		goto fail;
	found = kset_find_obj(set, "ten");
	pr_info("kset_demo: find ten: %s, refs %u\n", found == &counters[1]->kobj ? "yes" : "no",
		kref_read(&counters[1]->kobj.kref));
	kobject_put(found);
	broken = kzalloc(sizeof(*broken), GFP_KERNEL);
	if (!broken || kobject_init_and_add(broken, &broken_ktype, &set->kobj, "broken"))
		goto fail;
	kobject_get(&counters[0]->kobj);
	pr_info("kset_demo: refs of one %u, parent %s\n", kref_read(&counters[0]->kobj.kref),
		kobject_name(counters[0]->kobj.parent));
	kobject_put(&counters[0]->kobj);
	return 0;
fail:
	if (counters[0])
		kobject_put(&counters[0]->kobj);
	if (counters[1])
		kobject_put(&counters[1]->kobj);
	kset_unregister(set);
	return -EINVAL;
}

static void __exit kset_demo_exit(void)
{
	kobject_del(broken);
	kobject_put(broken);
	kfree(broken);
	sysfs_remove_group(&counters[0]->kobj, &extra_group);
	sysfs_remove_link(&counters[1]->kobj, "sibling");
	kobject_put(&counters[0]->kobj);
	kobject_put(&counters[1]->kobj);
	kset_unregister(set);
}

module_init(kset_demo_init);
module_exit(kset_demo_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("counters as kobjects in a kset");
