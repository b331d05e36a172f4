/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: the grab-bag kernel header.  Everything here is inline C or a
 * prototype of a function that the simulated kernel provides (see
 * kernel/ABI.md for which side implements what).
 */
#ifndef _LINUX_KERNEL_H
#define _LINUX_KERNEL_H

#include <stdarg.h>
#include <linux/linkage.h>
#include <linux/stddef.h>
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/limits.h>
#include <linux/bits.h>
#include <linux/bitops.h>
#include <linux/typecheck.h>
#include <linux/build_bug.h>
#include <asm/byteorder.h>
#include <linux/printk.h>
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/sysinfo.h>

#define STACK_MAGIC	0xdeadbeef

/* rounding; a must be a power of two for the ALIGN family */
#define __ALIGN_KERNEL_MASK(x, mask)	(((x) + (mask)) & ~(mask))
#define __ALIGN_KERNEL(x, a)		__ALIGN_KERNEL_MASK(x, (typeof(x))(a) - 1)
#define ALIGN(x, a)			__ALIGN_KERNEL((x), (a))
#define ALIGN_DOWN(x, a)		__ALIGN_KERNEL((x) - ((a) - 1), (a))
#define PTR_ALIGN(p, a)			((typeof(p))ALIGN((unsigned long)(p), (a)))
#define IS_ALIGNED(x, a)		(((x) & ((typeof(x))(a) - 1)) == 0)

#define __round_mask(x, y)		((__typeof__(x))((y) - 1))
#define round_up(x, y)			((((x) - 1) | __round_mask(x, y)) + 1)
#define round_down(x, y)		((x) & ~__round_mask(x, y))

#define __KERNEL_DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define DIV_ROUND_UP(n, d)		__KERNEL_DIV_ROUND_UP(n, d)
#define DIV_ROUND_UP_ULL(ll, d)		((unsigned long long)(((ll) + (d) - 1) / (d)))
#define DIV_ROUND_DOWN_ULL(ll, d)	((unsigned long long)((ll) / (d)))
#define roundup(x, y)			((((x) + ((y) - 1)) / (y)) * (y))
#define rounddown(x, y)			((x) - ((x) % (y)))
#define DIV_ROUND_CLOSEST(x, divisor)	(((x) + ((divisor) / 2)) / (divisor))

#define upper_32_bits(n)	((u32)(((n) >> 16) >> 16))
#define lower_32_bits(n)	((u32)(n))

/* __must_be_array: 0 for an array, a build error for a pointer */
#define __must_be_array(a)	BUILD_BUG_ON_ZERO(__same_type((a), &(a)[0]))
#define ARRAY_SIZE(arr)		(sizeof(arr) / sizeof((arr)[0]) + __must_be_array(arr))

/* one CPU, no preemption model to check against */
#define might_resched()		do { } while (0)
#ifndef _THIS_IP_
#define _RET_IP_	(unsigned long)__builtin_return_address(0)
#define _THIS_IP_	({ __label__ __here; __here: (unsigned long)&&__here; })
#endif

#define might_sleep()		do { } while (0)
#define might_sleep_if(cond)	do { if (cond) might_sleep(); } while (0)
#define cant_sleep()		do { } while (0)
#define might_fault()		do { } while (0)

#define abs(x) ({						\
	typeof(x) __abs_x = (x);				\
	__abs_x < 0 ? -__abs_x : __abs_x;			\
})

/*
 * min()/max() and friends: each argument is evaluated exactly once and
 * comparing different types is a compile-time warning.
 */
#define __cmp_once(op, t1, t2, a, b, x, y) ({			\
	t1 a = (x);						\
	t2 b = (y);						\
	(void)(&a == &b);					\
	a op b ? a : b;						\
})
#define min(x, y)	__cmp_once(<, typeof(x), typeof(y), __UNIQUE_ID(min1_), __UNIQUE_ID(min2_), x, y)
#define max(x, y)	__cmp_once(>, typeof(x), typeof(y), __UNIQUE_ID(max1_), __UNIQUE_ID(max2_), x, y)
#define min3(x, y, z)	min((typeof(x))min(x, y), z)
#define max3(x, y, z)	max((typeof(x))max(x, y), z)
#define min_t(type, x, y) __cmp_once(<, type, type, __UNIQUE_ID(min1_), __UNIQUE_ID(min2_), x, y)
#define max_t(type, x, y) __cmp_once(>, type, type, __UNIQUE_ID(max1_), __UNIQUE_ID(max2_), x, y)
#define min_not_zero(x, y) ({					\
	typeof(x) __mnz_x = (x);				\
	typeof(y) __mnz_y = (y);				\
	__mnz_x == 0 ? __mnz_y : ((__mnz_y == 0) ? __mnz_x : min(__mnz_x, __mnz_y)); })
#define clamp(val, lo, hi)	min((typeof(val))max(val, lo), hi)
#define clamp_t(type, val, lo, hi) min_t(type, max_t(type, val, lo), hi)
#define clamp_val(val, lo, hi)	clamp_t(typeof(val), val, lo, hi)

#define swap(a, b) \
	do { typeof(a) __swap_tmp = (a); (a) = (b); (b) = __swap_tmp; } while (0)

/* the struct of type 'type' whose 'member' ptr points to */
#define container_of(ptr, type, member) ({				\
	void *__mptr = (void *)(ptr);					\
	BUILD_BUG_ON_MSG(!__same_type(*(ptr), ((type *)0)->member) &&	\
			 !__same_type(*(ptr), void),			\
			 "pointer type mismatch in container_of()");	\
	((type *)(__mptr - offsetof(type, member)));			\
})

/* formatted output: implemented by the Python kernel */
extern __printf(2, 3) int sprintf(char *buf, const char *fmt, ...);
extern __printf(3, 4) int snprintf(char *buf, size_t size, const char *fmt, ...);
extern __printf(3, 4) int scnprintf(char *buf, size_t size, const char *fmt, ...);
extern __printf(2, 3) __malloc char *kasprintf(gfp_t gfp, const char *fmt, ...);
extern __printf(2, 0) int vsprintf(char *buf, const char *fmt, va_list args);
extern __printf(3, 0) int vsnprintf(char *buf, size_t size, const char *fmt, va_list args);
extern __printf(3, 0) int vscnprintf(char *buf, size_t size, const char *fmt, va_list args);
extern __printf(2, 0) __malloc char *kvasprintf(gfp_t gfp, const char *fmt, va_list args);

/* formatted input: implemented by the Python kernel */
extern __scanf(2, 3) int sscanf(const char *buf, const char *fmt, ...);
extern __scanf(2, 0) int vsscanf(const char *buf, const char *fmt, va_list args);

/* string to number: implemented in C in vmlinux (kernel/vmlinux/lib/kstrtox.c) */
extern int __must_check kstrtoull(const char *s, unsigned int base, unsigned long long *res);
extern int __must_check kstrtoll(const char *s, unsigned int base, long long *res);
extern int __must_check kstrtoul(const char *s, unsigned int base, unsigned long *res);
extern int __must_check kstrtol(const char *s, unsigned int base, long *res);
extern int __must_check kstrtouint(const char *s, unsigned int base, unsigned int *res);
extern int __must_check kstrtoint(const char *s, unsigned int base, int *res);
extern int __must_check kstrtou16(const char *s, unsigned int base, u16 *res);
extern int __must_check kstrtos16(const char *s, unsigned int base, s16 *res);
extern int __must_check kstrtou8(const char *s, unsigned int base, u8 *res);
extern int __must_check kstrtos8(const char *s, unsigned int base, s8 *res);
extern int __must_check kstrtobool(const char *s, bool *res);

static inline int __must_check kstrtou64(const char *s, unsigned int base, u64 *res)
{
	return kstrtoull(s, base, res);
}

static inline int __must_check kstrtos64(const char *s, unsigned int base, s64 *res)
{
	return kstrtoll(s, base, res);
}

static inline int __must_check kstrtou32(const char *s, unsigned int base, u32 *res)
{
	return kstrtouint(s, base, res);
}

static inline int __must_check kstrtos32(const char *s, unsigned int base, s32 *res)
{
	return kstrtoint(s, base, res);
}

/* lib/cmdline.c (vmlinux C): "4K", "16M" ... and comma-separated integer lists */
extern unsigned long long memparse(const char *ptr, char **retptr);
extern int get_option(char **str, int *pint);
extern char *get_options(const char *str, int nints, int *ints);
extern bool parse_option_str(const char *str, const char *option);

/* the same over a string in user memory (at most COUNT bytes of it) */
extern int __must_check kstrtoull_from_user(const char __user *s, size_t count, unsigned int base, unsigned long long *res);
extern int __must_check kstrtoll_from_user(const char __user *s, size_t count, unsigned int base, long long *res);
extern int __must_check kstrtoul_from_user(const char __user *s, size_t count, unsigned int base, unsigned long *res);
extern int __must_check kstrtol_from_user(const char __user *s, size_t count, unsigned int base, long *res);
extern int __must_check kstrtouint_from_user(const char __user *s, size_t count, unsigned int base, unsigned int *res);
extern int __must_check kstrtoint_from_user(const char __user *s, size_t count, unsigned int base, int *res);
extern int __must_check kstrtou16_from_user(const char __user *s, size_t count, unsigned int base, u16 *res);
extern int __must_check kstrtos16_from_user(const char __user *s, size_t count, unsigned int base, s16 *res);
extern int __must_check kstrtou8_from_user(const char __user *s, size_t count, unsigned int base, u8 *res);
extern int __must_check kstrtos8_from_user(const char __user *s, size_t count, unsigned int base, s8 *res);
extern int __must_check kstrtobool_from_user(const char __user *s, size_t count, bool *res);

static inline int __must_check kstrtou64_from_user(const char __user *s, size_t count, unsigned int base, u64 *res)
{
	return kstrtoull_from_user(s, count, base, res);
}

static inline int __must_check kstrtos64_from_user(const char __user *s, size_t count, unsigned int base, s64 *res)
{
	return kstrtoll_from_user(s, count, base, res);
}

static inline int __must_check kstrtou32_from_user(const char __user *s, size_t count, unsigned int base, u32 *res)
{
	return kstrtouint_from_user(s, count, base, res);
}

static inline int __must_check kstrtos32_from_user(const char __user *s, size_t count, unsigned int base, s32 *res)
{
	return kstrtoint_from_user(s, count, base, res);
}

extern unsigned long simple_strtoul(const char *cp, char **endp, unsigned int base);
extern long simple_strtol(const char *cp, char **endp, unsigned int base);
extern unsigned long long simple_strtoull(const char *cp, char **endp, unsigned int base);
extern long long simple_strtoll(const char *cp, char **endp, unsigned int base);

/* the machine stops for good (kernel/panic.c) */
extern __printf(1, 2) void panic(const char *fmt, ...) __noreturn __cold;

/* hex digits (lib/hexdump.c) */
extern const char hex_asc[];
extern const char hex_asc_upper[];
#define hex_asc_lo(x)	hex_asc[((x) & 0x0f)]
#define hex_asc_hi(x)	hex_asc[((x) & 0xf0) >> 4]
#define hex_asc_upper_lo(x)	hex_asc_upper[((x) & 0x0f)]
#define hex_asc_upper_hi(x)	hex_asc_upper[((x) & 0xf0) >> 4]
extern int hex_to_bin(char ch);

/* the calling task ends (a kernel thread: kthread_stop() returns CODE) */
struct completion;
extern void do_exit(long code) __noreturn;
extern void complete_and_exit(struct completion *comp, long code) __noreturn;

/* taint flags (values as in 4.19; the kernel keeps the mask) */
#define TAINT_PROPRIETARY_MODULE	0
#define TAINT_FORCED_MODULE		1
#define TAINT_CPU_OUT_OF_SPEC		2
#define TAINT_FORCED_RMMOD		3
#define TAINT_MACHINE_CHECK		4
#define TAINT_BAD_PAGE			5
#define TAINT_USER			6
#define TAINT_DIE			7
#define TAINT_OVERRIDDEN_ACPI_TABLE	8
#define TAINT_WARN			9
#define TAINT_CRAP			10
#define TAINT_FIRMWARE_WORKAROUND	11
#define TAINT_OOT_MODULE		12
#define TAINT_UNSIGNED_MODULE		13
#define TAINT_SOFTLOCKUP		14
#define TAINT_LIVEPATCH			15
#define TAINT_AUX			16
#define TAINT_RANDSTRUCT		17
#define TAINT_FLAGS_COUNT		18

/* the string functions are so commonly used without their header that we pull it in */
#include <linux/string.h>
/* printk_ratelimited() of linux/printk.h needs its state */
#include <linux/ratelimit.h>

/* what 4.19's kernel.h pulls in as well */
#include <linux/cache.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/log2.h>

#endif /* _LINUX_KERNEL_H */
