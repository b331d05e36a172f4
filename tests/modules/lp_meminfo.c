// SPDX-License-Identifier: GPL-2.0
/* A livepatch of another vmlinux function: meminfo_proc_show, with a vmlinux post-patch callback. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>
#include <linux/mm.h>

static int calls;

static int livepatch_meminfo_proc_show(struct seq_file *m, void *v)
{
	struct sysinfo i;

	si_meminfo(&i);
	seq_printf(m, "MemTotal:       %8lu kB\n", i.totalram << 2);
	seq_printf(m, "Patched:        %8d\n", ++calls);
	return 0;
}

static void post_patch(struct klp_object *obj)
{
	pr_info("%s: %s\n", __func__, obj->name ? obj->name : "vmlinux");
}

static struct klp_func funcs[] = {
	{ .old_name = "meminfo_proc_show", .new_func = livepatch_meminfo_proc_show, .old_sympos = 1 },
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = funcs, .callbacks = { .post_patch = post_patch } },
	{ }
};

static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };

static int __init lp_meminfo_init(void)
{
	int ret = klp_register_patch(&patch);

	if (ret)
		return ret;
	ret = klp_enable_patch(&patch);
	if (ret)
		WARN_ON(klp_unregister_patch(&patch));
	return ret;
}

static void __exit lp_meminfo_exit(void)
{
	WARN_ON(klp_unregister_patch(&patch));
}

module_init(lp_meminfo_init);
module_exit(lp_meminfo_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
