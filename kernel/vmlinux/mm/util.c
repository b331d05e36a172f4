// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: duplicating user memory into the kernel (the exports of
 * 4.19's mm/util.c): -EFAULT for a bad pointer, -ENOMEM without memory,
 * -EINVAL for a string longer than N.
 */
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/err.h>
#include <linux/uaccess.h>
#include <linux/export.h>

void *memdup_user(const void __user *src, size_t len)
{
	void *p = kmalloc(len, GFP_KERNEL);

	if (!p)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(p, src, len)) {
		kfree(p);
		return ERR_PTR(-EFAULT);
	}
	return p;
}
EXPORT_SYMBOL(memdup_user);

void *memdup_user_nul(const void __user *src, size_t len)
{
	char *p = kmalloc(len + 1, GFP_KERNEL);

	if (!p)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(p, src, len)) {
		kfree(p);
		return ERR_PTR(-EFAULT);
	}
	p[len] = '\0';
	return p;
}
EXPORT_SYMBOL(memdup_user_nul);

char *strndup_user(const char __user *s, long n)
{
	char *p;
	long length = strnlen_user(s, n);

	if (!length)
		return ERR_PTR(-EFAULT);
	if (length > n)
		return ERR_PTR(-EINVAL);
	p = memdup_user(s, length);
	if (IS_ERR(p))
		return p;
	p[length - 1] = '\0';
	return p;
}
EXPORT_SYMBOL(strndup_user);
