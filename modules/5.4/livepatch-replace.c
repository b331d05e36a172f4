// SPDX-License-Identifier: GPL-2.0+
/*
 * livepatch-replace.c - a cumulative livepatch (klpsh sample for 5.4).
 *
 * A cumulative patch (.replace = true) replaces every patch enabled before
 * it, atomically: when its transition completes, the earlier patches are
 * gone (no unpatch callbacks run; their modules can be removed), and the
 * functions they changed that this one does not are back to the original,
 * through the nop functions the kernel adds for them.  This one changes
 * /proc/meminfo only, so after it replaces livepatch-sample, /proc/cmdline
 * reads as booted again:
 *
 *   insmod samples/livepatch/livepatch-sample.ko
 *   insmod samples/livepatch/livepatch-replace.ko
 *   cat /proc/cmdline /proc/meminfo
 *   rmmod livepatch_sample
 *   echo 0 > /sys/kernel/livepatch/livepatch_replace/enabled
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>

static int livepatch_meminfo_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", "this has been live patched, cumulatively");
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "meminfo_proc_show",
		.new_func = livepatch_meminfo_proc_show,
	}, { }
};

static struct klp_object objs[] = {
	{
		/* name being NULL means vmlinux */
		.funcs = funcs,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
	.replace = true,
};

static int livepatch_replace_init(void)
{
	return klp_enable_patch(&patch);
}

static void livepatch_replace_exit(void)
{
	/* the kernel freed the patch when it was disabled */
}

module_init(livepatch_replace_init);
module_exit(livepatch_replace_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
