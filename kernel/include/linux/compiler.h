/* SPDX-License-Identifier: GPL-2.0 */
/* klpsh: compiler barriers and ONCE accessors (single CPU, so they only stop the optimiser). */
#ifndef _LINUX_COMPILER_H
#define _LINUX_COMPILER_H

#include <linux/compiler_types.h>

#define barrier()		__asm__ __volatile__("" : : : "memory")
#define barrier_data(ptr)	__asm__ __volatile__("" : : "r"(ptr) : "memory")

#define READ_ONCE(x)		(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, val)	do { *(volatile typeof(x) *)&(x) = (val); } while (0)

#define OPTIMIZER_HIDE_VAR(var)	__asm__ ("" : "=r" (var) : "0" (var))

#define RELOC_HIDE(ptr, off)						\
({									\
	unsigned long __ptr;						\
	__asm__ ("" : "=r"(__ptr) : "0"(ptr));				\
	(typeof(ptr)) (__ptr + (off));					\
})

#define unreachable()		__builtin_unreachable()

/* what 4.19's compiler.h pulls in as well */
#include <asm/barrier.h>
#include <linux/stringify.h>
#include <linux/types.h>

#endif /* _LINUX_COMPILER_H */
