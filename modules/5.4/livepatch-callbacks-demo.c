// SPDX-License-Identifier: GPL-2.0+
/*
 * livepatch-callbacks-demo.c - livepatch (un)patch callbacks demonstration
 * (klpsh sample, behaving like samples/livepatch in 5.4; the walk-through
 * is Documentation/livepatch/callbacks.txt).
 *
 * The patch has three objects, each with all four callbacks, which print
 * which callback ran for which object (and the module's state):
 *   vmlinux                     - no functions
 *   livepatch_callbacks_mod     - no functions
 *   livepatch_callbacks_busymod - replaces busymod_work_func()
 *
 *   insmod samples/livepatch/livepatch-callbacks-mod.ko
 *   insmod samples/livepatch/livepatch-callbacks-demo.ko
 *   echo 0 > /sys/kernel/livepatch/livepatch_callbacks_demo/enabled
 *   rmmod livepatch_callbacks_demo
 *   rmmod livepatch_callbacks_mod
 *
 * Every pre-patch callback returns the pre_patch_ret parameter, so a
 * failing callback can be simulated, at load time or later through sysfs:
 *
 *   echo -19 > /sys/module/livepatch_callbacks_demo/parameters/pre_patch_ret
 *   insmod samples/livepatch/livepatch-callbacks-mod.ko
 *   insmod: ERROR: could not insert module samples/livepatch/livepatch-callbacks-mod.ko: No such device
 *
 * With livepatch-callbacks-busymod.ko loaded with sleep_secs=30, the
 * patching transition stalls until its worker leaves busymod_work_func().
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/workqueue.h>

static int pre_patch_ret;
module_param(pre_patch_ret, int, 0644);
MODULE_PARM_DESC(pre_patch_ret, "pre_patch_ret (default=0)");

static const char *const module_state[] = {
	[MODULE_STATE_LIVE]	= "[MODULE_STATE_LIVE] Normal state",
	[MODULE_STATE_COMING]	= "[MODULE_STATE_COMING] Full formed, running module_init",
	[MODULE_STATE_GOING]	= "[MODULE_STATE_GOING] Going away",
	[MODULE_STATE_UNFORMED]	= "[MODULE_STATE_UNFORMED] Still setting it up",
};

/* "<callback>: vmlinux" or "<callback>: <module> -> <its state>" */
static void callback_info(const char *callback, struct klp_object *obj)
{
	if (!obj->mod) {
		pr_info("%s: vmlinux\n", callback);
		return;
	}
	pr_info("%s: %s -> %s\n", callback, obj->mod->name,
		module_state[obj->mod->state]);
}

/* before the object is patched; an error aborts patching it */
static int pre_patch_callback(struct klp_object *obj)
{
	callback_info(__func__, obj);
	return pre_patch_ret;
}

/* once every task runs the patched code */
static void post_patch_callback(struct klp_object *obj)
{
	callback_info(__func__, obj);
}

/* before unpatching starts */
static void pre_unpatch_callback(struct klp_object *obj)
{
	callback_info(__func__, obj);
}

/* once no task runs the patched code any more */
static void post_unpatch_callback(struct klp_object *obj)
{
	callback_info(__func__, obj);
}

/* replaces livepatch_callbacks_busymod's busymod_work_func() */
static void patched_work_func(struct work_struct *work)
{
	pr_info("%s\n", __func__);
}

#define DEMO_CALLBACKS {				\
	.pre_patch = pre_patch_callback,		\
	.post_patch = post_patch_callback,		\
	.pre_unpatch = pre_unpatch_callback,		\
	.post_unpatch = post_unpatch_callback,		\
}

static struct klp_func no_funcs[] = {
	{ }
};

static struct klp_func busymod_funcs[] = {
	{
		.old_name = "busymod_work_func",
		.new_func = patched_work_func,
	},
	{ }
};

/* callbacks run in this order, object by object */
static struct klp_object objs[] = {
	{
		.name = NULL,			/* vmlinux */
		.funcs = no_funcs,
		.callbacks = DEMO_CALLBACKS,
	},
	{
		.name = "livepatch_callbacks_mod",
		.funcs = no_funcs,
		.callbacks = DEMO_CALLBACKS,
	},
	{
		.name = "livepatch_callbacks_busymod",
		.funcs = busymod_funcs,
		.callbacks = DEMO_CALLBACKS,
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int livepatch_callbacks_demo_init(void)
{
	/* 5.4: one call initialises, lists and enables the patch */
	return klp_enable_patch(&patch);
}

static void livepatch_callbacks_demo_exit(void)
{
	/* the kernel freed the patch when it was disabled */
}

module_init(livepatch_callbacks_demo_init);
module_exit(livepatch_callbacks_demo_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
