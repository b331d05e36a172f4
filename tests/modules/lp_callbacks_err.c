// SPDX-License-Identifier: GPL-2.0
/*
 * test_klp_callbacks_demo-style patch (4.19 API) whose callbacks for the
 * module object can be made to fail: pre_patch_ret is returned by every
 * pre-patch callback, so a target loaded later is refused.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static int pre_patch_ret;
module_param(pre_patch_ret, int, 0644);
MODULE_PARM_DESC(pre_patch_ret, "pre_patch_ret (default=0)");

static const char *const module_state[] = {
	[MODULE_STATE_LIVE]	= "[MODULE_STATE_LIVE] Normal state",
	[MODULE_STATE_COMING]	= "[MODULE_STATE_COMING] Full formed, running module_init",
	[MODULE_STATE_GOING]	= "[MODULE_STATE_GOING] Going away",
	[MODULE_STATE_UNFORMED]	= "[MODULE_STATE_UNFORMED] Still setting it up",
};

static void callback_info(const char *callback, struct klp_object *obj)
{
	if (obj->mod)
		pr_info("%s: %s -> %s\n", callback, obj->mod->name, module_state[obj->mod->state]);
	else
		pr_info("%s: vmlinux\n", callback);
}

static int pre_patch_callback(struct klp_object *obj)
{
	callback_info(__func__, obj);
	return obj->mod ? pre_patch_ret : 0;
}

static void post_patch_callback(struct klp_object *obj) { callback_info(__func__, obj); }
static void pre_unpatch_callback(struct klp_object *obj) { callback_info(__func__, obj); }
static void post_unpatch_callback(struct klp_object *obj) { callback_info(__func__, obj); }

static int patched_value(void)
{
	return 2;
}

static struct klp_func no_funcs[] = { { } };
static struct klp_func target_funcs[] = {
	{ .old_name = "lp_target_value", .new_func = patched_value },
	{ }
};

#define CALLBACKS {						\
		.pre_patch = pre_patch_callback,		\
		.post_patch = post_patch_callback,		\
		.pre_unpatch = pre_unpatch_callback,		\
		.post_unpatch = post_unpatch_callback,		\
	}

static struct klp_object objs[] = {
	{ .name = NULL, .funcs = no_funcs, .callbacks = CALLBACKS },
	{ .name = "lp_target", .funcs = target_funcs, .callbacks = CALLBACKS },
	{ }
};

static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };

static int __init lp_callbacks_err_init(void)
{
	int ret = klp_register_patch(&patch);

	if (ret)
		return ret;
	ret = klp_enable_patch(&patch);
	if (ret) {
		WARN_ON(klp_unregister_patch(&patch));
		return ret;
	}
	return 0;
}

static void __exit lp_callbacks_err_exit(void)
{
	WARN_ON(klp_unregister_patch(&patch));
}

module_init(lp_callbacks_err_init);
module_exit(lp_callbacks_err_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
