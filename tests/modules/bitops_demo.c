// SPDX-License-Identifier: GPL-2.0
/*
 * Bit operations, bitmaps, rwlocks and ioctl numbers as a 4.19 module uses
 * them, with only the headers a tutorial would include.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/bitops.h>
#include <linux/bitmap.h>
#include <linux/spinlock.h>
#include <linux/ioctl.h>
#include <asm/errno.h>

#define NBITS 130
static DECLARE_BITMAP(map, NBITS);
static DEFINE_RWLOCK(demo_lock);
static DEFINE_SPINLOCK(demo_spin);

#define DEMO_MAGIC 'k'
#define DEMO_RESET _IO(DEMO_MAGIC, 0)
#define DEMO_GET _IOR(DEMO_MAGIC, 1, int)
#define DEMO_SET _IOW(DEMO_MAGIC, 2, long)
#define DEMO_XCHG _IOWR(DEMO_MAGIC, 3, char[24])

static int __init bitops_demo_init(void)
{
	unsigned long bit, flags, word = 0;
	int n = 0, old;

	set_bit(3, map);
	set_bit(64, map);
	set_bit(129, map);
	__set_bit(70, map);
	change_bit(5, map);
	clear_bit(70, map);
	old = test_and_set_bit(100, map);
	pr_info("test_and_set_bit 100: %d then %d\n", old, test_and_set_bit(100, map));
	old = test_and_clear_bit(100, map);
	pr_info("test_and_clear_bit 100: %d then %d\n", old, test_and_clear_bit(100, map));
	pr_info("test_bit 3=%d 4=%d 64=%d\n", test_bit(3, map), test_bit(4, map), test_bit(64, map));
	for_each_set_bit(bit, map, NBITS)
		pr_info("set: %lu\n", bit);
	pr_info("first=%lu first_zero=%lu next(6)=%lu last=%lu weight=%d\n",
		find_first_bit(map, NBITS), find_first_zero_bit(map, NBITS),
		find_next_bit(map, NBITS, 6), find_last_bit(map, NBITS), bitmap_weight(map, NBITS));
	for_each_clear_bit(bit, map, 8)
		n++;
	pr_info("clear in 0..7: %d; empty=%d\n", n, bitmap_empty(map, 3));
	bitmap_zero(map, NBITS);
	pr_info("after zero: first=%lu (size %d)\n", find_first_bit(map, NBITS), NBITS);
	pr_info("ffs(0x50)=%d fls(0x50)=%d __ffs(0x50)=%lu ffz(7)=%lu hweight32=%u hweight64=%lu\n",
		ffs(0x50), fls(0x50), __ffs(0x50UL), ffz(7UL), hweight32(0xf0f0), hweight64(~0ULL));
	__set_bit(63, &word);
	pr_info("word=%lx order(5)=%d\n", word, get_count_order(5));

	read_lock(&demo_lock);
	pr_info("write_trylock under a reader: %d\n", write_trylock(&demo_lock));
	read_unlock(&demo_lock);
	write_lock_irqsave(&demo_lock, flags);
	pr_info("read_trylock under the writer: %d\n", read_trylock(&demo_lock));
	write_unlock_irqrestore(&demo_lock, flags);
	pr_info("write_trylock free: %d\n", write_trylock(&demo_lock));
	write_unlock(&demo_lock);

	spin_lock(&demo_spin);
	pr_info("spin_is_locked=%d trylock=%d\n", spin_is_locked(&demo_spin), spin_trylock(&demo_spin));
	spin_unlock(&demo_spin);
	pr_info("after unlock: spin_is_locked=%d\n", spin_is_locked(&demo_spin));

	pr_info("ioctl: %#x %#x %#x %#x nr=%u type=%c size=%u dir=%u\n", DEMO_RESET, DEMO_GET,
		DEMO_SET, DEMO_XCHG, _IOC_NR(DEMO_XCHG), _IOC_TYPE(DEMO_XCHG),
		_IOC_SIZE(DEMO_XCHG), _IOC_DIR(DEMO_XCHG));
	pr_info("errno: EAGAIN=%d ENOTTY=%d EOWNERDEAD=%d\n", EAGAIN, ENOTTY, EOWNERDEAD);
	return 0;
}

static void __exit bitops_demo_exit(void)
{
}

module_init(bitops_demo_init);
module_exit(bitops_demo_exit);
MODULE_LICENSE("GPL");
