/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh vmlinux: the /proc files implemented in C.
 *
 * The Python procfs reads the table klpsh_proc_entries (found through the
 * vmlinux symbol table; kernel/abi.py KlpshProcEntry) and, on a read of
 * /proc/<path>, calls show(m, NULL) with a struct seq_file.  The show
 * functions are deliberately ordinary, unexported, kallsyms-visible
 * functions, so that livepatches can replace them (livepatch-sample.c
 * patches cmdline_proc_show).
 */
#ifndef _KLPSH_FS_PROC_INTERNAL_H
#define _KLPSH_FS_PROC_INTERNAL_H

struct seq_file;

struct klpsh_proc_entry {
	const char *path;	/* relative to /proc; NULL ends the table */
	int (*show)(struct seq_file *m, void *v);
};

extern const struct klpsh_proc_entry klpsh_proc_entries[];

int cmdline_proc_show(struct seq_file *m, void *v);
int meminfo_proc_show(struct seq_file *m, void *v);

#endif
