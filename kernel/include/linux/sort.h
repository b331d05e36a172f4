/* SPDX-License-Identifier: GPL-2.0 */
/* klpsh: sort() an array in place (heapsort: not stable, no allocation), lib/sort.c. */
#ifndef _LINUX_SORT_H
#define _LINUX_SORT_H

#include <linux/types.h>

/* SWAP may be NULL (the elements are swapped byte by byte) */
extern void sort(void *base, size_t num, size_t size,
		 int (*cmp)(const void *, const void *),
		 void (*swap)(void *, void *, int));

#endif /* _LINUX_SORT_H */
