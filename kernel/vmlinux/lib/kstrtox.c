// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: strict string to integer conversion (kstrto*) and the
 * lenient simple_strto* family, with the 4.19 rules:
 *  - base 0 picks 16 for "0x" (followed by a hex digit), 8 for a leading
 *    "0", else 10; base 16 accepts an optional "0x" prefix;
 *  - kstrto*: one optional sign ('+' always, '-' for signed types), at
 *    least one digit, an optional single trailing newline and nothing
 *    else, or -EINVAL; values that do not fit: -ERANGE;
 *  - simple_strto*: parse as far as possible, no errors.
 */
#include <linux/kernel.h>
#include <linux/ctype.h>
#include <linux/export.h>
#include <linux/uaccess.h>

/* resolve base 0 and skip a "0x" prefix when the base is 16 */
static const char *klpsh_fixup_radix(const char *s, unsigned int *base)
{
	if (*base == 0) {
		if (s[0] == '0') {
			if (_tolower(s[1]) == 'x' && isxdigit(s[2]))
				*base = 16;
			else
				*base = 8;
		} else {
			*base = 10;
		}
	}
	if (*base == 16 && s[0] == '0' && _tolower(s[1]) == 'x')
		s += 2;
	return s;
}

/*
 * Parse digits of 'base' at s.  Returns how many characters were digits;
 * *overflow is set if the value did not fit 64 bits (the result is then
 * meaningless).
 */
static unsigned int klpsh_parse_digits(const char *s, unsigned int base,
				       unsigned long long *res, bool *overflow)
{
	unsigned long long acc = 0;
	unsigned int n = 0;

	*overflow = false;
	for (;; n++) {
		unsigned int c = (unsigned char)s[n];
		unsigned int digit;

		if (isdigit(c))
			digit = c - '0';
		else if (_tolower(c) >= 'a' && _tolower(c) <= 'f')
			digit = _tolower(c) - 'a' + 10;
		else
			break;
		if (digit >= base)
			break;
		if (acc > (~0ULL - digit) / base)
			*overflow = true;
		acc = acc * base + digit;
	}
	*res = acc;
	return n;
}

static int klpsh_kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	unsigned long long value;
	unsigned int n;
	bool overflow;

	s = klpsh_fixup_radix(s, &base);
	n = klpsh_parse_digits(s, base, &value, &overflow);
	if (overflow)
		return -ERANGE;
	if (n == 0)
		return -EINVAL;
	s += n;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*res = value;
	return 0;
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	if (s[0] == '+')
		s++;
	return klpsh_kstrtoull(s, base, res);
}
EXPORT_SYMBOL(kstrtoull);

int kstrtoll(const char *s, unsigned int base, long long *res)
{
	unsigned long long tmp;
	int rv;

	if (s[0] == '-') {
		rv = klpsh_kstrtoull(s + 1, base, &tmp);
		if (rv < 0)
			return rv;
		if ((long long)-tmp > 0)
			return -ERANGE;
		*res = -tmp;
	} else {
		rv = kstrtoull(s, base, &tmp);
		if (rv < 0)
			return rv;
		if ((long long)tmp < 0)
			return -ERANGE;
		*res = tmp;
	}
	return 0;
}
EXPORT_SYMBOL(kstrtoll);

int kstrtoul(const char *s, unsigned int base, unsigned long *res)
{
	unsigned long long tmp;
	int rv = kstrtoull(s, base, &tmp);

	if (rv < 0)
		return rv;
	*res = tmp;
	return 0;
}
EXPORT_SYMBOL(kstrtoul);

int kstrtol(const char *s, unsigned int base, long *res)
{
	long long tmp;
	int rv = kstrtoll(s, base, &tmp);

	if (rv < 0)
		return rv;
	*res = tmp;
	return 0;
}
EXPORT_SYMBOL(kstrtol);

/* unsigned conversions narrower than 64 bits */
#define KLPSH_KSTRTO_UNSIGNED(name, type)				\
int name(const char *s, unsigned int base, type *res)			\
{									\
	unsigned long long tmp;						\
	int rv = kstrtoull(s, base, &tmp);				\
									\
	if (rv < 0)							\
		return rv;						\
	if (tmp != (type)tmp)						\
		return -ERANGE;						\
	*res = tmp;							\
	return 0;							\
}									\
EXPORT_SYMBOL(name)

/* signed conversions narrower than 64 bits */
#define KLPSH_KSTRTO_SIGNED(name, type)					\
int name(const char *s, unsigned int base, type *res)			\
{									\
	long long tmp;							\
	int rv = kstrtoll(s, base, &tmp);				\
									\
	if (rv < 0)							\
		return rv;						\
	if (tmp != (type)tmp)						\
		return -ERANGE;						\
	*res = tmp;							\
	return 0;							\
}									\
EXPORT_SYMBOL(name)

KLPSH_KSTRTO_UNSIGNED(kstrtouint, unsigned int);
KLPSH_KSTRTO_SIGNED(kstrtoint, int);
KLPSH_KSTRTO_UNSIGNED(kstrtou16, u16);
KLPSH_KSTRTO_SIGNED(kstrtos16, s16);
KLPSH_KSTRTO_UNSIGNED(kstrtou8, u8);
KLPSH_KSTRTO_SIGNED(kstrtos8, s8);

/* y/Y/1/on -> true, n/N/0/off -> false (only the first characters count) */
int kstrtobool(const char *s, bool *res)
{
	if (!s)
		return -EINVAL;

	switch (s[0]) {
	case 'y':
	case 'Y':
	case '1':
		*res = true;
		return 0;
	case 'n':
	case 'N':
	case '0':
		*res = false;
		return 0;
	case 'o':
	case 'O':
		if (_tolower(s[1]) == 'n') {
			*res = true;
			return 0;
		}
		if (_tolower(s[1]) == 'f') {
			*res = false;
			return 0;
		}
		break;
	default:
		break;
	}
	return -EINVAL;
}
EXPORT_SYMBOL(kstrtobool);

unsigned long long simple_strtoull(const char *cp, char **endp, unsigned int base)
{
	unsigned long long result;
	bool overflow;

	cp = klpsh_fixup_radix(cp, &base);
	cp += klpsh_parse_digits(cp, base, &result, &overflow);
	if (endp)
		*endp = (char *)cp;
	return result;
}
EXPORT_SYMBOL(simple_strtoull);

unsigned long simple_strtoul(const char *cp, char **endp, unsigned int base)
{
	return simple_strtoull(cp, endp, base);
}
EXPORT_SYMBOL(simple_strtoul);

long long simple_strtoll(const char *cp, char **endp, unsigned int base)
{
	if (*cp == '-')
		return -simple_strtoull(cp + 1, endp, base);
	return simple_strtoull(cp, endp, base);
}
EXPORT_SYMBOL(simple_strtoll);

long simple_strtol(const char *cp, char **endp, unsigned int base)
{
	return simple_strtoll(cp, endp, base);
}
EXPORT_SYMBOL(simple_strtol);

/*
 * The same conversions of a string in user memory (a /proc or debugfs
 * write): at most as many bytes as the longest valid input (sign, every
 * binary digit, newline) are copied, then converted.
 */
#define KLPSH_KSTRTO_FROM_USER(name, conv, type)			\
int name(const char __user *s, size_t count, unsigned int base, type *res) \
{									\
	char buf[1 + sizeof(type) * 8 + 1 + 1];				\
									\
	if (count > sizeof(buf) - 1)					\
		count = sizeof(buf) - 1;				\
	if (copy_from_user(buf, s, count))				\
		return -EFAULT;						\
	buf[count] = '\0';						\
	return conv(buf, base, res);					\
}									\
EXPORT_SYMBOL(name)

KLPSH_KSTRTO_FROM_USER(kstrtoull_from_user, kstrtoull, unsigned long long);
KLPSH_KSTRTO_FROM_USER(kstrtoll_from_user, kstrtoll, long long);
KLPSH_KSTRTO_FROM_USER(kstrtoul_from_user, kstrtoul, unsigned long);
KLPSH_KSTRTO_FROM_USER(kstrtol_from_user, kstrtol, long);
KLPSH_KSTRTO_FROM_USER(kstrtouint_from_user, kstrtouint, unsigned int);
KLPSH_KSTRTO_FROM_USER(kstrtoint_from_user, kstrtoint, int);
KLPSH_KSTRTO_FROM_USER(kstrtou16_from_user, kstrtou16, u16);
KLPSH_KSTRTO_FROM_USER(kstrtos16_from_user, kstrtos16, s16);
KLPSH_KSTRTO_FROM_USER(kstrtou8_from_user, kstrtou8, u8);
KLPSH_KSTRTO_FROM_USER(kstrtos8_from_user, kstrtos8, s8);

/* enough to tell "on" from "off", a newline and the terminator */
int kstrtobool_from_user(const char __user *s, size_t count, bool *res)
{
	char buf[4];

	if (count > sizeof(buf) - 1)
		count = sizeof(buf) - 1;
	if (copy_from_user(buf, s, count))
		return -EFAULT;
	buf[count] = '\0';
	return kstrtobool(buf, res);
}
EXPORT_SYMBOL(kstrtobool_from_user);
