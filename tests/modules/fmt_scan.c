// SPDX-License-Identifier: GPL-2.0
/*
 * Formatted output and input as drivers use them: their own va_list wrappers
 * (vsnprintf, vscnprintf, vsprintf, kvasprintf, vprintk, %pV), pointer
 * extensions, the conversions 4.19 refuses (a WARN, then the output stops),
 * and sscanf in the forms the kernel itself uses.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

static __printf(3, 4) int my_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(buf, size, fmt, args);
	va_end(args);
	return n;
}

static __printf(3, 4) int my_scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vscnprintf(buf, size, fmt, args);
	va_end(args);
	return n;
}

static __printf(2, 3) void my_log(const char *who, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_info("%s: %pV", who, &vaf);
	va_end(args);
}

static __printf(1, 2) void my_vprintk(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vprintk(fmt, args);
	va_end(args);
}

static __printf(1, 2) char *my_kvasprintf(const char *fmt, ...)
{
	va_list args;
	char *s;

	va_start(args, fmt);
	s = kvasprintf(GFP_KERNEL, fmt, args);
	va_end(args);
	return s;
}

static __scanf(2, 3) int my_sscanf(const char *buf, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsscanf(buf, fmt, args);
	va_end(args);
	return n;
}

static void formats(void)
{
	char buf[32], p1[24], p2[24], *s;
	int n;
	static int object;
	unsigned char mac[6] = { 0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x5e };
	unsigned char ip[4] = { 192, 168, 1, 20 };
	unsigned char bytes[4] = { 0xde, 0xad, 0xbe, 0xef };
	unsigned long bits = 0x1e5;

	/* more than six integer arguments: the rest come from the stack */
	n = my_snprintf(buf, sizeof(buf), "%d %d %d %d %d %d %d %d", 1, 2, 3, 4, 5, 6, 7, 8);
	pr_info("vsnprintf=%d buf=%s\n", n, buf);
	n = my_snprintf(buf, 8, "%s", "truncated text");
	pr_info("vsnprintf trunc=%d buf=%s\n", n, buf);
	n = my_scnprintf(buf, 8, "%s", "truncated text");
	pr_info("vscnprintf trunc=%d buf=%s\n", n, buf);
	n = scnprintf(buf, 0, "%s", "nothing");
	pr_info("scnprintf size0=%d\n", n);
	s = my_kvasprintf("%s-%03u", "kv", 7);
	pr_info("kvasprintf=%s\n", s);
	kfree(s);
	my_log("wrapped", "%d+%d=%d %s\n", 2, 3, 5, "ok");
	my_vprintk(KERN_INFO "vprintk %x %lld\n", 0xbeef, -5LL);
	pr_info("[%-6s] [%6.2s] [%.s] [%5c] [%-3c|]\n", "ab", "xyz", "all", 'r', 'l');
	pr_info("[%#o] [%#x] [%#X] [%+d] [% d] [%08.3d] [%-+5d] [%hhd] [%hu] [%zd] [%tx]\n",
		8, 255, 255, 5, 7, 42, 3, 300, 70000, (ssize_t)-1, (ptrdiff_t)-1);
	snprintf(p1, sizeof(p1), "%p", &object);
	snprintf(p2, sizeof(p2), "%pK", &object);
	pr_info("pK same as p: %d, %zu hex digits\n", strcmp(p1, p2) == 0, strlen(p2));
	pr_info("[%pM] [%pm] [%pMF] [%pI4] [%pi4] [%4phC] [%*pb] [%*pbl]\n", mac, mac, mac, ip, ip,
		bytes, 10, &bits, 10, &bits);
	pr_info("[%20p] [%-8px]\n", NULL, NULL);
	pr_info("before %f after\n", 1);
	pr_info("again %n\n", &n);
}

static void scans(void)
{
	char name[16], obj[56], sym[128], c3[4] = "";
	unsigned long pos = 0;
	unsigned int u = 0;
	unsigned char hh = 0;
	short h = 0;
	long long ll = 0;
	int a = 0, b = 0, x = 0, consumed = 0, r;

	r = sscanf(".klp.sym.vmlinux.saved_command_line,1", ".klp.sym.%55[^.].%127[^,],%lu",
		   obj, sym, &pos);
	pr_info("klp: %d %s %s %lu\n", r, obj, sym, pos);
	r = sscanf("  12 0x1f word xyz", "%d %x %15s %3c%n", &a, &x, name, c3, &consumed);
	pr_info("mixed: %d %d %d %s %.3s %d\n", r, a, x, name, c3, consumed);
	r = sscanf("0x10 010 -9", "%i %i %i", &a, &b, &x);
	pr_info("radix: %d %d %d %d\n", r, a, b, x);
	r = sscanf("123456", "%2d%3u", &a, &u);
	pr_info("width: %d %d %u\n", r, a, u);
	r = sscanf("300 70000 -12345678901", "%hhu %hd %lld", &hh, &h, &ll);
	pr_info("sizes: %d %u %d %lld\n", r, hh, h, ll);
	r = sscanf("skip 5", "%*s %d", &a);
	pr_info("skip: %d %d\n", r, a);
	r = sscanf("7 apples", "%d pears", &a);
	pr_info("literal: %d\n", r);
	r = sscanf("abc", "%d", &a);
	pr_info("nodigit: %d\n", r);
	r = sscanf("50%", "%d%%", &a);
	pr_info("percent: %d %d\n", r, a);
	r = my_sscanf("4:5", "%d:%d", &a, &b);
	pr_info("vsscanf: %d %d %d\n", r, a, b);
}

static int __init fmt_scan_init(void)
{
	formats();
	scans();
	return 0;
}

static void __exit fmt_scan_exit(void) { }
module_init(fmt_scan_init);
module_exit(fmt_scan_exit);
MODULE_LICENSE("GPL");
