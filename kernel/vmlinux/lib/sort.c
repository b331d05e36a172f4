// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: sort() (an in-place heapsort, as 4.19's lib/sort.c uses)
 * and list_sort() (a stable merge sort over the list, lib/list_sort.c).
 */
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/list_sort.h>
#include <linux/sort.h>
#include <linux/export.h>

static void klpsh_byte_swap(void *a, void *b, int size)
{
	char *x = a, *y = b, t;

	while (size--) {
		t = *x;
		*x++ = *y;
		*y++ = t;
	}
}

/* move the element at ROOT down the heap of N elements until both children are smaller */
static void klpsh_sift_down(char *base, size_t root, size_t n, size_t size,
			    int (*cmp)(const void *, const void *),
			    void (*swap_func)(void *, void *, int))
{
	size_t child;

	while ((child = 2 * root + 1) < n) {
		if (child + 1 < n && cmp(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + root * size, base + child * size) >= 0)
			return;
		swap_func(base + root * size, base + child * size, (int)size);
		root = child;
	}
}

void sort(void *base, size_t num, size_t size, int (*cmp)(const void *, const void *),
	  void (*swap_func)(void *, void *, int))
{
	char *b = base;
	size_t i;

	if (!swap_func)
		swap_func = klpsh_byte_swap;
	if (num < 2)
		return;
	for (i = num / 2; i-- > 0; )
		klpsh_sift_down(b, i, num, size, cmp, swap_func);
	for (i = num - 1; i > 0; i--) {
		swap_func(b, b + i * size, (int)size);
		klpsh_sift_down(b, 0, i, size, cmp, swap_func);
	}
}
EXPORT_SYMBOL(sort);

/* merge two NULL-terminated lists linked by ->next, A's elements first among equals */
static struct list_head *klpsh_merge(void *priv,
				     int (*cmp)(void *, struct list_head *, struct list_head *),
				     struct list_head *a, struct list_head *b)
{
	struct list_head head, *tail = &head;

	while (a && b) {
		if (cmp(priv, a, b) <= 0) {
			tail->next = a;
			a = a->next;
		} else {
			tail->next = b;
			b = b->next;
		}
		tail = tail->next;
	}
	tail->next = a ? a : b;
	return head.next;
}

static struct list_head *klpsh_merge_sort(void *priv,
					  int (*cmp)(void *, struct list_head *, struct list_head *),
					  struct list_head *list, size_t n)
{
	struct list_head *second, *p;
	size_t i;

	if (n < 2) {
		if (list)
			list->next = NULL;
		return list;
	}
	for (p = list, i = 1; i < n / 2; i++)
		p = p->next;
	second = p->next;
	p->next = NULL;
	return klpsh_merge(priv, cmp, klpsh_merge_sort(priv, cmp, list, n / 2),
			   klpsh_merge_sort(priv, cmp, second, n - n / 2));
}

void list_sort(void *priv, struct list_head *head,
	       int (*cmp)(void *priv, struct list_head *a, struct list_head *b))
{
	struct list_head *list, *p, *prev;
	size_t n = 0;

	if (list_empty(head))
		return;
	for (p = head->next; p != head; p = p->next)
		n++;
	head->prev->next = NULL;
	list = klpsh_merge_sort(priv, cmp, head->next, n);
	/* relink the prev pointers and close the circle */
	prev = head;
	for (p = list; p; p = p->next) {
		p->prev = prev;
		prev->next = p;
		prev = p;
	}
	prev->next = head;
	head->prev = prev;
}
EXPORT_SYMBOL(list_sort);
