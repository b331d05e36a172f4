/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: 5.4's struct platform_device has platform_dma_mask after its struct
 * device (5.3).  The rest is the shared header, included next.
 */
#ifndef __KLPSH_PLATFORM_DEVICE_5_4_H
#define __KLPSH_PLATFORM_DEVICE_5_4_H
#define KLPSH_PLATFORM_DMA_MASK 1
#endif

#include_next <linux/platform_device.h>
