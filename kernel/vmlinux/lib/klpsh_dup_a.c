// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: klpsh_dup_a.c and klpsh_dup_b.c each define a static
 * function klpsh_dup_count(), so kallsyms holds that name twice and a
 * livepatch has to choose one with klp_func.old_sympos.  Link order makes
 * this file's copy (returning 1) sympos 1 and the other one (returning 2)
 * sympos 2.  noinline (which implies noipa in klpsh's compiler_types.h)
 * keeps gcc from inlining, cloning or constant-folding them away; the
 * exported callers make them reachable.
 */
#include <linux/compiler.h>
#include <linux/export.h>

static noinline int klpsh_dup_count(void)
{
	return 1;
}

int klpsh_dup_count_a(void)
{
	return klpsh_dup_count();
}
EXPORT_SYMBOL(klpsh_dup_count_a);
