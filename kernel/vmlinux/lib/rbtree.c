// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: red-black tree rebalancing, erase and iteration (the
 * exports of 4.19's lib/rbtree.c), written from the textbook algorithm:
 * NULL children are black leaves, the low bit of __rb_parent_color is the
 * colour (0 red, 1 black).
 */
#include <linux/rbtree.h>
#include <linux/export.h>

#define KLPSH_RB_RED	0UL
#define KLPSH_RB_BLACK	1UL

static inline unsigned long rb_color_of(const struct rb_node *n)
{
	return n ? n->__rb_parent_color & 1 : KLPSH_RB_BLACK;
}

static inline bool rb_is_red_node(const struct rb_node *n)
{
	return rb_color_of(n) == KLPSH_RB_RED;
}

static inline void rb_set_color(struct rb_node *n, unsigned long color)
{
	n->__rb_parent_color = (n->__rb_parent_color & ~1UL) | color;
}

static inline void rb_set_parent_only(struct rb_node *n, struct rb_node *parent)
{
	n->__rb_parent_color = (unsigned long)parent | (n->__rb_parent_color & 1);
}

/* make NEW take OLD's place under PARENT (or as the root) */
static void rb_change_child(struct rb_node *old, struct rb_node *new, struct rb_node *parent,
			    struct rb_root *root)
{
	if (!parent)
		root->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
}

static void rb_rotate_left(struct rb_node *x, struct rb_root *root)
{
	struct rb_node *y = x->rb_right, *p = rb_parent(x);

	x->rb_right = y->rb_left;
	if (y->rb_left)
		rb_set_parent_only(y->rb_left, x);
	rb_set_parent_only(y, p);
	rb_change_child(x, y, p, root);
	y->rb_left = x;
	rb_set_parent_only(x, y);
}

static void rb_rotate_right(struct rb_node *x, struct rb_root *root)
{
	struct rb_node *y = x->rb_left, *p = rb_parent(x);

	x->rb_left = y->rb_right;
	if (y->rb_right)
		rb_set_parent_only(y->rb_right, x);
	rb_set_parent_only(y, p);
	rb_change_child(x, y, p, root);
	y->rb_right = x;
	rb_set_parent_only(x, y);
}

void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *parent, *gparent, *uncle;

	rb_set_color(node, KLPSH_RB_RED);
	while ((parent = rb_parent(node)) && rb_is_red_node(parent)) {
		gparent = rb_parent(parent);
		if (parent == gparent->rb_left) {
			uncle = gparent->rb_right;
			if (rb_is_red_node(uncle)) {
				rb_set_color(parent, KLPSH_RB_BLACK);
				rb_set_color(uncle, KLPSH_RB_BLACK);
				rb_set_color(gparent, KLPSH_RB_RED);
				node = gparent;
				continue;
			}
			if (node == parent->rb_right) {
				rb_rotate_left(parent, root);
				node = parent;
				parent = rb_parent(node);
			}
			rb_set_color(parent, KLPSH_RB_BLACK);
			rb_set_color(gparent, KLPSH_RB_RED);
			rb_rotate_right(gparent, root);
		} else {
			uncle = gparent->rb_left;
			if (rb_is_red_node(uncle)) {
				rb_set_color(parent, KLPSH_RB_BLACK);
				rb_set_color(uncle, KLPSH_RB_BLACK);
				rb_set_color(gparent, KLPSH_RB_RED);
				node = gparent;
				continue;
			}
			if (node == parent->rb_left) {
				rb_rotate_right(parent, root);
				node = parent;
				parent = rb_parent(node);
			}
			rb_set_color(parent, KLPSH_RB_BLACK);
			rb_set_color(gparent, KLPSH_RB_RED);
			rb_rotate_left(gparent, root);
		}
	}
	rb_set_color(root->rb_node, KLPSH_RB_BLACK);
}
EXPORT_SYMBOL(rb_insert_color);

/* X (maybe NULL) under PARENT is one black short: rotate and recolour up the tree */
static void rb_erase_fixup(struct rb_node *x, struct rb_node *parent, struct rb_root *root)
{
	struct rb_node *w;

	while (x != root->rb_node && !rb_is_red_node(x)) {
		if (x == parent->rb_left) {
			w = parent->rb_right;
			if (rb_is_red_node(w)) {
				rb_set_color(w, KLPSH_RB_BLACK);
				rb_set_color(parent, KLPSH_RB_RED);
				rb_rotate_left(parent, root);
				w = parent->rb_right;
			}
			if (!rb_is_red_node(w->rb_left) && !rb_is_red_node(w->rb_right)) {
				rb_set_color(w, KLPSH_RB_RED);
				x = parent;
				parent = rb_parent(x);
			} else {
				if (!rb_is_red_node(w->rb_right)) {
					rb_set_color(w->rb_left, KLPSH_RB_BLACK);
					rb_set_color(w, KLPSH_RB_RED);
					rb_rotate_right(w, root);
					w = parent->rb_right;
				}
				rb_set_color(w, rb_color_of(parent));
				rb_set_color(parent, KLPSH_RB_BLACK);
				rb_set_color(w->rb_right, KLPSH_RB_BLACK);
				rb_rotate_left(parent, root);
				x = root->rb_node;
				break;
			}
		} else {
			w = parent->rb_left;
			if (rb_is_red_node(w)) {
				rb_set_color(w, KLPSH_RB_BLACK);
				rb_set_color(parent, KLPSH_RB_RED);
				rb_rotate_right(parent, root);
				w = parent->rb_left;
			}
			if (!rb_is_red_node(w->rb_left) && !rb_is_red_node(w->rb_right)) {
				rb_set_color(w, KLPSH_RB_RED);
				x = parent;
				parent = rb_parent(x);
			} else {
				if (!rb_is_red_node(w->rb_left)) {
					rb_set_color(w->rb_right, KLPSH_RB_BLACK);
					rb_set_color(w, KLPSH_RB_RED);
					rb_rotate_left(w, root);
					w = parent->rb_left;
				}
				rb_set_color(w, rb_color_of(parent));
				rb_set_color(parent, KLPSH_RB_BLACK);
				rb_set_color(w->rb_left, KLPSH_RB_BLACK);
				rb_rotate_right(parent, root);
				x = root->rb_node;
				break;
			}
		}
	}
	if (x)
		rb_set_color(x, KLPSH_RB_BLACK);
}

void rb_erase(struct rb_node *z, struct rb_root *root)
{
	struct rb_node *y = z, *x, *xp;
	unsigned long y_color;

	if (z->rb_left && z->rb_right) {
		y = z->rb_right;
		while (y->rb_left)
			y = y->rb_left;
	}
	x = y->rb_left ? y->rb_left : y->rb_right;
	xp = rb_parent(y);
	y_color = rb_color_of(y);
	if (x)
		rb_set_parent_only(x, xp);
	rb_change_child(y, x, xp, root);
	if (y != z) {
		/* the successor Y takes Z's place, children, parent and colour */
		if (xp == z)
			xp = y;
		y->rb_left = z->rb_left;
		y->rb_right = z->rb_right;
		if (y->rb_left)
			rb_set_parent_only(y->rb_left, y);
		if (y->rb_right)
			rb_set_parent_only(y->rb_right, y);
		y->__rb_parent_color = z->__rb_parent_color;
		rb_change_child(z, y, rb_parent(z), root);
	}
	if (y_color == KLPSH_RB_BLACK)
		rb_erase_fixup(x, xp, root);
}
EXPORT_SYMBOL(rb_erase);

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	if (!n)
		return NULL;
	while (n->rb_left)
		n = n->rb_left;
	return n;
}
EXPORT_SYMBOL(rb_first);

struct rb_node *rb_last(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	if (!n)
		return NULL;
	while (n->rb_right)
		n = n->rb_right;
	return n;
}
EXPORT_SYMBOL(rb_last);

struct rb_node *rb_next(const struct rb_node *node)
{
	struct rb_node *parent;

	if (RB_EMPTY_NODE(node))
		return NULL;
	if (node->rb_right) {
		node = node->rb_right;
		while (node->rb_left)
			node = node->rb_left;
		return (struct rb_node *)node;
	}
	while ((parent = rb_parent(node)) && node == parent->rb_right)
		node = parent;
	return parent;
}
EXPORT_SYMBOL(rb_next);

struct rb_node *rb_prev(const struct rb_node *node)
{
	struct rb_node *parent;

	if (RB_EMPTY_NODE(node))
		return NULL;
	if (node->rb_left) {
		node = node->rb_left;
		while (node->rb_right)
			node = node->rb_right;
		return (struct rb_node *)node;
	}
	while ((parent = rb_parent(node)) && node == parent->rb_left)
		node = parent;
	return parent;
}
EXPORT_SYMBOL(rb_prev);

void rb_replace_node(struct rb_node *victim, struct rb_node *new, struct rb_root *root)
{
	struct rb_node *parent = rb_parent(victim);

	*new = *victim;
	if (victim->rb_left)
		rb_set_parent_only(victim->rb_left, new);
	if (victim->rb_right)
		rb_set_parent_only(victim->rb_right, new);
	rb_change_child(victim, new, parent, root);
}
EXPORT_SYMBOL(rb_replace_node);

static struct rb_node *rb_left_deepest_node(const struct rb_node *node)
{
	for (;;) {
		if (node->rb_left)
			node = node->rb_left;
		else if (node->rb_right)
			node = node->rb_right;
		else
			return (struct rb_node *)node;
	}
}

struct rb_node *rb_next_postorder(const struct rb_node *node)
{
	const struct rb_node *parent;

	if (!node)
		return NULL;
	parent = rb_parent(node);
	if (parent && node == parent->rb_left && parent->rb_right)
		return rb_left_deepest_node(parent->rb_right);
	return (struct rb_node *)parent;
}
EXPORT_SYMBOL(rb_next_postorder);

struct rb_node *rb_first_postorder(const struct rb_root *root)
{
	if (!root->rb_node)
		return NULL;
	return rb_left_deepest_node(root->rb_node);
}
EXPORT_SYMBOL(rb_first_postorder);
