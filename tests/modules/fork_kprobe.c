// SPDX-License-Identifier: GPL-2.0
/* A kprobe written the way samples/kprobes/kprobe_example.c is: on _do_fork by default,
 * the pre_handler and post_handler printing the probe's address, regs->ip and regs->flags;
 * it also says the clone flags the caller passed (regs->di) and counts its hits. */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/kprobes.h>

static char target[64] = "_do_fork";
module_param_string(symbol, target, sizeof(target), 0644);
static int forks;
module_param(forks, int, 0444);

static struct kprobe fork_probe = {
	.symbol_name	= target,
};

static int fork_pre(struct kprobe *p, struct pt_regs *regs)
{
	forks++;
	pr_info("<%s> pre_handler: p->addr = 0x%p, ip = %lx, flags = 0x%lx\n",
		p->symbol_name, p->addr, regs->ip, regs->flags);
	pr_info("<%s> clone_flags = 0x%lx, stack_start %s\n", p->symbol_name, regs->di,
		regs->si ? "set" : "0");
	return 0;
}

static void fork_post(struct kprobe *p, struct pt_regs *regs, unsigned long flags)
{
	pr_info("<%s> post_handler: p->addr = 0x%p, flags = 0x%lx\n",
		p->symbol_name, p->addr, regs->flags);
}

static int __init fork_kprobe_init(void)
{
	int err;

	fork_probe.pre_handler = fork_pre;
	fork_probe.post_handler = fork_post;
	err = register_kprobe(&fork_probe);
	if (err < 0) {
		pr_err("register_kprobe failed, returned %d\n", err);
		return err;
	}
	pr_info("Planted kprobe at %p\n", fork_probe.addr);
	return 0;
}

static void __exit fork_kprobe_exit(void)
{
	unregister_kprobe(&fork_probe);
	pr_info("kprobe at %p unregistered\n", fork_probe.addr);
}

module_init(fork_kprobe_init)
module_exit(fork_kprobe_exit)
MODULE_LICENSE("GPL");
