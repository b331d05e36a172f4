/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: exported symbols.  EXPORT_SYMBOL(sym) adds a
 * struct kernel_symbol { value, name } to __ksymtab (EXPORT_SYMBOL_GPL: to
 * __ksymtab_gpl); the name string goes to __ksymtab_strings.  The loader
 * resolves other modules' undefined symbols against these tables only.
 */
#ifndef _LINUX_EXPORT_H
#define _LINUX_EXPORT_H

#include <linux/compiler.h>
#include <linux/stringify.h>

struct kernel_symbol {
	unsigned long value;
	const char *name;
};

struct module;

#ifdef MODULE
extern struct module __this_module;
#define THIS_MODULE (&__this_module)
#else
#define THIS_MODULE ((struct module *)0)
#endif

#define ___EXPORT_SYMBOL(sym, sec)					\
	extern typeof(sym) sym;						\
	static const char __kstrtab_##sym[]				\
	__attribute__((__section__("__ksymtab_strings"), __aligned__(1)))	\
	= #sym;								\
	static const struct kernel_symbol __ksymtab_##sym		\
	__used __attribute__((__section__("__ksymtab" sec), __aligned__(8)))	\
	= { (unsigned long)&sym, __kstrtab_##sym }

#define EXPORT_SYMBOL(sym)		___EXPORT_SYMBOL(sym, "")
#define EXPORT_SYMBOL_GPL(sym)		___EXPORT_SYMBOL(sym, "_gpl")
/* klpsh has no "future GPL-only" table: these are ordinary exports */
#define EXPORT_SYMBOL_GPL_FUTURE(sym)	___EXPORT_SYMBOL(sym, "")
#define EXPORT_UNUSED_SYMBOL(sym)	___EXPORT_SYMBOL(sym, "")
#define EXPORT_UNUSED_SYMBOL_GPL(sym)	___EXPORT_SYMBOL(sym, "_gpl")

#endif /* _LINUX_EXPORT_H */
