// SPDX-License-Identifier: GPL-2.0
/*
 * kallsyms as livepatch helpers and debugging modules use it: addresses of
 * unexported vmlinux symbols, "module:symbol", walking every symbol, and
 * turning addresses back into names.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/kallsyms.h>
#include <linux/string.h>

struct walk {
	struct module *me;
	int mine, vmlinux;
	unsigned long secret;
};

static noinline int secret_fn(int x)
{
	return x * 3;
}

static int count_sym(void *data, const char *name, struct module *mod, unsigned long addr)
{
	struct walk *w = data;

	if (!mod)
		w->vmlinux++;
	else if (mod == w->me)
		w->mine++;
	if (mod == w->me && !strcmp(name, "secret_fn"))
		w->secret = addr;
	return 0;
}

static int stop_at_printk(void *data, const char *name, struct module *mod, unsigned long addr)
{
	return !strcmp(name, "printk") ? 7 : 0;
}

static int __init ksyms_demo_init(void)
{
	char **cmdline = (char **)kallsyms_lookup_name("saved_command_line");
	unsigned long show = kallsyms_lookup_name("cmdline_proc_show");
	unsigned long secret = kallsyms_lookup_name("ksyms_demo:secret_fn");
	struct walk w = { .me = THIS_MODULE };
	char buf[KSYM_SYMBOL_LEN], name[KSYM_NAME_LEN];
	unsigned long size = 0, off = 0;
	char *modname = NULL;
	int r;

	pr_info("cmdline via kallsyms: %s\n", cmdline ? *cmdline : "?");
	pr_info("cmdline_proc_show found=%d is %pS\n", show != 0, (void *)show);
	pr_info("printk=%d secret_fn=%d plain=%d missing=%lu nomod=%lu secret(2)=%d\n",
		kallsyms_lookup_name("printk") == (unsigned long)printk,
		secret == (unsigned long)secret_fn,
		kallsyms_lookup_name("secret_fn") == (unsigned long)secret_fn,
		kallsyms_lookup_name("no_such_symbol"), kallsyms_lookup_name("nomod:printk"),
		((int (*)(int))secret)(2));
	r = kallsyms_on_each_symbol(count_sym, &w);
	pr_info("walk: ret=%d vmlinux>100=%d mine>=3=%d secret found=%d\n", r, w.vmlinux > 100,
		w.mine >= 3, w.secret == (unsigned long)secret_fn);
	pr_info("walk stopped: %d\n", kallsyms_on_each_symbol(stop_at_printk, NULL));
	sprint_symbol(buf, (unsigned long)secret_fn + 3);
	pr_info("sprint_symbol: %.*s %s\n", (int)(strchr(buf, '/') - buf), buf, strchr(buf, '['));
	sprint_symbol_no_offset(buf, (unsigned long)secret_fn + 3);
	pr_info("no_offset: %s\n", buf);
	r = lookup_symbol_name((unsigned long)ksyms_demo_init + 1, name);
	pr_info("lookup_symbol_name: %d %s\n", r, name);
	kallsyms_lookup((unsigned long)secret_fn + 5, &size, &off, &modname, name);
	pr_info("kallsyms_lookup: %s off=%lu size>0=%d mod=%s\n", name, off, size > 0, modname);
	r = kallsyms_lookup_size_offset((unsigned long)show, &size, &off);
	pr_info("size_offset of show: %d off=%lu\n", r, off);
	return 0;
}

static void __exit ksyms_demo_exit(void) { }
module_init(ksyms_demo_init);
module_exit(ksyms_demo_exit);
MODULE_LICENSE("GPL");
