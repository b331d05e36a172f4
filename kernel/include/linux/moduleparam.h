/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: module parameters and .modinfo tags.
 *
 * module_param(name, type, perm) emits a struct kernel_param into the
 * __param section (layout: kernel/ABI.md) whose ops points at the vmlinux
 * object param_ops_<type>; the kernel recognises the type by that symbol
 * and parses values itself.  It also records "parmtype=name:type" in
 * .modinfo; MODULE_PARM_DESC records "parm=name:description".
 */
#ifndef _LINUX_MODULE_PARAMS_H
#define _LINUX_MODULE_PARAMS_H

#include <linux/init.h>
#include <linux/stringify.h>
#include <linux/kernel.h>
#include <linux/export.h>

/* modules name their parameters plainly; built-in code prefixes "modname." */
#ifdef MODULE
#define MODULE_PARAM_PREFIX /* empty */
#else
#define MODULE_PARAM_PREFIX KBUILD_MODNAME "."
#endif

#define MAX_PARAM_PREFIX_LEN (64 - sizeof(unsigned long))

/* one "tag=info" string in .modinfo (dropped for built-in code) */
#ifdef MODULE
#define __MODULE_INFO(tag, name, info)					\
	static const char __UNIQUE_ID(name)[]				\
	__used __attribute__((__section__(".modinfo"), __unused__, __aligned__(1))) \
	= __stringify(tag) "=" info
#else
#define __MODULE_INFO(tag, name, info)					\
	struct __UNIQUE_ID(name) {}
#endif
#define __MODULE_PARM_TYPE(name, _type) \
	__MODULE_INFO(parmtype, name##type, #name ":" _type)

#define MODULE_PARM_DESC(_parm, desc) \
	__MODULE_INFO(parm, _parm, #_parm ":" desc)

struct kernel_param;
struct module;

enum {
	KERNEL_PARAM_OPS_FL_NOARG = (1 << 0),	/* "name" alone is a valid setting */
};

struct kernel_param_ops {
	unsigned int flags;
	int (*set)(const char *val, const struct kernel_param *kp);
	int (*get)(char *buffer, const struct kernel_param *kp);
	void (*free)(void *arg);
};

enum {
	KERNEL_PARAM_FL_UNSAFE	= (1 << 0),	/* setting it taints the kernel */
	KERNEL_PARAM_FL_HWPARAM	= (1 << 1),
};

struct kernel_param {
	const char *name;
	struct module *mod;
	const struct kernel_param_ops *ops;
	const u16 perm;
	s8 level;
	u8 flags;
	union {
		void *arg;
		const struct kparam_string *str;
		const struct kparam_array *arr;
	};
};

/* module_param_string(): a char buffer of MAXLEN bytes, copied into */
struct kparam_string {
	unsigned int maxlen;
	char *string;
};

/* module_param_array(): MAX elements of ELEMSIZE at ELEM, each handled by OPS */
struct kparam_array {
	unsigned int max;
	unsigned int elemsize;
	unsigned int *num;
	const struct kernel_param_ops *ops;
	void *elem;
};

/*
 * sysfs permissions must be sane: 0..0777, never world-writable, and each
 * class at most as permissive as the one before it.
 */
#define VERIFY_OCTAL_PERMISSIONS(perm)					\
	(BUILD_BUG_ON_ZERO((perm) < 0) +				\
	 BUILD_BUG_ON_ZERO((perm) > 0777) +				\
	 BUILD_BUG_ON_ZERO((((perm) >> 6) & 4) < (((perm) >> 3) & 4)) +	\
	 BUILD_BUG_ON_ZERO((((perm) >> 3) & 4) < ((perm) & 4)) +	\
	 BUILD_BUG_ON_ZERO((((perm) >> 6) & 2) < (((perm) >> 3) & 2)) +	\
	 BUILD_BUG_ON_ZERO((perm) & 2) +				\
	 (perm))

#define __module_param_call(prefix, name, ops, arg, perm, level, flags)	\
	static const char __param_str_##name[] = prefix #name;		\
	static const struct kernel_param __param_##name			\
	__used __attribute__((__unused__, __section__("__param"), __aligned__(sizeof(void *)))) \
	= { __param_str_##name, THIS_MODULE, ops,			\
	    VERIFY_OCTAL_PERMISSIONS(perm), level, flags, { arg } }

#define module_param_cb(name, ops, arg, perm) \
	__module_param_call(MODULE_PARAM_PREFIX, name, ops, arg, perm, -1, 0)

#define module_param_cb_unsafe(name, ops, arg, perm) \
	__module_param_call(MODULE_PARAM_PREFIX, name, ops, arg, perm, -1, KERNEL_PARAM_FL_UNSAFE)

/* compile-time check that value has the C type of the parameter type */
#define __param_check(name, p, type) \
	static inline type __always_unused *__check_##name(void) { return (p); }

#define param_check_byte(name, p)	__param_check(name, p, unsigned char)
#define param_check_short(name, p)	__param_check(name, p, short)
#define param_check_ushort(name, p)	__param_check(name, p, unsigned short)
#define param_check_int(name, p)	__param_check(name, p, int)
#define param_check_uint(name, p)	__param_check(name, p, unsigned int)
#define param_check_long(name, p)	__param_check(name, p, long)
#define param_check_ulong(name, p)	__param_check(name, p, unsigned long)
#define param_check_ullong(name, p)	__param_check(name, p, unsigned long long)
#define param_check_charp(name, p)	__param_check(name, p, char *)
#define param_check_bool(name, p)	__param_check(name, p, bool)
#define param_check_invbool(name, p)	__param_check(name, p, bool)
#define param_check_bint		param_check_int

/*
 * The parameter types: vmlinux objects, see kernel/vmlinux/kernel/params.c.
 * The kernel handles these types itself; a module's own kernel_param_ops
 * (module_param_cb) are called, and may use the param_set_ and param_get_
 * helpers below (Python kernel, kernel/api/params.py) as in Linux.
 */
extern const struct kernel_param_ops param_ops_byte;
extern const struct kernel_param_ops param_ops_short;
extern const struct kernel_param_ops param_ops_ushort;
extern const struct kernel_param_ops param_ops_int;
extern const struct kernel_param_ops param_ops_uint;
extern const struct kernel_param_ops param_ops_long;
extern const struct kernel_param_ops param_ops_ulong;
extern const struct kernel_param_ops param_ops_bool;
extern const struct kernel_param_ops param_ops_invbool;
extern const struct kernel_param_ops param_ops_charp;
extern const struct kernel_param_ops param_ops_ullong;
extern const struct kernel_param_ops param_ops_bint;
extern const struct kernel_param_ops param_ops_string;
extern const struct kernel_param_ops param_array_ops;

#define __PARAM_HELPERS(type)							\
	extern int param_set_##type(const char *val, const struct kernel_param *kp);	\
	extern int param_get_##type(char *buffer, const struct kernel_param *kp)
__PARAM_HELPERS(byte);
__PARAM_HELPERS(short);
__PARAM_HELPERS(ushort);
__PARAM_HELPERS(int);
__PARAM_HELPERS(uint);
__PARAM_HELPERS(long);
__PARAM_HELPERS(ulong);
__PARAM_HELPERS(ullong);
__PARAM_HELPERS(charp);
__PARAM_HELPERS(bool);
__PARAM_HELPERS(invbool);
extern int param_set_bint(const char *val, const struct kernel_param *kp);
#define param_get_bint param_get_int
extern void param_free_charp(void *arg);
extern int param_set_copystring(const char *val, const struct kernel_param *kp);
extern int param_get_string(char *buffer, const struct kernel_param *kp);
extern int param_set_bool_enable_only(const char *val, const struct kernel_param *kp);
#define param_get_bool_enable_only param_get_bool

#define module_param_named(name, value, type, perm)			\
	param_check_##type(name, &(value));				\
	module_param_cb(name, &param_ops_##type, &value, perm);		\
	__MODULE_PARM_TYPE(name, #type)

#define module_param_named_unsafe(name, value, type, perm)		\
	param_check_##type(name, &(value));				\
	module_param_cb_unsafe(name, &param_ops_##type, &value, perm);	\
	__MODULE_PARM_TYPE(name, #type)

#define module_param(name, type, perm) \
	module_param_named(name, name, type, perm)

/* a string copied into the char array STRING of LEN bytes */
#define module_param_string(name, string, len, perm)			\
	static const struct kparam_string __param_string_##name		\
		= { len, string };					\
	__module_param_call(MODULE_PARAM_PREFIX, name,			\
			    &param_ops_string,				\
			    .str = &__param_string_##name, perm, -1, 0);\
	__MODULE_PARM_TYPE(name, "string")

/* up to ARRAY_SIZE(array) comma-separated values; *NUMP (if not NULL) gets the count */
#define module_param_array_named(name, array, type, nump, perm)		\
	param_check_##type(name, &(array)[0]);				\
	static const struct kparam_array __param_arr_##name		\
	= { .max = ARRAY_SIZE(array), .num = nump,			\
	    .ops = &param_ops_##type,					\
	    .elemsize = sizeof(array[0]), .elem = array };		\
	__module_param_call(MODULE_PARAM_PREFIX, name,			\
			    &param_array_ops,				\
			    .arr = &__param_arr_##name,			\
			    perm, -1, 0);				\
	__MODULE_PARM_TYPE(name, "array of " #type)

#define module_param_array(name, type, nump, perm)		\
	module_param_array_named(name, name, type, nump, perm)

#define module_param_unsafe(name, type, perm) \
	module_param_named_unsafe(name, name, type, perm)

#endif /* _LINUX_MODULE_PARAMS_H */
