/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_POISON_H
#define _LINUX_POISON_H

/* x86-64 CONFIG_ILLEGAL_POINTER_VALUE: non-canonical, so a use faults */
#define POISON_POINTER_DELTA	0xdead000000000000UL

/* what list_del() leaves in next/prev */
#define LIST_POISON1	((void *)(0x100 + POISON_POINTER_DELTA))
#define LIST_POISON2	((void *)(0x200 + POISON_POINTER_DELTA))

#define POISON_INUSE	0x5a
#define POISON_FREE	0x6b
#define POISON_END	0xa5

#endif
