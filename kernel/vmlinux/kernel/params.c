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
