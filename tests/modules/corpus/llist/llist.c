/*
 * llist.c - a linked list of kmalloc'ed birthdays (the "Linux Kernel
 * Development" / OSC book exercise), shown in /proc/birthdays.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

struct birthday {
	int day;
	int month;
	int year;
	struct list_head list;
};

static LIST_HEAD(birthday_list);

static int birthdays_show(struct seq_file *m, void *v)
{
	struct birthday *ptr;
	int n = 0;

	list_for_each_entry(ptr, &birthday_list, list) {
		seq_printf(m, "%02d/%02d/%04d\n", ptr->day, ptr->month, ptr->year);
		n++;
	}
	seq_printf(m, "total %d\n", n);
	return 0;
}

static int birthdays_open(struct inode *inode, struct file *file)
{
	return single_open(file, birthdays_show, NULL);
}

static const struct file_operations birthdays_fops = {
	.open = birthdays_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static int __init llist_init(void)
{
	int i;

	for (i = 0; i < 5; i++) {
		struct birthday *person = kmalloc(sizeof(*person), GFP_KERNEL);

		if (!person)
			return -ENOMEM;
		person->day = 2 + i;
		person->month = 8;
		person->year = 1995 + i;
		INIT_LIST_HEAD(&person->list);
		list_add_tail(&person->list, &birthday_list);
	}
	proc_create("birthdays", 0444, NULL, &birthdays_fops);
	printk(KERN_INFO "Loading Module: %d birthdays\n", i);
	return 0;
}

static void __exit llist_exit(void)
{
	struct birthday *ptr, *next;

	remove_proc_entry("birthdays", NULL);
	list_for_each_entry_safe(ptr, next, &birthday_list, list) {
		printk(KERN_INFO "Removing %d/%d/%d\n", ptr->day, ptr->month, ptr->year);
		list_del(&ptr->list);
		kfree(ptr);
	}
	printk(KERN_INFO "Removing Module\n");
}

module_init(llist_init);
module_exit(llist_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Kernel Data Structures");
MODULE_AUTHOR("SGG");
