/*
 * klib_llkd.c: a small 'library' of routines linked into the LKM
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include "klib_llkd.h"

/* powerof: a simple 'library' function to return base^exponent */
u64 powerof(int base, int exponent)
{
	u64 res = 1;

	if (base == 0)		// 0^e = 0
		return 0;
	if (base <= 0 || exponent < 0)
		return -1;
	if (exponent == 0)	// b^0 = 1
		return 1;
	while (exponent--)
		res *= base;
	return res;
}
