// SPDX-License-Identifier: GPL-2.0
/* klpsh vmlinux: the table of C-implemented /proc files (see internal.h). */
#include <linux/stddef.h>
#include "internal.h"

const struct klpsh_proc_entry klpsh_proc_entries[] = {
	{ "cmdline", cmdline_proc_show },
	{ "meminfo", meminfo_proc_show },
	{ NULL, NULL },
};
