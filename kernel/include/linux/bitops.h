/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: bit operations (4.19's linux/bitops.h over x86's asm/bitops.h).
 * The search functions (find_first_bit ...) are exported by vmlinux
 * (kernel/vmlinux/lib/find_bit.c); everything else is inline.
 */
#ifndef _LINUX_BITOPS_H
#define _LINUX_BITOPS_H

#include <linux/types.h>
#include <linux/bits.h>

#define BITS_PER_TYPE(type)	(sizeof(type) * BITS_PER_BYTE)
#define BITS_TO_U64(nr)		DIV_ROUND_UP(nr, BITS_PER_TYPE(u64))
#define BITS_TO_U32(nr)		DIV_ROUND_UP(nr, BITS_PER_TYPE(u32))
#define BITS_TO_BYTES(nr)	DIV_ROUND_UP(nr, BITS_PER_TYPE(char))

extern unsigned int __sw_hweight8(unsigned int w);
extern unsigned int __sw_hweight16(unsigned int w);
extern unsigned int __sw_hweight32(unsigned int w);
extern unsigned long __sw_hweight64(__u64 w);

#include <asm/bitops.h>

#define hweight8(w)	__arch_hweight8(w)
#define hweight16(w)	__arch_hweight16(w)
#define hweight32(w)	__arch_hweight32(w)
#define hweight64(w)	__arch_hweight64(w)

/* the searches of lib/find_bit.c: the bit number found, or SIZE if there is none */
extern unsigned long find_next_bit(const unsigned long *addr, unsigned long size,
				   unsigned long offset);
extern unsigned long find_next_and_bit(const unsigned long *addr1, const unsigned long *addr2,
				       unsigned long size, unsigned long offset);
extern unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size,
					unsigned long offset);
extern unsigned long find_first_bit(const unsigned long *addr, unsigned long size);
extern unsigned long find_first_zero_bit(const unsigned long *addr, unsigned long size);
extern unsigned long find_last_bit(const unsigned long *addr, unsigned long size);

#define for_each_set_bit(bit, addr, size) \
	for ((bit) = find_first_bit((addr), (size));		\
	     (bit) < (size);					\
	     (bit) = find_next_bit((addr), (size), (bit) + 1))

/* same as for_each_set_bit(), starting at BIT (which it updates) */
#define for_each_set_bit_from(bit, addr, size) \
	for ((bit) = find_next_bit((addr), (size), (bit));	\
	     (bit) < (size);					\
	     (bit) = find_next_bit((addr), (size), (bit) + 1))

#define for_each_clear_bit(bit, addr, size) \
	for ((bit) = find_first_zero_bit((addr), (size));	\
	     (bit) < (size);					\
	     (bit) = find_next_zero_bit((addr), (size), (bit) + 1))

#define for_each_clear_bit_from(bit, addr, size) \
	for ((bit) = find_next_zero_bit((addr), (size), (bit));	\
	     (bit) < (size);					\
	     (bit) = find_next_zero_bit((addr), (size), (bit) + 1))

static inline int get_bitmask_order(unsigned int count)
{
	return fls(count);
}

static __always_inline unsigned long hweight_long(unsigned long w)
{
	return hweight64(w);
}

static inline __u64 rol64(__u64 word, unsigned int shift)
{
	return (word << (shift & 63)) | (word >> ((-shift) & 63));
}

static inline __u64 ror64(__u64 word, unsigned int shift)
{
	return (word >> (shift & 63)) | (word << ((-shift) & 63));
}

static inline __u32 rol32(__u32 word, unsigned int shift)
{
	return (word << (shift & 31)) | (word >> ((-shift) & 31));
}

static inline __u32 ror32(__u32 word, unsigned int shift)
{
	return (word >> (shift & 31)) | (word << ((-shift) & 31));
}

static inline __u16 rol16(__u16 word, unsigned int shift)
{
	return (word << (shift & 15)) | (word >> ((-shift) & 15));
}

static inline __u16 ror16(__u16 word, unsigned int shift)
{
	return (word >> (shift & 15)) | (word << ((-shift) & 15));
}

static inline __u8 rol8(__u8 word, unsigned int shift)
{
	return (word << (shift & 7)) | (word >> ((-shift) & 7));
}

static inline __u8 ror8(__u8 word, unsigned int shift)
{
	return (word >> (shift & 7)) | (word << ((-shift) & 7));
}

/* sign-extend VALUE from bit INDEX (0-31) */
static inline __s32 sign_extend32(__u32 value, int index)
{
	__u8 shift = 31 - index;

	return (__s32)(value << shift) >> shift;
}

static inline __s64 sign_extend64(__u64 value, int index)
{
	__u8 shift = 63 - index;

	return (__s64)(value << shift) >> shift;
}

static inline unsigned int fls_long(unsigned long l)
{
	return fls64(l);
}

/* the order of COUNT rounded up to a power of two: 1 -> 0, 3 -> 2, 4 -> 2 */
static inline int get_count_order(unsigned int count)
{
	int order = fls(count) - 1;

	if (count & (count - 1))
		order++;
	return order;
}

static inline int get_count_order_long(unsigned long l)
{
	if (l == 0UL)
		return -1;
	else if (l & (l - 1UL))
		return (int)fls_long(l);
	else
		return (int)fls_long(l) - 1;
}

/* the lowest set bit of a 64-bit word, 0 when it is 0 (as __ffs otherwise) */
static inline unsigned long __ffs64(u64 word)
{
	return word ? __ffs((unsigned long)word) : 0;
}

#define assign_bit(nr, addr, value)					\
	((value) ? set_bit((nr), (addr)) : clear_bit((nr), (addr)))
#define __assign_bit(nr, addr, value)					\
	((value) ? __set_bit((nr), (addr)) : __clear_bit((nr), (addr)))

#endif /* _LINUX_BITOPS_H */
