// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * livepatch-klp-reloc.c - a livepatch that uses symbols nobody exports
 *
 * Purpose
 * -------
 *
 * Show the livepatch module ELF format (module-elf-format.txt): the
 * replacement cmdline_proc_show() below reads a static variable and calls a
 * static function of the livepatch_callbacks_mod module, and calls the second
 * of vmlinux's two static klpsh_dup_count() functions.  None of them is
 * exported, so the module loader could not link them.  The
 * KLP_MODULE_RELOC() arrays tell klp-convert (run by kbuild) which object
 * each symbol belongs to; it turns the relocations into .klp.rela.<obj>.*
 * sections against .klp.sym.<obj>.<name>,<pos> symbols, which livepatch
 * resolves and applies when that object is loaded:
 *
 *   readelf --sections --relocs --symbols livepatch-klp-reloc.ko
 *
 * The vmlinux relocations are applied when the patch is registered.  Those
 * of livepatch_callbacks_mod are applied when that module is (or already
 * was) loaded; until then its symbols are unresolved, so the new function
 * uses them only between the object's pre_patch and pre_unpatch callbacks.
 *
 *
 * Usage
 * -----
 *
 *   insmod samples/livepatch/livepatch-callbacks-mod.ko
 *   insmod samples/livepatch/livepatch-klp-reloc.ko
 *   cat /proc/cmdline
 *
 * prints
 *
 *   this has been live patched
 *   klpsh_dup_count() [sympos 2] returned 2
 *   livepatch_callbacks_mod: static_counter 1, static_helper(1) returned 2
 *
 * (the counter goes up by one with every read).  Without
 * livepatch_callbacks_mod loaded, the last line says that the module is not
 * loaded.  To remove the patch:
 *
 *   echo 0 > /sys/kernel/livepatch/livepatch_klp_reloc/enabled
 *   rmmod livepatch_klp_reloc
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>

/* static in livepatch_callbacks_mod */
extern int static_counter;
extern int static_helper(int n);

/* vmlinux has two static klpsh_dup_count(); the second one returns 2 */
extern int klpsh_dup_count(void);

static KLP_MODULE_RELOC(livepatch_callbacks_mod) callbacks_mod_relocs[] = {
	KLP_SYMPOS(static_counter, 0),
	KLP_SYMPOS(static_helper, 0),
};

static KLP_MODULE_RELOC(vmlinux) vmlinux_relocs[] = {
	KLP_SYMPOS(klpsh_dup_count, 2),
};

/* livepatch_callbacks_mod's relocations have been applied and it is still there */
static bool callbacks_mod_ready;

static int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", "this has been live patched");
	seq_printf(m, "klpsh_dup_count() [sympos 2] returned %d\n", klpsh_dup_count());
	if (READ_ONCE(callbacks_mod_ready)) {
		int counter = static_counter;

		seq_printf(m, "livepatch_callbacks_mod: static_counter %d, static_helper(1) returned %d\n",
			   counter, static_helper(1));
	} else {
		seq_printf(m, "livepatch_callbacks_mod: not loaded\n");
	}
	return 0;
}

/* klp_init_object_loaded() wrote the relocations before any pre_patch callback */
static int callbacks_mod_pre_patch(struct klp_object *obj)
{
	WRITE_ONCE(callbacks_mod_ready, true);
	return 0;
}

static void callbacks_mod_pre_unpatch(struct klp_object *obj)
{
	WRITE_ONCE(callbacks_mod_ready, false);
}

/* also reached when patching is cancelled, without pre_unpatch */
static void callbacks_mod_post_unpatch(struct klp_object *obj)
{
	WRITE_ONCE(callbacks_mod_ready, false);
}

static struct klp_func vmlinux_funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = livepatch_cmdline_proc_show,
	}, { }
};

static struct klp_func no_funcs[] = {
	{ }
};

static struct klp_object objs[] = {
	{
		/* name being NULL means vmlinux */
		.funcs = vmlinux_funcs,
	}, {
		.name = "livepatch_callbacks_mod",
		.funcs = no_funcs,
		.callbacks = {
			.pre_patch = callbacks_mod_pre_patch,
			.pre_unpatch = callbacks_mod_pre_unpatch,
			.post_unpatch = callbacks_mod_post_unpatch,
		},
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int livepatch_klp_reloc_init(void)
{
	int ret;

	ret = klp_register_patch(&patch);
	if (ret)
		return ret;
	ret = klp_enable_patch(&patch);
	if (ret) {
		WARN_ON(klp_unregister_patch(&patch));
		return ret;
	}
	return 0;
}

static void livepatch_klp_reloc_exit(void)
{
	WARN_ON(klp_unregister_patch(&patch));
}

module_init(livepatch_klp_reloc_init);
module_exit(livepatch_klp_reloc_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("Livepatch using non-exported symbols through klp-convert relocations");
