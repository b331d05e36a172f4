// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: string and memory functions, exported to modules.
 *
 * Plain byte loops.  gcc must not turn them back into calls to memset or
 * memcpy (which would recurse), hence __no_libcall on the loops that look
 * like those.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/ctype.h>
#include <linux/export.h>

#define __no_libcall __attribute__((__optimize__("no-tree-loop-distribute-patterns")))

__no_libcall void *memset(void *s, int c, size_t count)
{
	unsigned char *p = s;

	while (count--)
		*p++ = (unsigned char)c;
	return s;
}
EXPORT_SYMBOL(memset);

__no_libcall void *memcpy(void *dest, const void *src, size_t count)
{
	unsigned char *d = dest;
	const unsigned char *s = src;

	while (count--)
		*d++ = *s++;
	return dest;
}
EXPORT_SYMBOL(memcpy);

__no_libcall void *memmove(void *dest, const void *src, size_t count)
{
	unsigned char *d = dest;
	const unsigned char *s = src;

	if (d <= s || d >= s + count) {
		while (count--)
			*d++ = *s++;
	} else {
		/* overlapping with dest above src: copy from the end */
		d += count;
		s += count;
		while (count--)
			*--d = *--s;
	}
	return dest;
}
EXPORT_SYMBOL(memmove);

__no_libcall int memcmp(const void *cs, const void *ct, size_t count)
{
	const unsigned char *a = cs, *b = ct;

	for (; count; count--, a++, b++) {
		if (*a != *b)
			return *a - *b;
	}
	return 0;
}
EXPORT_SYMBOL(memcmp);

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++) {
		if (*p == (unsigned char)c)
			return (void *)p;
	}
	return NULL;
}
EXPORT_SYMBOL(memchr);

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}
EXPORT_SYMBOL(strlen);

size_t strnlen(const char *s, size_t count)
{
	const char *p = s;

	while (count-- && *p)
		p++;
	return p - s;
}
EXPORT_SYMBOL(strnlen);

int strcmp(const char *cs, const char *ct)
{
	unsigned char a, b;

	do {
		a = *cs++;
		b = *ct++;
		if (a != b)
			return a < b ? -1 : 1;
	} while (a);
	return 0;
}
EXPORT_SYMBOL(strcmp);

int strncmp(const char *cs, const char *ct, size_t count)
{
	unsigned char a, b;

	while (count--) {
		a = *cs++;
		b = *ct++;
		if (a != b)
			return a < b ? -1 : 1;
		if (!a)
			break;
	}
	return 0;
}
EXPORT_SYMBOL(strncmp);

int strncasecmp(const char *s1, const char *s2, size_t len)
{
	int a, b;

	while (len--) {
		a = tolower((unsigned char)*s1++);
		b = tolower((unsigned char)*s2++);
		if (a != b)
			return a - b;
		if (!a)
			break;
	}
	return 0;
}
EXPORT_SYMBOL(strncasecmp);

int strcasecmp(const char *s1, const char *s2)
{
	int a, b;

	do {
		a = tolower((unsigned char)*s1++);
		b = tolower((unsigned char)*s2++);
	} while (a == b && a != 0);
	return a - b;
}
EXPORT_SYMBOL(strcasecmp);

char *strcpy(char *dest, const char *src)
{
	char *d = dest;

	while ((*d++ = *src++) != '\0')
		;
	return dest;
}
EXPORT_SYMBOL(strcpy);

/* copies at most count bytes and pads the rest of dest with NULs */
__no_libcall char *strncpy(char *dest, const char *src, size_t count)
{
	char *d = dest;

	while (count) {
		*d = *src;
		if (*src)
			src++;
		d++;
		count--;
	}
	return dest;
}
EXPORT_SYMBOL(strncpy);

/* returns strlen(src); dest is NUL-terminated if size > 0 */
size_t strlcpy(char *dest, const char *src, size_t size)
{
	size_t ret = strlen(src);

	if (size) {
		size_t len = ret >= size ? size - 1 : ret;

		memcpy(dest, src, len);
		dest[len] = '\0';
	}
	return ret;
}
EXPORT_SYMBOL(strlcpy);

/* returns the length copied, or -E2BIG if src did not fit (dest still terminated) */
ssize_t strscpy(char *dest, const char *src, size_t count)
{
	size_t i;

	if (count == 0)
		return -E2BIG;
	for (i = 0; i < count; i++) {
		dest[i] = src[i];
		if (!src[i])
			return i;
	}
	dest[count - 1] = '\0';
	return -E2BIG;
}
EXPORT_SYMBOL(strscpy);

char *strcat(char *dest, const char *src)
{
	strcpy(dest + strlen(dest), src);
	return dest;
}
EXPORT_SYMBOL(strcat);

/* appends at most count bytes of src, always terminates */
char *strncat(char *dest, const char *src, size_t count)
{
	char *d = dest + strlen(dest);

	while (count-- && *src)
		*d++ = *src++;
	*d = '\0';
	return dest;
}
EXPORT_SYMBOL(strncat);

/* returns the length the result would have had; count is the size of dest */
size_t strlcat(char *dest, const char *src, size_t count)
{
	size_t dsize = strnlen(dest, count);
	size_t len = strlen(src);
	size_t res = dsize + len;

	if (dsize >= count)
		return res;
	if (len >= count - dsize)
		len = count - dsize - 1;
	memcpy(dest + dsize, src, len);
	dest[dsize + len] = '\0';
	return res;
}
EXPORT_SYMBOL(strlcat);

char *strchr(const char *s, int c)
{
	for (; *s != (char)c; s++) {
		if (!*s)
			return NULL;
	}
	return (char *)s;
}
EXPORT_SYMBOL(strchr);

char *strnchr(const char *s, size_t count, int c)
{
	for (; count-- && *s; s++) {
		if (*s == (char)c)
			return (char *)s;
	}
	return NULL;
}
EXPORT_SYMBOL(strnchr);

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	do {
		if (*s == (char)c)
			last = s;
	} while (*s++);
	return (char *)last;
}
EXPORT_SYMBOL(strrchr);

char *strstr(const char *s1, const char *s2)
{
	size_t l1, l2 = strlen(s2);

	if (!l2)
		return (char *)s1;
	for (l1 = strlen(s1); l1 >= l2; l1--, s1++) {
		if (!memcmp(s1, s2, l2))
			return (char *)s1;
	}
	return NULL;
}
EXPORT_SYMBOL(strstr);

/* like strstr, looking only at the first len bytes of s1 */
char *strnstr(const char *s1, const char *s2, size_t len)
{
	size_t l2 = strlen(s2);

	if (!l2)
		return (char *)s1;
	for (; len >= l2; len--, s1++) {
		if (!memcmp(s1, s2, l2))
			return (char *)s1;
	}
	return NULL;
}
EXPORT_SYMBOL(strnstr);

size_t strspn(const char *s, const char *accept)
{
	size_t n = 0;

	while (s[n] && strchr(accept, s[n]))
		n++;
	return n;
}
EXPORT_SYMBOL(strspn);

size_t strcspn(const char *s, const char *reject)
{
	size_t n = 0;

	while (s[n] && !strchr(reject, s[n]))
		n++;
	return n;
}
EXPORT_SYMBOL(strcspn);

char *strpbrk(const char *cs, const char *ct)
{
	for (; *cs; cs++) {
		if (strchr(ct, *cs))
			return (char *)cs;
	}
	return NULL;
}
EXPORT_SYMBOL(strpbrk);

/* split off the token before the first delimiter; *s moves past it (NULL at the end) */
char *strsep(char **s, const char *ct)
{
	char *start = *s, *end;

	if (!start)
		return NULL;
	end = strpbrk(start, ct);
	if (end)
		*end++ = '\0';
	*s = end;
	return start;
}
EXPORT_SYMBOL(strsep);

/* the characters isspace() accepts */
static const char klpsh_spaces[] = " \t\n\v\f\r";

char *skip_spaces(const char *str)
{
	return (char *)str + strspn(str, klpsh_spaces);
}
EXPORT_SYMBOL(skip_spaces);

/* cut trailing whitespace in place; returns the first non-space character */
char *strim(char *s)
{
	size_t size = strlen(s);
	char *end;

	if (!size)
		return s;
	end = s + size - 1;
	while (end >= s && isspace((unsigned char)*end))
		end--;
	end[1] = '\0';
	return skip_spaces(s);
}
EXPORT_SYMBOL(strim);

/* equal, except that either string may have one trailing newline (sysfs writes) */
bool sysfs_streq(const char *s1, const char *s2)
{
	while (*s1 && *s1 == *s2) {
		s1++;
		s2++;
	}
	if (*s1 == *s2)
		return true;
	if (!*s1 && *s2 == '\n' && !s2[1])
		return true;
	if (*s1 == '\n' && !s1[1] && !*s2)
		return true;
	return false;
}
EXPORT_SYMBOL(sysfs_streq);

/* the index of STRING in ARRAY (which may end early at a NULL), or -EINVAL */
int match_string(const char * const *array, size_t n, const char *string)
{
	size_t index;

	for (index = 0; index < n; index++) {
		if (!array[index])
			break;
		if (!strcmp(array[index], string))
			return index;
	}
	return -EINVAL;
}
EXPORT_SYMBOL(match_string);

/* as match_string, comparing as sysfs_streq does */
int __sysfs_match_string(const char * const *array, size_t n, const char *str)
{
	size_t index;

	for (index = 0; index < n; index++) {
		if (!array[index])
			break;
		if (sysfs_streq(array[index], str))
			return index;
	}
	return -EINVAL;
}
EXPORT_SYMBOL(__sysfs_match_string);
