/* SPDX-License-Identifier: GPL-2.0 */
/* struct sysinfo, as filled by si_meminfo() and returned by sysinfo(2). */
#ifndef _LINUX_SYSINFO_H
#define _LINUX_SYSINFO_H

#include <linux/types.h>

#define SI_LOAD_SHIFT	16

struct sysinfo {
	__kernel_long_t uptime;		/* seconds since boot */
	__kernel_ulong_t loads[3];	/* 1, 5 and 15 minute load averages */
	__kernel_ulong_t totalram;	/* total usable main memory, in mem_unit */
	__kernel_ulong_t freeram;	/* available memory */
	__kernel_ulong_t sharedram;	/* shared memory */
	__kernel_ulong_t bufferram;	/* memory used by buffers */
	__kernel_ulong_t totalswap;	/* total swap space */
	__kernel_ulong_t freeswap;	/* swap space still available */
	__u16 procs;			/* number of current processes */
	__u16 pad;
	__kernel_ulong_t totalhigh;	/* total high memory */
	__kernel_ulong_t freehigh;	/* available high memory */
	__u32 mem_unit;			/* unit of the memory sizes, in bytes */
	char _f[20 - 2 * sizeof(__kernel_ulong_t) - sizeof(__u32)];	/* padding (empty on 64-bit) */
};

#endif
