/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: CONFIG_ options in C expressions.  Kbuild force-includes this file
 * (-include linux/kconfig.h) in every translation unit, as 4.19 does, so
 * modules see generated/autoconf.h without including anything.
 *
 * IS_ENABLED(CONFIG_X) and friends must work whether or not CONFIG_X is
 * defined at all.  A defined option expands to 1; pasting that 1 onto
 * __ARG_PLACEHOLDER_ gives a macro that expands to "0," and shifts the
 * argument list by one, so picking the second element yields 1.  An
 * undefined option pastes into a name that does not expand, and the second
 * element is the 0 that follows.
 */
#ifndef __LINUX_KCONFIG_H
#define __LINUX_KCONFIG_H

#include <generated/autoconf.h>

#define __LITTLE_ENDIAN 1234

#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(__ignored, val, ...) val

#define __is_defined(x)			___is_defined(x)
#define ___is_defined(val)		____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk)	__take_second_arg(arg1_or_junk 1, 0)

/* logical and/or of two 0/1 macro values, usable in #if */
#define __and(x, y)			___and(x, y)
#define ___and(x, y)			____and(__ARG_PLACEHOLDER_##x, y)
#define ____and(arg1_or_junk, y)	__take_second_arg(arg1_or_junk y, 0)
#define __or(x, y)			___or(x, y)
#define ___or(x, y)			____or(__ARG_PLACEHOLDER_##x, y)
#define ____or(arg1_or_junk, y)		__take_second_arg(arg1_or_junk 1, y)

/* =y */
#define IS_BUILTIN(option)	__is_defined(option)
/* =m (autoconf.h defines CONFIG_X_MODULE) */
#define IS_MODULE(option)	__is_defined(option##_MODULE)
/* code built in or as a module that this translation unit can call */
#define IS_REACHABLE(option)	__or(IS_BUILTIN(option), \
				     __and(IS_MODULE(option), __is_defined(MODULE)))
/* =y or =m */
#define IS_ENABLED(option)	__or(IS_BUILTIN(option), IS_MODULE(option))

#endif /* __LINUX_KCONFIG_H */
