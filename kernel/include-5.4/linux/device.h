/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: 5.4's struct device_driver has dev_groups after groups (5.3): the
 * attributes the driver core makes on each device the driver binds.  The rest
 * is the shared header, included next.
 */
#ifndef __KLPSH_DEVICE_5_4_H
#define __KLPSH_DEVICE_5_4_H
#define KLPSH_DRIVER_DEV_GROUPS 1
#endif

#include_next <linux/device.h>
