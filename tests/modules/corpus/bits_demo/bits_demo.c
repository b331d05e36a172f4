/*
 * bits_demo.c - a bitmap allocator of 64 slots: find_first_zero_bit to
 * take a slot, clear_bit to give it back, /proc/slots to look.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/bitmap.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#define NSLOTS 64
static DECLARE_BITMAP(slots, NSLOTS);

static int take_slot(void)
{
	unsigned long bit;

	do {
		bit = find_first_zero_bit(slots, NSLOTS);
		if (bit >= NSLOTS)
			return -ENOSPC;
	} while (test_and_set_bit(bit, slots));
	return bit;
}

static int slots_show(struct seq_file *m, void *v)
{
	unsigned long bit;

	seq_printf(m, "used %d of %d:", bitmap_weight(slots, NSLOTS), NSLOTS);
	for_each_set_bit(bit, slots, NSLOTS)
		seq_printf(m, " %lu", bit);
	seq_putc(m, '\n');
	return 0;
}

static int slots_open(struct inode *inode, struct file *file)
{
	return single_open(file, slots_show, NULL);
}

static const struct file_operations slots_fops = {
	.open = slots_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static int __init bits_demo_init(void)
{
	int i, a = 0, b = 0;

	for (i = 0; i < 5; i++)
		a = take_slot();
	clear_bit(2, slots);
	b = take_slot();
	pr_info("bits_demo: last slot %d, reused slot %d, next zero %lu\n", a, b,
		find_next_zero_bit(slots, NSLOTS, 0));
	proc_create("slots", 0444, NULL, &slots_fops);
	return 0;
}

static void __exit bits_demo_exit(void)
{
	remove_proc_entry("slots", NULL);
}

module_init(bits_demo_init);
module_exit(bits_demo_exit);
MODULE_LICENSE("GPL");
