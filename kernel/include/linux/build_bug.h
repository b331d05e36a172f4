/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_BUILD_BUG_H
#define _LINUX_BUILD_BUG_H

#include <linux/compiler.h>

/* 0 when e is false; a compile error (negative bit-field width) when e is true */
#define BUILD_BUG_ON_ZERO(e)	((int)(sizeof(struct { int:(-!!(e)); })))
#define BUILD_BUG_ON_NULL(e)	((void *)sizeof(struct { int:(-!!(e)); }))

#define BUILD_BUG_ON_MSG(cond, msg)	_Static_assert(!(cond), msg)
#define BUILD_BUG_ON(condition)		BUILD_BUG_ON_MSG(condition, "BUILD_BUG_ON failed: " #condition)
#define BUILD_BUG_ON_NOT_POWER_OF_2(n)	BUILD_BUG_ON((n) == 0 || (((n) & ((n) - 1)) != 0))
#define BUILD_BUG()			BUILD_BUG_ON_MSG(1, "BUILD_BUG failed")

#define static_assert(expr, ...)	_Static_assert(expr, #expr)

/* what 4.19's build_bug.h pulls in as well */
#include <asm/barrier.h>
#include <linux/stringify.h>
#include <linux/types.h>

#endif
