/* SPDX-License-Identifier: GPL-2.0 */
/* klpsh: page frame numbers and physical addresses (4.19's linux/pfn.h; mm.h pulls it in). */
#ifndef _LINUX_PFN_H_
#define _LINUX_PFN_H_

#include <linux/types.h>

/* a page frame number with flags in its top bits (pfn_t_has_page() ...) */
typedef struct {
	u64 val;
} pfn_t;

#define PFN_ALIGN(x)	(((unsigned long)(x) + (PAGE_SIZE - 1)) & PAGE_MASK)
#define PFN_UP(x)	(((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x)	((x) >> PAGE_SHIFT)
#define PFN_PHYS(x)	((phys_addr_t)(x) << PAGE_SHIFT)
#define PHYS_PFN(x)	((unsigned long)((x) >> PAGE_SHIFT))

#endif
