// SPDX-License-Identifier: GPL-2.0
/* klpsh vmlinux: the software population counts of 4.19's lib/hweight.c. */
#include <linux/bitops.h>
#include <linux/export.h>

unsigned int __sw_hweight32(unsigned int w)
{
	return __arch_hweight32(w);
}
EXPORT_SYMBOL(__sw_hweight32);

unsigned int __sw_hweight16(unsigned int w)
{
	return __arch_hweight16(w);
}
EXPORT_SYMBOL(__sw_hweight16);

unsigned int __sw_hweight8(unsigned int w)
{
	return __arch_hweight8(w);
}
EXPORT_SYMBOL(__sw_hweight8);

unsigned long __sw_hweight64(__u64 w)
{
	return __arch_hweight64(w);
}
EXPORT_SYMBOL(__sw_hweight64);
