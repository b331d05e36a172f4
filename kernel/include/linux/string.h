/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: string and memory functions.  They are C in vmlinux
 * (kernel/vmlinux/lib/string.c), exported to modules; gcc may also emit
 * calls to memcpy/memset/memmove/memcmp on its own.
 */
#ifndef _LINUX_STRING_H_
#define _LINUX_STRING_H_

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/stddef.h>

extern void *memcpy(void *dest, const void *src, size_t count);
extern void *memmove(void *dest, const void *src, size_t count);
extern void *memset(void *s, int c, size_t count);
extern int memcmp(const void *cs, const void *ct, size_t count);
extern void *memchr(const void *s, int c, size_t n);

extern size_t strlen(const char *s);
extern size_t strnlen(const char *s, size_t count);
extern int strcmp(const char *cs, const char *ct);
extern int strncmp(const char *cs, const char *ct, size_t count);
extern int strcasecmp(const char *s1, const char *s2);
extern int strncasecmp(const char *s1, const char *s2, size_t len);
extern char *strcpy(char *dest, const char *src);
extern char *strncpy(char *dest, const char *src, size_t count);
extern size_t strlcpy(char *dest, const char *src, size_t size);
extern ssize_t strscpy(char *dest, const char *src, size_t count);
extern char *strcat(char *dest, const char *src);
extern char *strncat(char *dest, const char *src, size_t count);
extern size_t strlcat(char *dest, const char *src, size_t count);
extern char *strchr(const char *s, int c);
extern char *strnchr(const char *s, size_t count, int c);
extern char *strrchr(const char *s, int c);
extern char *strstr(const char *s1, const char *s2);
extern char *strnstr(const char *s1, const char *s2, size_t len);
extern size_t strspn(const char *s, const char *accept);
extern size_t strcspn(const char *s, const char *reject);
extern char *strpbrk(const char *cs, const char *ct);
extern char *strsep(char **s, const char *ct);
extern char *skip_spaces(const char *str);
extern char *strim(char *s);
extern bool sysfs_streq(const char *s1, const char *s2);
extern int match_string(const char * const *array, size_t n, const char *string);
extern int __sysfs_match_string(const char * const *array, size_t n, const char *s);
/* the index of STR in the array _A (sysfs_streq: a trailing newline is fine), or -EINVAL */
#define sysfs_match_string(_a, _s) __sysfs_match_string(_a, ARRAY_SIZE(_a), _s)

/* allocating: implemented by the Python kernel (slab) */
extern __malloc char *kstrdup(const char *s, gfp_t gfp);

static inline __must_check char *strstrip(char *str)
{
	return strim(str);
}

/* copies of user memory in kmalloc'ed buffers (mm/util.c): an ERR_PTR on failure */
extern void *memdup_user(const void __user *src, size_t len);
extern void *memdup_user_nul(const void __user *src, size_t len);
extern char *strndup_user(const char __user *s, long n);

/* what 4.19's string.h pulls in as well */
#include <linux/atomic.h>
#include <linux/jump_label.h>
#include <linux/cache.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/log2.h>

#endif /* _LINUX_STRING_H_ */
