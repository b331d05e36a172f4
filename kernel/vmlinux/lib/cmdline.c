// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: the option parsers 4.19's lib/cmdline.c exports: a number
 * with a size suffix (memparse), integers and "a-b" ranges separated by
 * commas (get_option, get_options), a word in a comma list.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/export.h>

/*
 * An integer at *STR into *PINT, *STR moved past it.  Returns 0 if there is
 * none, 1 if the string ends after it, 2 if a comma follows (and is passed),
 * 3 if a hyphen follows (a range; *STR left on the hyphen).
 */
int get_option(char **str, int *pint)
{
	char *start = *str;

	if (!start || !*start)
		return 0;
	*pint = simple_strtol(start, str, 0);
	if (*str == start)
		return 0;
	switch (**str) {
	case ',':
		++*str;
		return 2;
	case '-':
		return 3;
	default:
		return 1;
	}
}
EXPORT_SYMBOL(get_option);

/*
 * The integers of STR (ranges expanded) into INTS[1..NINTS-1], how many in
 * INTS[0]; returns where parsing stopped.
 */
char *get_options(const char *str, int nints, int *ints)
{
	char *p = (char *)str;
	int n = 1;

	while (n < nints) {
		int kind = get_option(&p, &ints[n]);

		if (!kind)
			break;
		if (kind == 3) {
			int from = ints[n], to;

			p++;				/* the hyphen */
			to = simple_strtol(p, NULL, 0);
			/* from .. to-1 now; the next get_option() reads "to" itself */
			while (from < to && n < nints)
				ints[n++] = from++;
			continue;
		}
		n++;
		if (kind == 1)
			break;
	}
	ints[0] = n - 1;
	return p;
}
EXPORT_SYMBOL(get_options);

/* a number (any base simple_strtoull reads) times its K/M/G/T/P/E suffix, powers of 1024 */
unsigned long long memparse(const char *ptr, char **retptr)
{
	static const char suffixes[] = "kmgtpe";
	char *end;
	unsigned long long val = simple_strtoull(ptr, &end, 0);
	const char *s;

	for (s = suffixes; *s; s++) {
		if (*end == *s || *end == *s - 'a' + 'A') {
			val <<= 10 * (s - suffixes + 1);
			end++;
			break;
		}
	}
	if (retptr)
		*retptr = end;
	return val;
}
EXPORT_SYMBOL(memparse);

/* whether OPTION is one of the comma-separated words of STR */
bool parse_option_str(const char *str, const char *option)
{
	size_t len = strlen(option);

	while (*str) {
		const char *comma = strchr(str, ',');
		size_t wlen = comma ? (size_t)(comma - str) : strlen(str);

		if (wlen == len && !strncmp(str, option, len))
			return true;
		if (!comma)
			break;
		str = comma + 1;
	}
	return false;
}
EXPORT_SYMBOL(parse_option_str);
