// SPDX-License-Identifier: GPL-2.0
/*
 * Data structures of lib/: a red-black tree under random inserts and erases
 * (its invariants checked after each step), kfifo (static, allocated, user
 * copies), IDR/IDA, and an hrtimer that restarts itself.
 */
#include <linux/module.h>
#include <linux/rbtree.h>
#include <linux/kfifo.h>
#include <linux/idr.h>
#include <linux/hrtimer.h>
#include <linux/slab.h>
#include <linux/random.h>

struct knode {
	struct rb_node rb;
	int key;
};

static struct rb_root tree = RB_ROOT;
static struct knode nodes[200];

/* black height of N, or -1 if a red node has a red child or the heights differ */
static int rb_check(struct rb_node *n, struct rb_node *parent, int lo, int hi)
{
	int l, r, key;

	if (!n)
		return 1;
	key = rb_entry(n, struct knode, rb)->key;
	if (rb_parent(n) != parent || key < lo || key > hi)
		return -1;
	if (!(n->__rb_parent_color & 1) && ((n->rb_left && !(n->rb_left->__rb_parent_color & 1)) ||
					    (n->rb_right && !(n->rb_right->__rb_parent_color & 1))))
		return -1;
	l = rb_check(n->rb_left, n, lo, key);
	r = rb_check(n->rb_right, n, key, hi);
	if (l < 0 || r < 0 || l != r)
		return -1;
	return l + (n->__rb_parent_color & 1);
}

static void rb_insert_key(struct knode *k)
{
	struct rb_node **link = &tree.rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		link = k->key < rb_entry(parent, struct knode, rb)->key ? &parent->rb_left
									: &parent->rb_right;
	}
	rb_link_node(&k->rb, parent, link);
	rb_insert_color(&k->rb, &tree);
}

static DEFINE_KFIFO(small, int, 8);
static struct kfifo bytes;
static DEFINE_IDR(idr);
static DEFINE_IDA(ida);
static struct hrtimer timer;
static int ticks;

static enum hrtimer_restart tick(struct hrtimer *t)
{
	ticks++;
	pr_info("hrtimer tick %d overruns %llu\n", ticks, hrtimer_forward_now(t, ms_to_ktime(250)));
	return ticks < 4 ? HRTIMER_RESTART : HRTIMER_NORESTART;
}

static int __init ds_demo_init(void)
{
	struct rb_node *n;
	unsigned int seed = 12345, copied;
	int i, bad = 0, count = 0, prev = -1, v, id, sum = 0;
	void *p;

	for (i = 0; i < 200; i++) {
		seed = seed * 1103515245 + 12345;
		nodes[i].key = (seed >> 16) % 1000;
		rb_insert_key(&nodes[i]);
		bad += rb_check(tree.rb_node, NULL, -1, 1000) < 0;
	}
	for (i = 0; i < 200; i += 2) {
		rb_erase(&nodes[i].rb, &tree);
		bad += rb_check(tree.rb_node, NULL, -1, 1000) < 0;
	}
	for (n = rb_first(&tree); n; n = rb_next(n)) {
		v = rb_entry(n, struct knode, rb)->key;
		bad += v < prev;
		prev = v;
		count++;
	}
	pr_info("rbtree: %d nodes, %d violations, black height %d, last %d\n", count, bad,
		rb_check(tree.rb_node, NULL, -1, 1000), rb_entry(rb_last(&tree), struct knode, rb)->key);

	for (i = 0; i < 10; i++)
		if (!kfifo_put(&small, i * i))
			pr_info("kfifo full at %d (len %u)\n", i, kfifo_len(&small));
	while (kfifo_get(&small, &v))
		sum += v;
	pr_info("kfifo sum %d empty %d size %u\n", sum, kfifo_is_empty(&small), kfifo_size(&small));
	if (kfifo_alloc(&bytes, 100, GFP_KERNEL))
		return -ENOMEM;
	pr_info("kfifo alloc size %u in %u\n", kfifo_size(&bytes), kfifo_in(&bytes, "abcdefghij", 10));
	pr_info("kfifo to_user bad pointer: %d\n", kfifo_to_user(&bytes, (void __user *)8, 4, &copied));
	kfifo_free(&bytes);

	for (i = 0; i < 3; i++)
		id = idr_alloc(&idr, &nodes[i], 10, 12, GFP_KERNEL);
	pr_info("idr last %d, find 11 %d, remove 10 %d, empty %d\n", id,
		idr_find(&idr, 11) == &nodes[1], idr_remove(&idr, 10) == &nodes[0], idr_is_empty(&idr));
	idr_for_each_entry(&idr, p, id)
		pr_info("idr entry %d\n", id);
	idr_destroy(&idr);
	id = ida_simple_get(&ida, 0, 0, GFP_KERNEL);
	v = ida_simple_get(&ida, 0, 0, GFP_KERNEL);
	pr_info("ida %d %d %d\n", id, v, ida_alloc_min(&ida, 5, GFP_KERNEL));
	ida_destroy(&ida);

	hrtimer_init(&timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	timer.function = tick;
	hrtimer_start(&timer, ms_to_ktime(100), HRTIMER_MODE_REL);
	pr_info("hrtimer queued %d active %d\n", hrtimer_is_queued(&timer), hrtimer_active(&timer));
	return 0;
}

static void __exit ds_demo_exit(void)
{
	pr_info("hrtimer cancel %d after %d ticks\n", hrtimer_cancel(&timer), ticks);
}

module_init(ds_demo_init);
module_exit(ds_demo_exit);
MODULE_LICENSE("GPL");
