/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: random numbers (kernel/api/random.py).  Both the "secure" pool and
 * prandom are deterministic generators seeded at boot, so a batch run
 * replays the same way every time.
 */
#ifndef _LINUX_RANDOM_H
#define _LINUX_RANDOM_H

#include <linux/types.h>

extern void get_random_bytes(void *buf, int nbytes);
extern int wait_for_random_bytes(void);
extern u32 get_random_u32(void);
extern u64 get_random_u64(void);
extern void add_device_randomness(const void *buf, unsigned int size);

static inline unsigned int get_random_int(void)
{
	return get_random_u32();
}

static inline unsigned long get_random_long(void)
{
	return get_random_u64();
}

extern u32 prandom_u32(void);
extern void prandom_bytes(void *buf, size_t nbytes);
extern void prandom_seed(u32 seed);

/* a value in [0, ep_ro) */
static inline u32 prandom_u32_max(u32 ep_ro)
{
	return (u32)(((u64) prandom_u32() * ep_ro) >> 32);
}

/* what 4.19's random.h pulls in as well */
#include <asm/ioctl.h>
#include <linux/atomic.h>
#include <linux/list.h>

#endif /* _LINUX_RANDOM_H */
