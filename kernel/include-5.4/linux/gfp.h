/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: the 5.4 bit values of the allocation flags (5.4's include/linux/gfp.h:
 * __GFP_ZERO, __GFP_ATOMIC and the reclaim bits moved next to GFP_KERNEL's).
 * Everything else is the shared header's, included next; the kernel reads
 * these through kernel/profile.py GFP_5_4.
 */
#ifndef __KLPSH_GFP_5_4_H
#define __KLPSH_GFP_5_4_H

#define ___GFP_DMA		0x01u
#define ___GFP_HIGHMEM		0x02u
#define ___GFP_DMA32		0x04u
#define ___GFP_MOVABLE		0x08u
#define ___GFP_RECLAIMABLE	0x10u
#define ___GFP_HIGH		0x20u
#define ___GFP_IO		0x40u
#define ___GFP_FS		0x80u
#define ___GFP_ZERO		0x100u
#define ___GFP_ATOMIC		0x200u
#define ___GFP_DIRECT_RECLAIM	0x400u
#define ___GFP_KSWAPD_RECLAIM	0x800u
#define ___GFP_WRITE		0x1000u
#define ___GFP_NOWARN		0x2000u
#define ___GFP_RETRY_MAYFAIL	0x4000u
#define ___GFP_NOFAIL		0x8000u
#define ___GFP_NORETRY		0x10000u
#define ___GFP_MEMALLOC		0x20000u
#define ___GFP_COMP		0x40000u
#define ___GFP_NOMEMALLOC	0x80000u
#define ___GFP_HARDWALL		0x100000u
#define ___GFP_THISNODE		0x200000u
#define ___GFP_ACCOUNT		0x400000u

#endif /* __KLPSH_GFP_5_4_H */

#include_next <linux/gfp.h>
