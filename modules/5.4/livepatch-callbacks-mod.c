// SPDX-License-Identifier: GPL-2.0
/*
 * livepatch-callbacks-mod.c - a plain target module for the livepatch
 * callbacks demo (klpsh sample, behaving like samples/livepatch in 5.4).
 *
 * It only announces its init and exit.  livepatch-callbacks-demo.ko has a
 * klp_object for it (no functions, just callbacks), so loading and
 * unloading this module while the demo patch is enabled runs the demo's
 * callbacks for it:
 *
 *   insmod samples/livepatch/livepatch-callbacks-mod.ko
 *   insmod samples/livepatch/livepatch-callbacks-demo.ko
 *   echo 0 > /sys/kernel/livepatch/livepatch_callbacks_demo/enabled
 *   rmmod livepatch_callbacks_demo
 *   rmmod livepatch_callbacks_mod
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>

/*
 * Not exported: livepatch-klp-reloc.ko reaches these two through livepatch
 * relocations (.klp.sym.livepatch_callbacks_mod.static_counter,0 ...).
 * noipa keeps gcc from inlining, cloning (static_helper.isra.0) or changing
 * the calling convention of static_helper(), so the symbol stays callable.
 */
static int static_counter;

static noinline __attribute__((__noipa__)) int static_helper(int n)
{
	static_counter += n;
	return static_counter;
}

static int livepatch_callbacks_mod_init(void)
{
	pr_info("%s\n", __func__);
	static_helper(1);
	return 0;
}

static void livepatch_callbacks_mod_exit(void)
{
	static_helper(-1);
	pr_info("%s\n", __func__);
}

module_init(livepatch_callbacks_mod_init);
module_exit(livepatch_callbacks_mod_exit);
MODULE_LICENSE("GPL");
