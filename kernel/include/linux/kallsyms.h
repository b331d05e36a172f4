/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: symbol lookups (kernel/api/kallsyms.py) over vmlinux and every
 * loaded module, 4.19 semantics: kallsyms_lookup_name() searches vmlinux,
 * then the modules newest first, and takes "module:symbol".
 */
#ifndef _LINUX_KALLSYMS_H
#define _LINUX_KALLSYMS_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/stddef.h>

#define KSYM_NAME_LEN 128
#define KSYM_SYMBOL_LEN (sizeof("%s+%#lx/%#lx [%s]") + (KSYM_NAME_LEN - 1) + \
			 2*(64*3/10) + (64 - 8 - 1) + 1)

struct module;

extern unsigned long kallsyms_lookup_name(const char *name);
extern int kallsyms_on_each_symbol(int (*fn)(void *, const char *, struct module *, unsigned long),
				   void *data);
extern int kallsyms_lookup_size_offset(unsigned long addr, unsigned long *symbolsize,
				       unsigned long *offset);
extern const char *kallsyms_lookup(unsigned long addr, unsigned long *symbolsize,
				   unsigned long *offset, char **modname, char *namebuf);
extern int sprint_symbol(char *buffer, unsigned long address);
extern int sprint_symbol_no_offset(char *buffer, unsigned long address);
extern int sprint_backtrace(char *buffer, unsigned long address);
extern int lookup_symbol_name(unsigned long addr, char *symname);

static inline void print_ip_sym(unsigned long ip)
{
	printk("[<%p>] %pS\n", (void *) ip, (void *) ip);
}

/* what 4.19's kallsyms.h pulls in as well */
#include <linux/completion.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/kref.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/rculist.h>
#include <linux/semaphore.h>
#include <linux/uidgid.h>
#include <linux/vmalloc.h>
#include <linux/kobject.h>
#include <linux/idr.h>
#include <asm/io.h>
#include <linux/kmod.h>

#endif /* _LINUX_KALLSYMS_H */
