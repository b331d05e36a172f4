/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: copying to and from user memory (kernel/api/uaccess.py).  The
 * copies return how many bytes could not be copied; a bad user pointer is
 * -EFAULT for the caller, never a fault in the kernel.
 */
#ifndef _LINUX_UACCESS_H
#define _LINUX_UACCESS_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/sched.h>
#include <asm/uaccess.h>

/* 4.19's; kernel/include-5.4/linux/uaccess.h defines 5.0's access_ok() first */
#ifndef access_ok
#define VERIFY_READ	0
#define VERIFY_WRITE	1
#define access_ok(type, addr, size)	klpsh_access_ok((addr), (size))
#endif

extern unsigned long __must_check copy_to_user(void __user *to, const void *from, unsigned long n);
extern unsigned long __must_check copy_from_user(void *to, const void __user *from, unsigned long n);
extern unsigned long __must_check clear_user(void __user *mem, unsigned long len);
extern long strncpy_from_user(char *dst, const char __user *src, long count);
extern long strnlen_user(const char __user *str, long n);
extern bool klpsh_access_ok(const void __user *addr, unsigned long size);

#define __copy_to_user(to, from, n)	copy_to_user(to, from, n)
#define __copy_from_user(to, from, n)	copy_from_user(to, from, n)

/* one scalar of the pointed-to type; 0 or -EFAULT */
#define get_user(x, ptr)						\
({									\
	unsigned long long __gu_val = 0;				\
	int __gu_err = copy_from_user(&__gu_val, (ptr), sizeof(*(ptr))) ? -EFAULT : 0; \
	(x) = (__typeof__(*(ptr)))__gu_val;				\
	__gu_err;							\
})

#define put_user(x, ptr)						\
({									\
	__typeof__(*(ptr)) __pu_val = (x);				\
	copy_to_user((ptr), &__pu_val, sizeof(__pu_val)) ? -EFAULT : 0; \
})

#define __get_user(x, ptr)	get_user(x, ptr)
#define __put_user(x, ptr)	put_user(x, ptr)

#endif /* _LINUX_UACCESS_H */
