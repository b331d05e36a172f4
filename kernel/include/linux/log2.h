/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: integer base-2 logarithms and powers of two (inline).  ilog2() of a
 * constant folds to a constant, so it may size arrays.
 */
#ifndef _LINUX_LOG2_H
#define _LINUX_LOG2_H

#include <linux/types.h>
#include <linux/bits.h>

/* floor(log2(n)); n must not be 0 (ilog2(0) is undefined, as in Linux) */
#define ilog2(n)							\
	((n) < 2 ? 0 : 63 - __builtin_clzll((unsigned long long)(n)))

static inline __attribute__((const)) bool is_power_of_2(unsigned long n)
{
	return (n != 0 && ((n & (n - 1)) == 0));
}

static inline __attribute__((const)) unsigned long __roundup_pow_of_two(unsigned long n)
{
	return n < 2 ? 1 : 1UL << (64 - __builtin_clzl(n - 1));
}

static inline __attribute__((const)) unsigned long __rounddown_pow_of_two(unsigned long n)
{
	return 1UL << (63 - __builtin_clzl(n));
}

#define roundup_pow_of_two(n)		__roundup_pow_of_two(n)
#define rounddown_pow_of_two(n)		__rounddown_pow_of_two(n)

/* ceil(log2(n)): the order of the smallest power of two >= n */
#define order_base_2(n)			((n) > 1 ? ilog2((n) - 1) + 1 : 0)

/* what 4.19's log2.h pulls in as well */
#include <linux/bitops.h>

#endif /* _LINUX_LOG2_H */
