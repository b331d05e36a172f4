/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: the device id tables drivers match on (4.19's linux/mod_devicetable.h,
 * the platform and open firmware ones).
 */
#ifndef LINUX_MOD_DEVICETABLE_H
#define LINUX_MOD_DEVICETABLE_H

#include <linux/types.h>

typedef unsigned long kernel_ulong_t;

#define PLATFORM_NAME_SIZE	20
#define PLATFORM_MODULE_PREFIX	"platform:"

struct platform_device_id {
	char name[PLATFORM_NAME_SIZE];
	kernel_ulong_t driver_data;
};

struct of_device_id {
	char	name[32];
	char	type[32];
	char	compatible[128];
	const void *data;
};

#endif /* LINUX_MOD_DEVICETABLE_H */
