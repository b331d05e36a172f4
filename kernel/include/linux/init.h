/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: init/exit markers.  klpsh keeps init and exit code in .text (the
 * markers are empty), so nothing is freed after init and every function
 * stays in kallsyms; the names exist so that kernel code compiles unchanged.
 */
#ifndef _LINUX_INIT_H
#define _LINUX_INIT_H

#include <linux/compiler.h>
#include <linux/types.h>

#define __init
#define __exit
#define __initdata
#define __exitdata
#define __initconst
#define __init_or_module
#define __initdata_or_module
#define __ref
#define __refdata
#define __refconst
#define __meminit
#define __meminitdata
#define __devinit
#define __devexit

/* the kernel command line (vmlinux data, kernel/vmlinux/init/main.c) */
extern char *saved_command_line;

typedef int (*initcall_t)(void);
typedef void (*exitcall_t)(void);

#ifdef MODULE
#define __exit_p(x)	x
#else
#define __exit_p(x)	NULL
#endif

/*
 * Built-in initcalls: recorded in .initcall<level>.init sections.  (The
 * simulated boot does not run them; vmlinux has none.)
 */
#define ___define_initcall(fn, id, __sec) \
	static initcall_t __initcall_##fn##id __used \
		__attribute__((__section__(#__sec ".init"))) = fn;
#define __define_initcall(fn, id)	___define_initcall(fn, id, .initcall##id)

#define early_initcall(fn)		__define_initcall(fn, early)
#define core_initcall(fn)		__define_initcall(fn, 1)
#define postcore_initcall(fn)		__define_initcall(fn, 2)
#define arch_initcall(fn)		__define_initcall(fn, 3)
#define subsys_initcall(fn)		__define_initcall(fn, 4)
#define fs_initcall(fn)			__define_initcall(fn, 5)
#define device_initcall(fn)		__define_initcall(fn, 6)
#define late_initcall(fn)		__define_initcall(fn, 7)

#define __initcall(fn)			device_initcall(fn)
#define __exitcall(fn) \
	static exitcall_t __exitcall_##fn __used \
		__attribute__((__section__(".exitcall.exit"))) = fn;

/* what 4.19's init.h pulls in as well */
#include <asm/barrier.h>
#include <linux/stringify.h>

#endif /* _LINUX_INIT_H */
