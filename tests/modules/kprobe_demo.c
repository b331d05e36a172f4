// SPDX-License-Identifier: GPL-2.0
/* samples/kprobes/kprobe_example.c of 4.19, with a hit counter in /sys/module and a switch
 * to keep the handlers quiet (probing printk itself). */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/kprobes.h>

#define MAX_SYMBOL_LEN	64
static char symbol[MAX_SYMBOL_LEN] = "cmdline_proc_show";
module_param_string(symbol, symbol, sizeof(symbol), 0644);
static unsigned int offset;
module_param(offset, uint, 0444);
static int hits;
module_param(hits, int, 0444);
static int posts;
module_param(posts, int, 0444);
static bool quiet;
module_param(quiet, bool, 0444);
static bool nested;
module_param(nested, bool, 0444);
static bool crash;	/* the pre_handler follows a NULL pointer */
module_param(crash, bool, 0444);
static int *volatile nowhere;
static bool leak;	/* a buggy module: its exit forgets unregister_kprobe() */
module_param(leak, bool, 0444);

static struct kprobe kp = {
	.symbol_name	= symbol,
};

/* echo 1 > /sys/module/kprobe_demo/parameters/disabled: disable_kprobe(); 0: enable_kprobe() */
static bool disabled;
static int disabled_set(const char *val, const struct kernel_param *param)
{
	bool v;
	int ret = kstrtobool(val, &v);

	if (ret)
		return ret;
	ret = v ? disable_kprobe(&kp) : enable_kprobe(&kp);
	pr_info("%s_kprobe: %d\n", v ? "disable" : "enable", ret);
	if (!ret)
		disabled = v;
	return ret;
}
static const struct kernel_param_ops disabled_ops = {
	.set = disabled_set,
	.get = param_get_bool,
};
module_param_cb(disabled, &disabled_ops, &disabled, 0644);

static int handler_pre(struct kprobe *p, struct pt_regs *regs)
{
	hits++;
	if (crash)
		hits += *nowhere;
	if (nested)
		pr_info("<%s> pre_handler: nested printk\n", p->symbol_name);
	if (quiet)
		return 0;
	pr_info("<%s> pre_handler: p->addr = 0x%p, ip = %lx, flags = 0x%lx\n",
		p->symbol_name, p->addr, regs->ip, regs->flags);
	pr_info("<%s> pre_handler: ip - addr = %ld, running %d, cs %lx\n", p->symbol_name,
		(long)(regs->ip - (unsigned long)p->addr), kprobe_running() == p, regs->cs);
	return 0;
}

static void handler_post(struct kprobe *p, struct pt_regs *regs,
				unsigned long flags)
{
	posts++;
	if (quiet)
		return;
	pr_info("<%s> post_handler: p->addr = 0x%p, flags = 0x%lx\n",
		p->symbol_name, p->addr, regs->flags);
	pr_info("<%s> post_handler: ip - addr = %ld\n", p->symbol_name,
		(long)(regs->ip - (unsigned long)p->addr));
}

static int handler_fault(struct kprobe *p, struct pt_regs *regs, int trapnr)
{
	pr_info("fault_handler: p->addr = 0x%p, trap #%dn", p->addr, trapnr);
	return 0;
}

static int __init kprobe_init(void)
{
	int ret;
	kp.offset = offset;
	kp.pre_handler = handler_pre;
	kp.post_handler = handler_post;
	kp.fault_handler = handler_fault;

	ret = register_kprobe(&kp);
	if (ret < 0) {
		pr_err("register_kprobe failed, returned %d\n", ret);
		return ret;
	}
	pr_info("Planted kprobe at %p\n", kp.addr);
	return 0;
}

static void __exit kprobe_exit(void)
{
	if (leak)
		return;
	unregister_kprobe(&kp);
	pr_info("kprobe at %p unregistered, nmissed %lu\n", kp.addr, kp.nmissed);
}

module_init(kprobe_init)
module_exit(kprobe_exit)
MODULE_LICENSE("GPL");
