// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: the module parameter types.
 *
 * module_param(x, int, ...) points its struct kernel_param at param_ops_int.
 * The Python kernel recognises the type by which of these objects ops
 * points to and parses/prints the value itself, so set and get stay NULL.
 */
#include <linux/moduleparam.h>
#include <linux/export.h>

#define KLPSH_PARAM_TYPE(type, fl)					\
	const struct kernel_param_ops param_ops_##type = {		\
		.flags = (fl),						\
		.set = NULL,						\
		.get = NULL,						\
		.free = NULL,						\
	};								\
	EXPORT_SYMBOL(param_ops_##type)

KLPSH_PARAM_TYPE(byte, 0);
KLPSH_PARAM_TYPE(short, 0);
KLPSH_PARAM_TYPE(ushort, 0);
KLPSH_PARAM_TYPE(int, 0);
KLPSH_PARAM_TYPE(uint, 0);
KLPSH_PARAM_TYPE(long, 0);
KLPSH_PARAM_TYPE(ulong, 0);
KLPSH_PARAM_TYPE(ullong, 0);
/* "name" alone (no "=value") sets a bool */
KLPSH_PARAM_TYPE(bool, KERNEL_PARAM_OPS_FL_NOARG);
KLPSH_PARAM_TYPE(invbool, 0);
/* an int set like a bool */
KLPSH_PARAM_TYPE(bint, KERNEL_PARAM_OPS_FL_NOARG);
KLPSH_PARAM_TYPE(charp, 0);
/* module_param_string: kernel_param.str -> struct kparam_string */
KLPSH_PARAM_TYPE(string, 0);

/* module_param_array: kernel_param.arr -> struct kparam_array (element ops inside) */
const struct kernel_param_ops param_array_ops = {
	.flags = 0,
	.set = NULL,
	.get = NULL,
	.free = NULL,
};
EXPORT_SYMBOL(param_array_ops);

/*
 * /sys/module/NAME's kobject: its files show and store through the struct
 * module_attribute around the attribute (kernel/params.c module_sysfs_ops).
 */
#include <linux/module.h>

#define to_module_attr(n) container_of(n, struct module_attribute, attr)
#define to_module_kobject(n) container_of(n, struct module_kobject, kobj)

static ssize_t module_attr_show(struct kobject *kobj, struct attribute *attr, char *buf)
{
	struct module_attribute *attribute = to_module_attr(attr);

	if (!attribute->show)
		return -EIO;
	return attribute->show(attribute, to_module_kobject(kobj), buf);
}

static ssize_t module_attr_store(struct kobject *kobj, struct attribute *attr,
				 const char *buf, size_t len)
{
	struct module_attribute *attribute = to_module_attr(attr);

	if (!attribute->store)
		return -EIO;
	return attribute->store(attribute, to_module_kobject(kobj), buf, len);
}

static const struct sysfs_ops module_sysfs_ops = {
	.show = module_attr_show,
	.store = module_attr_store,
};

struct kobj_type klpsh_module_ktype = {
	.sysfs_ops = &module_sysfs_ops,
};
