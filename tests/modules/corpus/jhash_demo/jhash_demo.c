/*
 * jhash_demo.c - linux/hashtable.h: DEFINE_HASHTABLE, hash_add, hash_for_each_possible
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/hashtable.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/jhash.h>

struct entry {
	char name[16];
	int value;
	struct hlist_node node;
};

static DEFINE_HASHTABLE(tbl, 4);

static const u32 jhash2_key[3] = { 1, 2, 3 };

static u32 key_of(const char *s)
{
	return jhash(s, strlen(s), 0);
}

static int put(const char *name, int value)
{
	struct entry *e = kzalloc(sizeof(*e), GFP_KERNEL);

	if (!e)
		return -ENOMEM;
	strscpy(e->name, name, sizeof(e->name));
	e->value = value;
	hash_add(tbl, &e->node, key_of(name));
	return 0;
}

static struct entry *get(const char *name)
{
	struct entry *e;

	hash_for_each_possible(tbl, e, node, key_of(name))
		if (!strcmp(e->name, name))
			return e;
	return NULL;
}

static int __init ht_init(void)
{
	static const char *names[] = { "alpha", "beta", "gamma", "delta", "epsilon" };
	struct entry *e;
	int i, bkt, n = 0;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		put(names[i], i * 10);
	hash_for_each(tbl, bkt, e, node)
		n++;
	e = get("gamma");
	pr_info("hashtable_demo: jhash(\"Four score and seven years ago\", 30, 0) = %08x, jhash2 = %08x, 3words = %08x\n",
		jhash("Four score and seven years ago", 30, 0), jhash2(jhash2_key, 3, 0),
		jhash_3words(1, 2, 3, 0));
	pr_info("hashtable_demo: %d entries, gamma=%d, zeta %s, empty=%d, hash_32(42,4)=%u\n",
		n, e ? e->value : -1, get("zeta") ? "found" : "missing",
		hash_empty(tbl), hash_32(42, 4));
	return 0;
}

static void __exit ht_exit(void)
{
	struct entry *e;
	struct hlist_node *tmp;
	int bkt, n = 0;

	hash_for_each_safe(tbl, bkt, tmp, e, node) {
		hash_del(&e->node);
		kfree(e);
		n++;
	}
	pr_info("hashtable_demo: removed %d\n", n);
}

module_init(ht_init);
module_exit(ht_exit);
MODULE_LICENSE("GPL");
