// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: the kobjects of /sys/kernel, /sys/kernel/mm, /sys/fs and
 * /sys/firmware that modules hang their own under (kernel/ksysfs.c,
 * mm/mm_init.c, fs/namespace.c, drivers/base/firmware.c); the Python
 * kernel (kernel/api/kobject.py) knows them by name.
 */
#include <linux/kobject.h>
#include <linux/export.h>

static struct kobject klpsh_kernel_kobj = { .name = "kernel" };
static struct kobject klpsh_mm_kobj = { .name = "mm", .parent = &klpsh_kernel_kobj };
static struct kobject klpsh_fs_kobj = { .name = "fs" };
static struct kobject klpsh_firmware_kobj = { .name = "firmware" };

struct kobject *kernel_kobj = &klpsh_kernel_kobj;
EXPORT_SYMBOL_GPL(kernel_kobj);
struct kobject *mm_kobj = &klpsh_mm_kobj;
EXPORT_SYMBOL_GPL(mm_kobj);
struct kobject *fs_kobj = &klpsh_fs_kobj;
EXPORT_SYMBOL_GPL(fs_kobj);
struct kobject *firmware_kobj = &klpsh_firmware_kobj;
EXPORT_SYMBOL_GPL(firmware_kobj);
