// SPDX-License-Identifier: GPL-2.0
/* klpsh vmlinux: /proc/cmdline */
#include <linux/init.h>
#include <linux/seq_file.h>
#include "internal.h"

int cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", saved_command_line);
	return 0;
}
