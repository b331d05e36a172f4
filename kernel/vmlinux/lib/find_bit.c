// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: searching bitmaps for set and clear bits (the exports of
 * 4.19's lib/find_bit.c).  Each returns the number of the bit found, or
 * SIZE when there is none.
 */
#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/bitmap.h>
#include <linux/export.h>

/* the next bit at or after START whose value, after XORing with INVERT, is 1 */
static unsigned long klpsh_find_next(const unsigned long *addr1, const unsigned long *addr2,
				     unsigned long size, unsigned long start,
				     unsigned long invert)
{
	unsigned long word;

	if (start >= size)
		return size;
	word = addr1[BIT_WORD(start)];
	if (addr2)
		word &= addr2[BIT_WORD(start)];
	word ^= invert;
	word &= BITMAP_FIRST_WORD_MASK(start);
	start &= ~(BITS_PER_LONG - 1UL);
	while (!word) {
		start += BITS_PER_LONG;
		if (start >= size)
			return size;
		word = addr1[BIT_WORD(start)];
		if (addr2)
			word &= addr2[BIT_WORD(start)];
		word ^= invert;
	}
	return min(start + __ffs(word), size);
}

unsigned long find_next_bit(const unsigned long *addr, unsigned long size, unsigned long offset)
{
	return klpsh_find_next(addr, NULL, size, offset, 0UL);
}
EXPORT_SYMBOL(find_next_bit);

unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size,
				 unsigned long offset)
{
	return klpsh_find_next(addr, NULL, size, offset, ~0UL);
}
EXPORT_SYMBOL(find_next_zero_bit);

unsigned long find_next_and_bit(const unsigned long *addr1, const unsigned long *addr2,
				unsigned long size, unsigned long offset)
{
	return klpsh_find_next(addr1, addr2, size, offset, 0UL);
}
EXPORT_SYMBOL(find_next_and_bit);

unsigned long find_first_bit(const unsigned long *addr, unsigned long size)
{
	return klpsh_find_next(addr, NULL, size, 0, 0UL);
}
EXPORT_SYMBOL(find_first_bit);

unsigned long find_first_zero_bit(const unsigned long *addr, unsigned long size)
{
	return klpsh_find_next(addr, NULL, size, 0, ~0UL);
}
EXPORT_SYMBOL(find_first_zero_bit);

unsigned long find_last_bit(const unsigned long *addr, unsigned long size)
{
	unsigned long idx, word;

	if (!size)
		return 0;
	idx = (size - 1) / BITS_PER_LONG;
	word = addr[idx] & BITMAP_LAST_WORD_MASK(size);
	for (;;) {
		if (word)
			return idx * BITS_PER_LONG + __fls(word);
		if (!idx)
			return size;
		word = addr[--idx];
	}
}
EXPORT_SYMBOL(find_last_bit);
