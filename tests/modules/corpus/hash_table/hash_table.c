/*
 * hash_table.c - <linux/hashtable.h>: DEFINE_HASHTABLE, hash_add,
 * hash_for_each_possible, hash_for_each_safe.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/hashtable.h>
#include <linux/slab.h>

struct student {
	int id;
	char name[16];
	struct hlist_node node;
};

static DEFINE_HASHTABLE(students, 4);

static const char *const names[] = { "ada", "brian", "carol", "dennis", "edsger", "fran" };

static int __init hash_table_init(void)
{
	struct student *s;
	int i, bkt, count = 0;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		s = kzalloc(sizeof(*s), GFP_KERNEL);
		if (!s)
			return -ENOMEM;
		s->id = 100 + i * 7;
		strscpy(s->name, names[i], sizeof(s->name));
		hash_add(students, &s->node, s->id);
	}
	hash_for_each(students, bkt, s, node)
		count++;
	pr_info("hash_table: %d students in %d buckets\n", count, HASH_SIZE(students));
	hash_for_each_possible(students, s, node, 114)
		if (s->id == 114)
			pr_info("hash_table: id 114 is %s\n", s->name);
	return 0;
}

static void __exit hash_table_exit(void)
{
	struct student *s;
	struct hlist_node *tmp;
	int bkt, freed = 0;

	hash_for_each_safe(students, bkt, tmp, s, node) {
		hash_del(&s->node);
		kfree(s);
		freed++;
	}
	pr_info("hash_table: freed %d, empty %d\n", freed, hash_empty(students));
}

module_init(hash_table_init);
module_exit(hash_table_exit);
MODULE_LICENSE("GPL");
