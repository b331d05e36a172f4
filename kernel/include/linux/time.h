/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_TIME_H
#define _LINUX_TIME_H

#include <linux/types.h>
#include <linux/time64.h>

struct timespec {
	long	tv_sec;
	long	tv_nsec;
};

struct timeval {
	long	tv_sec;
	long	tv_usec;
};

#endif
