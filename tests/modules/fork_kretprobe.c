// SPDX-License-Identifier: GPL-2.0
/* A kretprobe written the way samples/kprobes/kretprobe_example.c is: on _do_fork by
 * default, the entry_handler keeping ktime_get() in ri->data, the handler printing the
 * value returned (the new task's pid) and the time the call took. */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/limits.h>
#include <linux/sched.h>

static char func[NAME_MAX] = "_do_fork";
module_param_string(func, func, NAME_MAX, 0444);

struct fork_stamp {
	ktime_t start;
};

static int fork_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct fork_stamp *stamp = (struct fork_stamp *)ri->data;

	stamp->start = ktime_get();
	return 0;
}

static int fork_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct fork_stamp *stamp = (struct fork_stamp *)ri->data;
	unsigned long pid = regs_return_value(regs);
	s64 ns = ktime_to_ns(ktime_sub(ktime_get(), stamp->start));

	pr_info("%s returned %lu and took %lld ns to execute\n", func, pid, (long long)ns);
	return 0;
}

static struct kretprobe fork_rp = {
	.handler	= fork_return,
	.entry_handler	= fork_entry,
	.data_size	= sizeof(struct fork_stamp),
	.maxactive	= 8,
};

static int __init fork_kretprobe_init(void)
{
	int err;

	fork_rp.kp.symbol_name = func;
	err = register_kretprobe(&fork_rp);
	if (err < 0) {
		pr_err("register_kretprobe failed, returned %d\n", err);
		return err;
	}
	pr_info("Planted return probe at %s: %p\n", fork_rp.kp.symbol_name, fork_rp.kp.addr);
	return 0;
}

static void __exit fork_kretprobe_exit(void)
{
	unregister_kretprobe(&fork_rp);
	pr_info("kretprobe at %p unregistered\n", fork_rp.kp.addr);
	pr_info("Missed probing %d instances of %s\n", fork_rp.nmissed, fork_rp.kp.symbol_name);
}

module_init(fork_kretprobe_init)
module_exit(fork_kretprobe_exit)
MODULE_LICENSE("GPL");
