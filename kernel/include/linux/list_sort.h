/* SPDX-License-Identifier: GPL-2.0 */
/* klpsh: list_sort(), a stable merge sort of a list_head list (lib/list_sort.c). */
#ifndef _LINUX_LIST_SORT_H
#define _LINUX_LIST_SORT_H

#include <linux/types.h>

struct list_head;

extern void list_sort(void *priv, struct list_head *head,
		      int (*cmp)(void *priv, struct list_head *a, struct list_head *b));

#endif /* _LINUX_LIST_SORT_H */
