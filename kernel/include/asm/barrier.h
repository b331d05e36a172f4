/* SPDX-License-Identifier: GPL-2.0 */
/* klpsh: memory barriers.  One emulated CPU, so only the compiler needs fencing. */
#ifndef _ASM_X86_BARRIER_H
#define _ASM_X86_BARRIER_H

#include <linux/compiler.h>

#define mb()		__asm__ __volatile__("mfence" : : : "memory")
#define rmb()		barrier()
#define wmb()		barrier()
#define smp_mb()	barrier()
#define smp_rmb()	barrier()
#define smp_wmb()	barrier()
#define smp_mb__before_atomic()	barrier()
#define smp_mb__after_atomic()	barrier()

#define smp_store_mb(var, value)	do { WRITE_ONCE(var, value); barrier(); } while (0)
#define smp_store_release(p, v)		do { barrier(); WRITE_ONCE(*(p), v); } while (0)
#define smp_load_acquire(p) ({			\
	typeof(*(p)) ___p1 = READ_ONCE(*(p));	\
	barrier();				\
	___p1;					\
})

/* what 4.19's barrier.h pulls in as well */
#include <linux/stringify.h>
#include <linux/types.h>

#endif
