// SPDX-License-Identifier: GPL-2.0
/*
 * deep_stack: init recurses depth= frames deep, then at the bottom
 *   how=dump   calls dump_stack() (the trace shows every frame)
 *   how=sleep  sleeps for ever (msleep in a loop): its stack as /proc/PID/stack and
 *              the livepatch consistency model see it
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/string.h>

static int depth = 10;
module_param(depth, int, 0444);
static char *how = "dump";
module_param(how, charp, 0444);

static noinline int deep(int n)
{
	volatile char pad[16];

	pad[0] = (char)n;
	if (n <= 0) {
		if (!strcmp(how, "sleep"))
			for (;;)
				msleep(1000);
		dump_stack();
		return pad[0];
	}
	return deep(n - 1) + pad[0];
}

static int __init deep_stack_init(void)
{
	return deep(depth) ? 0 : 0;
}
module_init(deep_stack_init);
MODULE_LICENSE("GPL");
