// SPDX-License-Identifier: GPL-2.0
/* A function to probe: kprobe_target_add(n), called with each value written to the `call`
 * parameter (echo N > /sys/module/kprobe_target/parameters/call); the sum in `total`. */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

static int total = 40;
module_param(total, int, 0444);

noinline int kprobe_target_add(int n)
{
	total += n;
	return total;
}
EXPORT_SYMBOL_GPL(kprobe_target_add);

static int call_set(const char *val, const struct kernel_param *kp)
{
	int n, ret = kstrtoint(val, 0, &n);

	if (ret)
		return ret;
	pr_info("kprobe_target: kprobe_target_add(%d) = %d\n", n, kprobe_target_add(n));
	return 0;
}

static const struct kernel_param_ops call_ops = {
	.set = call_set,
	.get = param_get_int,
};
static int last;
module_param_cb(call, &call_ops, &last, 0644);

static int __init kprobe_target_init(void) { return 0; }
static void __exit kprobe_target_exit(void) { }
module_init(kprobe_target_init);
module_exit(kprobe_target_exit);
MODULE_LICENSE("GPL");
