/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: BUG and WARN.  The reporting functions live in the Python kernel
 * (kernel/ABI.md): warn_slowpath_null/warn_slowpath_fmt print the WARNING
 * splat and return; __klpsh_bug prints the Oops and never returns.
 */
#ifndef _LINUX_BUG_H
#define _LINUX_BUG_H

#include <linux/compiler.h>
#include <linux/build_bug.h>
#include <linux/types.h>

extern void warn_slowpath_null(const char *file, const int line);
extern __printf(3, 4)
void warn_slowpath_fmt(const char *file, const int line, const char *fmt, ...);
extern __noreturn void __klpsh_bug(const char *file, int line);

#define BUG() do { __klpsh_bug(__FILE__, __LINE__); } while (0)

#define BUG_ON(condition) do { if (unlikely(condition)) BUG(); } while (0)

#define __WARN()		warn_slowpath_null(__FILE__, __LINE__)
#define __WARN_printf(arg...)	warn_slowpath_fmt(__FILE__, __LINE__, arg)

/* All WARN forms evaluate to the (boolean) condition, so they can be tested. */
#define WARN_ON(condition) ({					\
	int __ret_warn_on = !!(condition);			\
	if (unlikely(__ret_warn_on))				\
		__WARN();					\
	unlikely(__ret_warn_on);				\
})

#define WARN(condition, format...) ({				\
	int __ret_warn_on = !!(condition);			\
	if (unlikely(__ret_warn_on))				\
		__WARN_printf(format);				\
	unlikely(__ret_warn_on);				\
})

#define WARN_ON_ONCE(condition) ({				\
	static bool __warned;					\
	int __ret_warn_once = !!(condition);			\
								\
	if (unlikely(__ret_warn_once && !__warned)) {		\
		__warned = true;				\
		WARN_ON(1);					\
	}							\
	unlikely(__ret_warn_once);				\
})

#define WARN_ONCE(condition, format...) ({			\
	static bool __warned;					\
	int __ret_warn_once = !!(condition);			\
								\
	if (unlikely(__ret_warn_once && !__warned)) {		\
		__warned = true;				\
		WARN(1, format);				\
	}							\
	unlikely(__ret_warn_once);				\
})

#define WARN_TAINT(condition, taint, format...)		WARN(condition, format)
#define WARN_TAINT_ONCE(condition, taint, format...)	WARN_ONCE(condition, format)

#ifndef MODULE
/*
 * klpsh's vmlinux sources stand in for Linux files: one defines KLPSH_SOURCE (the Linux file,
 * "kernel/kthread.c") and these forms report at that file and at the line LINE that 4.19.0 has
 * the WARN or BUG on; the kernel places it where the booted kernel has it (the profile's table).
 */
#define __WARN_AT(line)			warn_slowpath_null(KLPSH_SOURCE, line)
#define WARN_ON_AT(line, condition) ({				\
	int __ret_warn_on = !!(condition);			\
	if (unlikely(__ret_warn_on))				\
		__WARN_AT(line);				\
	unlikely(__ret_warn_on);				\
})
#define WARN_AT(line, condition, format...) ({			\
	int __ret_warn_on = !!(condition);			\
	if (unlikely(__ret_warn_on))				\
		warn_slowpath_fmt(KLPSH_SOURCE, line, format);	\
	unlikely(__ret_warn_on);				\
})
#define WARN_ON_ONCE_AT(line, condition) ({			\
	static bool __warned;					\
	int __ret_warn_once = !!(condition);			\
								\
	if (unlikely(__ret_warn_once && !__warned)) {		\
		__warned = true;				\
		__WARN_AT(line);				\
	}							\
	unlikely(__ret_warn_once);				\
})
#define BUG_AT(line)	do { __klpsh_bug(KLPSH_SOURCE, line); } while (0)
#define BUG_ON_AT(line, condition) do { if (unlikely(condition)) BUG_AT(line); } while (0)
#endif

/* what 4.19's bug.h pulls in as well */
#include <linux/cache.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/log2.h>

#endif /* _LINUX_BUG_H */
