// SPDX-License-Identifier: GPL-2.0
/* Every kind of module parameter a 4.19 driver declares, printed at load. */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/kernel.h>
#include <linux/string.h>

static int i_val = -5;
module_param(i_val, int, 0644);
MODULE_PARM_DESC(i_val, "an int");
static unsigned int u_val = 5;
module_param(u_val, uint, 0644);
static long l_val = -1234567890123L;
module_param(l_val, long, 0644);
static unsigned long ul_val = 0xdeadbeefUL;
module_param(ul_val, ulong, 0444);
static unsigned long long ull_val = 1ULL << 40;
module_param(ull_val, ullong, 0644);
static short s_val = -3;
module_param(s_val, short, 0644);
static unsigned short us_val = 65535;
module_param(us_val, ushort, 0644);
static unsigned char b_val = 255;
module_param(b_val, byte, 0644);
static bool flag = true;
module_param(flag, bool, 0644);
static bool noflag;
module_param(noflag, invbool, 0644);
static int bint_val;
module_param(bint_val, bint, 0644);
static char *who = "world";
module_param(who, charp, 0644);
static char buf[8] = "abc";
module_param_string(name, buf, sizeof(buf), 0644);
static int arr[4] = { 1, 2 };
static int arr_n = 2;
module_param_array(arr, int, &arr_n, 0644);
static bool bits[3];
module_param_array(bits, bool, NULL, 0444);
static int hidden = 9;
module_param(hidden, int, 0);

/* module_param_cb: a module's own ops, built on param_set_int/param_get_int */
static int level = 1;
static int level_set(const char *val, const struct kernel_param *kp)
{
	int n, ret = kstrtoint(val, 10, &n);

	if (ret)
		return ret;
	if (n < 0 || n > 3)
		return -ERANGE;
	pr_info("params_demo: level %d -> %d\n", *(int *)kp->arg, n);
	return param_set_int(val, kp);
}
static int level_get(char *buffer, const struct kernel_param *kp)
{
	return sprintf(buffer, "level=%d\n", *(int *)kp->arg);
}
static const struct kernel_param_ops level_ops = {
	.set = level_set,
	.get = level_get,
};
module_param_cb(level, &level_ops, &level, 0644);

static int __init params_demo_init(void)
{
	int i;

	pr_info("params_demo: i=%d u=%u l=%ld ul=%lx ull=%llu s=%hd us=%hu b=%u\n",
		i_val, u_val, l_val, ul_val, ull_val, s_val, us_val, b_val);
	pr_info("params_demo: flag=%d noflag=%d bint=%d who=%s name=%s level=%d hidden=%d\n",
		flag, noflag, bint_val, who, buf, level, hidden);
	pr_info("params_demo: arr_n=%d:", arr_n);
	for (i = 0; i < arr_n; i++)
		pr_cont(" %d", arr[i]);
	pr_cont("\n");
	return 0;
}
static void __exit params_demo_exit(void) { }
module_init(params_demo_init);
module_exit(params_demo_exit);
MODULE_LICENSE("GPL");
