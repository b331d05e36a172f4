// SPDX-License-Identifier: GPL-2.0
/* klpsh vmlinux: the second static klpsh_dup_count() (sympos 2); see klpsh_dup_a.c. */
#include <linux/compiler.h>
#include <linux/export.h>

static noinline int klpsh_dup_count(void)
{
	return 2;
}

int klpsh_dup_count_b(void)
{
	return klpsh_dup_count();
}
EXPORT_SYMBOL(klpsh_dup_count_b);
