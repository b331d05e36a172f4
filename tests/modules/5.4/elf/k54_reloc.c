// SPDX-License-Identifier: GPL-2.0
/*
 * k54_reloc.c - a 5.4 livepatch that reaches unexported symbols of vmlinux and
 * of livepatch_callbacks_mod through klp-convert's .klp.rela sections
 * (Documentation/livepatch/module-elf-format.rst; tests/test_k54_elf_format.py).
 * DUPPOS and MODPOS (-D) choose the sympos of two of them, to make them fail.
 * where_is_cmdline_proc_show() reads a vmlinux relocation before and after
 * klp_enable_patch(): 5.4 writes them when the patch is enabled.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>
#include <linux/kallsyms.h>

#ifndef DUPPOS
#define DUPPOS 2
#endif
#ifndef MODPOS
#define MODPOS 0
#endif

extern int static_counter;
extern int static_helper(int n);
extern int klpsh_dup_count(void);
extern int cmdline_proc_show(struct seq_file *m, void *v);

static KLP_MODULE_RELOC(livepatch_callbacks_mod) mod_relocs[] = {
	KLP_SYMPOS(static_counter, MODPOS),
	KLP_SYMPOS(static_helper, 0),
};

static KLP_MODULE_RELOC(vmlinux) vmlinux_relocs[] = {
	KLP_SYMPOS(klpsh_dup_count, DUPPOS),
	KLP_SYMPOS(cmdline_proc_show, 0),
};

static bool mod_ready;

static noinline unsigned long where_is_cmdline_proc_show(void)
{
	return (unsigned long)&cmdline_proc_show;
}

static int new_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "dup %d\n", klpsh_dup_count());
	if (READ_ONCE(mod_ready)) {
		int counter = static_counter;

		seq_printf(m, "counter %d helper %d\n", counter, static_helper(1));
	} else
		seq_puts(m, "mod not loaded\n");
	return 0;
}

static int mod_pre_patch(struct klp_object *obj) { WRITE_ONCE(mod_ready, true); return 0; }
static void mod_pre_unpatch(struct klp_object *obj) { WRITE_ONCE(mod_ready, false); }
static void mod_post_unpatch(struct klp_object *obj) { WRITE_ONCE(mod_ready, false); }

static struct klp_func vmlinux_funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = new_cmdline_proc_show }, { }
};
static struct klp_func no_funcs[] = { { } };
static struct klp_object objs[] = {
	{ .funcs = vmlinux_funcs },
	{ .name = "livepatch_callbacks_mod", .funcs = no_funcs,
	  .callbacks = { .pre_patch = mod_pre_patch, .pre_unpatch = mod_pre_unpatch,
			 .post_unpatch = mod_post_unpatch } },
	{ }
};
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };

static int __init k54_reloc_init(void)
{
	unsigned long real = kallsyms_lookup_name("cmdline_proc_show");
	int ret;

	pr_info("before klp_enable_patch: relocated %d\n", where_is_cmdline_proc_show() == real);
	ret = klp_enable_patch(&patch);
	if (!ret)
		pr_info("after klp_enable_patch: relocated %d\n", where_is_cmdline_proc_show() == real);
	return ret;
}

static void __exit k54_reloc_exit(void) { }
module_init(k54_reloc_init);
module_exit(k54_reloc_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
