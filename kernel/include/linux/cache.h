/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __LINUX_CACHE_H
#define __LINUX_CACHE_H

#include <linux/kernel.h>

#define L1_CACHE_SHIFT	6
#define L1_CACHE_BYTES	(1 << L1_CACHE_SHIFT)
#define SMP_CACHE_BYTES	L1_CACHE_BYTES

/* written during init only (4.19 makes it read-only after; here it stays writable data) */
#define __ro_after_init

/* what 4.19's cache.h pulls in as well */
#include <linux/export.h>

#endif
