// SPDX-License-Identifier: GPL-2.0+
/*
 * livepatch-sample.c - the minimal livepatch (klpsh sample, behaving like
 * samples/livepatch in 5.4).
 *
 * It replaces vmlinux's cmdline_proc_show(), so that once the patch is
 * enabled /proc/cmdline reads "this has been live patched":
 *
 *   insmod samples/livepatch/livepatch-sample.ko
 *   cat /proc/cmdline
 *   echo 0 > /sys/kernel/livepatch/livepatch_sample/enabled
 *   cat /proc/cmdline
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>

static int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", "this has been live patched");
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = livepatch_cmdline_proc_show,
	},
	{ }
};

static struct klp_object objs[] = {
	{
		.name = NULL,		/* vmlinux */
		.funcs = funcs,
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int livepatch_init(void)
{
	/* 5.4: one call initialises, lists and enables the patch */
	return klp_enable_patch(&patch);
}

static void livepatch_exit(void)
{
	/* the kernel freed the patch when it was disabled */
}

module_init(livepatch_init);
module_exit(livepatch_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
