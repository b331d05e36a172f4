/* SPDX-License-Identifier: GPL-2.0 */
/* klpsh: binary search of a sorted array (4.19's linux/bsearch.h; vmlinux lib/bsearch.c). */
#ifndef _LINUX_BSEARCH_H
#define _LINUX_BSEARCH_H

#include <linux/types.h>

void *bsearch(const void *key, const void *base, size_t num, size_t size,
	      int (*cmp)(const void *key, const void *elt));

#endif /* _LINUX_BSEARCH_H */
