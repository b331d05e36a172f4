/*
 * param_cb.c - a module parameter with its own set/get callbacks
 * (module_param_cb), writable through /sys/module/param_cb/parameters.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/kernel.h>

static int level = 1;

static int level_set(const char *val, const struct kernel_param *kp)
{
	int n, ret;

	ret = kstrtoint(val, 10, &n);
	if (ret)
		return ret;
	if (n < 0 || n > 5)
		return -EINVAL;
	pr_info("param_cb: level changed from %d to %d\n", level, n);
	return param_set_int(val, kp);
}

static int level_get(char *buffer, const struct kernel_param *kp)
{
	return sprintf(buffer, "level %d of 5\n", *(int *)kp->arg);
}

static const struct kernel_param_ops level_ops = {
	.set = level_set,
	.get = level_get,
};

module_param_cb(level, &level_ops, &level, 0644);
MODULE_PARM_DESC(level, "verbosity, 0-5");

static bool enable = true;
module_param(enable, bool, 0644);

static int __init param_cb_init(void)
{
	pr_info("param_cb: loaded with level %d, enable %d\n", level, enable);
	return 0;
}

static void __exit param_cb_exit(void)
{
	pr_info("param_cb: unloading at level %d\n", level);
}

module_init(param_cb_init);
module_exit(param_cb_exit);
MODULE_LICENSE("GPL");
