// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: the UTS namespace.  The Python kernel writes its strings
 * at boot (kernel/utsname.py uts_init), from the profile being booted.
 */
#include <linux/utsname.h>
#include <linux/export.h>

struct uts_namespace init_uts_ns = {
	.kref = KREF_INIT(2),
	.name = {
		.sysname	= "Linux",
		.domainname	= "(none)",
	},
};
EXPORT_SYMBOL_GPL(init_uts_ns);
