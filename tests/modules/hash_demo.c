// SPDX-License-Identifier: GPL-2.0
/*
 * linux/hashtable.h as modules use it: a static table and one set up with
 * hash_init(), lookups by key, deletion while iterating, RCU readers and
 * kfree_rcu()/call_rcu() for entries removed under them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/hashtable.h>
#include <linux/rculist.h>

struct entry {
	int key;
	char name[8];
	struct hlist_node node;
	struct rcu_head rcu;
};

static DEFINE_HASHTABLE(table, 3);
static DECLARE_HASHTABLE(dyn, 4);
static int freed;

static void entry_free_rcu(struct rcu_head *head)
{
	struct entry *e = container_of(head, struct entry, rcu);

	pr_info("rcu callback frees %s\n", e->name);
	freed++;
	kfree(e);
}

static struct entry *find(int key)
{
	struct entry *e;

	hash_for_each_possible(table, e, node, key)
		if (e->key == key)
			return e;
	return NULL;
}

static int __init hash_demo_init(void)
{
	struct entry *e;
	struct hlist_node *tmp;
	int i, bkt, count = 0, sum = 0;

	pr_info("bits=%d size=%zu empty=%d hash_32(7,3)=%u hash_64(7,4)=%u ilog2(4096)=%d\n",
		HASH_BITS(table), HASH_SIZE(table), hash_empty(table), hash_32(7, 3),
		hash_64(7, 4), ilog2(4096));
	for (i = 1; i <= 20; i++) {
		e = kzalloc(sizeof(*e), GFP_KERNEL);
		e->key = i * 7;
		snprintf(e->name, sizeof(e->name), "e%d", i);
		hash_add(table, &e->node, e->key);
	}
	hash_for_each(table, bkt, e, node) {
		count++;
		sum += e->key;
	}
	pr_info("count=%d sum=%d find(49)=%s find(50)=%p hashed=%d\n", count, sum,
		find(49)->name, find(50), hash_hashed(&find(49)->node));
	e = find(49);
	hash_del(&e->node);
	pr_info("after del: find(49)=%p hashed=%d\n", find(49), hash_hashed(&e->node));
	kfree(e);
	count = 0;
	hash_for_each_safe(table, bkt, tmp, e, node) {
		if (e->key % 2) {
			hash_del(&e->node);
			kfree(e);
		} else {
			count++;
		}
	}
	pr_info("odd keys removed, %d left, bucket of 14 holds:", count);
	hash_for_each_possible(table, e, node, 14)
		pr_cont(" %d", e->key);
	pr_cont("\n");

	hash_init(dyn);
	for (i = 0; i < 3; i++) {
		e = kzalloc(sizeof(*e), GFP_KERNEL);
		e->key = 100 + i;
		snprintf(e->name, sizeof(e->name), "r%d", i);
		hash_add_rcu(dyn, &e->node, e->key);
	}
	rcu_read_lock();
	hash_for_each_possible_rcu(dyn, e, node, 101)
		if (e->key == 101)
			pr_info("rcu lookup %s\n", e->name);
	rcu_read_unlock();
	hash_for_each_safe(dyn, bkt, tmp, e, node) {
		hash_del_rcu(&e->node);
		if (e->key == 100)
			kfree_rcu(e, rcu);
		else
			call_rcu(&e->rcu, entry_free_rcu);
	}
	pr_info("queued, freed so far %d, empty=%d\n", freed, hash_empty(dyn));
	rcu_barrier();
	pr_info("after rcu_barrier freed %d\n", freed);
	return 0;
}

static void __exit hash_demo_exit(void)
{
	struct entry *e;
	struct hlist_node *tmp;
	int bkt;

	hash_for_each_safe(table, bkt, tmp, e, node) {
		hash_del(&e->node);
		kfree(e);
	}
	pr_info("exit: empty=%d\n", hash_empty(table));
}

module_init(hash_demo_init);
module_exit(hash_demo_exit);
MODULE_LICENSE("GPL");
