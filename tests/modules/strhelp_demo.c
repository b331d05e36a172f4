/* strhelp_demo.c - linux/string_helpers.h: sizes in units, escaping, unescaping, quoting */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/string_helpers.h>

static const struct { u64 size, blk; enum string_size_units units; } sizes[] = {
	{ 8388608, 512, STRING_UNITS_10 }, { 8388608, 512, STRING_UNITS_2 },
	{ 1953525168, 512, STRING_UNITS_10 }, { 1953525168, 512, STRING_UNITS_2 },
	{ 1000, 1, STRING_UNITS_10 }, { 1023, 1, STRING_UNITS_2 }, { 1536, 1, STRING_UNITS_2 },
	{ 12345, 0, STRING_UNITS_10 }, { ~0ULL, ~0ULL, STRING_UNITS_2 },
};

static int __init sh_init(void)
{
	char buf[32], small[5];
	char text[] = "a\\tb\\x41\\101\\q\\";
	char *quoted;
	int i, n;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		string_get_size(sizes[i].size, sizes[i].blk, sizes[i].units, buf, sizeof(buf));
		pr_info("strhelp: %llu x %llu = %s\n", sizes[i].size, sizes[i].blk, buf);
	}
	string_get_size(8388608, 512, STRING_UNITS_10, small, sizeof(small));
	pr_info("strhelp: in 5 bytes '%s'\n", small);

	n = string_escape_str("a\tb\\c\001 d", buf, sizeof(buf), ESCAPE_ANY_NP, NULL);
	buf[n] = '\0';
	pr_info("strhelp: escaped %d '%s'\n", n, buf);
	n = string_escape_str("say \"hi\" now", buf, sizeof(buf), ESCAPE_HEX, "\"");
	buf[n] = '\0';
	pr_info("strhelp: only quotes %d '%s'\n", n, buf);
	memset(small, 'z', sizeof(small));
	n = string_escape_mem("\n\n\n", 3, small, 4, ESCAPE_SPACE, NULL);
	pr_info("strhelp: needs %d, got '%.4s'\n", n, small);

	n = string_unescape_any_inplace(text);
	pr_info("strhelp: unescaped %d %*ph\n", n, n + 1, text);
	n = string_unescape("\\n\\n\\n", buf, 3, UNESCAPE_SPACE);
	pr_info("strhelp: into 3 bytes %d %*ph\n", n, n + 1, buf);

	quoted = kstrdup_quotable("x\"y\n\\", GFP_KERNEL);
	pr_info("strhelp: quotable '%s'\n", quoted);
	kfree(quoted);
	return 0;
}

static void __exit sh_exit(void) { }

module_init(sh_init);
module_exit(sh_exit);
MODULE_LICENSE("GPL");
