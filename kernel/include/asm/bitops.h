/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: bit operations on an array of unsigned long, bit NR counted from
 * bit 0 of ADDR[0].  The atomic ones are locked read-modify-writes (gcc's
 * __atomic builtins: lock or/and/xor), the __ ones plain C, as on x86 4.19.
 * Include <linux/bitops.h> rather than this file.
 */
#ifndef _ASM_X86_BITOPS_H
#define _ASM_X86_BITOPS_H

#ifndef _LINUX_BITOPS_H
#error only <linux/bitops.h> can be included directly
#endif

#include <linux/compiler.h>
#include <asm/barrier.h>

#define __KLPSH_BITOP_WORD(nr, addr)	((volatile unsigned long *)(addr) + BIT_WORD(nr))

static __always_inline void set_bit(long nr, volatile unsigned long *addr)
{
	__atomic_fetch_or(__KLPSH_BITOP_WORD(nr, addr), BIT_MASK(nr), __ATOMIC_SEQ_CST);
}

static __always_inline void clear_bit(long nr, volatile unsigned long *addr)
{
	__atomic_fetch_and(__KLPSH_BITOP_WORD(nr, addr), ~BIT_MASK(nr), __ATOMIC_SEQ_CST);
}

static __always_inline void change_bit(long nr, volatile unsigned long *addr)
{
	__atomic_fetch_xor(__KLPSH_BITOP_WORD(nr, addr), BIT_MASK(nr), __ATOMIC_SEQ_CST);
}

static __always_inline bool test_and_set_bit(long nr, volatile unsigned long *addr)
{
	return __atomic_fetch_or(__KLPSH_BITOP_WORD(nr, addr), BIT_MASK(nr), __ATOMIC_SEQ_CST) & BIT_MASK(nr);
}

static __always_inline bool test_and_clear_bit(long nr, volatile unsigned long *addr)
{
	return __atomic_fetch_and(__KLPSH_BITOP_WORD(nr, addr), ~BIT_MASK(nr), __ATOMIC_SEQ_CST) & BIT_MASK(nr);
}

static __always_inline bool test_and_change_bit(long nr, volatile unsigned long *addr)
{
	return __atomic_fetch_xor(__KLPSH_BITOP_WORD(nr, addr), BIT_MASK(nr), __ATOMIC_SEQ_CST) & BIT_MASK(nr);
}

static __always_inline void __set_bit(long nr, volatile unsigned long *addr)
{
	*__KLPSH_BITOP_WORD(nr, addr) |= BIT_MASK(nr);
}

static __always_inline void __clear_bit(long nr, volatile unsigned long *addr)
{
	*__KLPSH_BITOP_WORD(nr, addr) &= ~BIT_MASK(nr);
}

static __always_inline void __change_bit(long nr, volatile unsigned long *addr)
{
	*__KLPSH_BITOP_WORD(nr, addr) ^= BIT_MASK(nr);
}

static __always_inline bool __test_and_set_bit(long nr, volatile unsigned long *addr)
{
	unsigned long old = *__KLPSH_BITOP_WORD(nr, addr);

	*__KLPSH_BITOP_WORD(nr, addr) = old | BIT_MASK(nr);
	return old & BIT_MASK(nr);
}

static __always_inline bool __test_and_clear_bit(long nr, volatile unsigned long *addr)
{
	unsigned long old = *__KLPSH_BITOP_WORD(nr, addr);

	*__KLPSH_BITOP_WORD(nr, addr) = old & ~BIT_MASK(nr);
	return old & BIT_MASK(nr);
}

static __always_inline bool __test_and_change_bit(long nr, volatile unsigned long *addr)
{
	unsigned long old = *__KLPSH_BITOP_WORD(nr, addr);

	*__KLPSH_BITOP_WORD(nr, addr) = old ^ BIT_MASK(nr);
	return old & BIT_MASK(nr);
}

static __always_inline bool test_bit(long nr, const volatile unsigned long *addr)
{
	return (addr[BIT_WORD(nr)] >> (nr % BITS_PER_LONG)) & 1UL;
}

/* lock/unlock flavours: acquire and release ordering (a full barrier here) */
#define test_and_set_bit_lock(nr, addr)	test_and_set_bit(nr, addr)
#define clear_bit_unlock(nr, addr)	clear_bit(nr, addr)
#define __clear_bit_unlock(nr, addr)	clear_bit(nr, addr)

#define smp_mb__before_atomic()	barrier()
#define smp_mb__after_atomic()	barrier()

/* the lowest set bit (WORD must not be 0) */
static __always_inline unsigned long __ffs(unsigned long word)
{
	return __builtin_ctzl(word);
}

/* the lowest clear bit (WORD must not be ~0UL) */
static __always_inline unsigned long ffz(unsigned long word)
{
	return __builtin_ctzl(~word);
}

/* the highest set bit (WORD must not be 0) */
static __always_inline unsigned long __fls(unsigned long word)
{
	return BITS_PER_LONG - 1 - __builtin_clzl(word);
}

/* 1 + the lowest set bit, 0 for 0 (as libc's ffs) */
static __always_inline int ffs(int x)
{
	return x ? __builtin_ctz((unsigned int)x) + 1 : 0;
}

/* 1 + the highest set bit, 0 for 0: fls(1) = 1, fls(0x80000000) = 32 */
static __always_inline int fls(int x)
{
	return x ? 32 - __builtin_clz((unsigned int)x) : 0;
}

static __always_inline int fls64(__u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

/* population counts, without the popcnt instruction or libgcc */
static __always_inline unsigned int __arch_hweight32(unsigned int w)
{
	w -= (w >> 1) & 0x55555555;
	w = (w & 0x33333333) + ((w >> 2) & 0x33333333);
	w = (w + (w >> 4)) & 0x0f0f0f0f;
	return (w * 0x01010101) >> 24;
}

static __always_inline unsigned int __arch_hweight16(unsigned int w)
{
	return __arch_hweight32(w & 0xffff);
}

static __always_inline unsigned int __arch_hweight8(unsigned int w)
{
	return __arch_hweight32(w & 0xff);
}

static __always_inline unsigned long __arch_hweight64(__u64 w)
{
	return __arch_hweight32((unsigned int)w) + __arch_hweight32((unsigned int)(w >> 32));
}

#endif /* _ASM_X86_BITOPS_H */
