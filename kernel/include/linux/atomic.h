/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: atomic_t, atomic64_t and atomic_long_t operations, inline, built on
 * gcc's __atomic builtins (locked x86 instructions).
 */
#ifndef _LINUX_ATOMIC_H
#define _LINUX_ATOMIC_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <asm/barrier.h>

#define ATOMIC_INIT(i)		{ (i) }
#define ATOMIC64_INIT(i)	{ (i) }
#define ATOMIC_LONG_INIT(i)	ATOMIC64_INIT(i)

#define __KLPSH_SC	__ATOMIC_SEQ_CST

/* One set of operations per atomic type: pfx_read, pfx_add_return, ... */
#define __KLPSH_ATOMIC_OPS(pfx, atype, ctype)					\
static __always_inline ctype pfx##_read(const atype *v)			\
{										\
	return READ_ONCE(v->counter);						\
}										\
static __always_inline void pfx##_set(atype *v, ctype i)			\
{										\
	WRITE_ONCE(v->counter, i);						\
}										\
static __always_inline void pfx##_add(ctype i, atype *v)			\
{										\
	__atomic_fetch_add(&v->counter, i, __KLPSH_SC);				\
}										\
static __always_inline void pfx##_sub(ctype i, atype *v)			\
{										\
	__atomic_fetch_sub(&v->counter, i, __KLPSH_SC);				\
}										\
static __always_inline void pfx##_inc(atype *v)					\
{										\
	__atomic_fetch_add(&v->counter, 1, __KLPSH_SC);				\
}										\
static __always_inline void pfx##_dec(atype *v)					\
{										\
	__atomic_fetch_sub(&v->counter, 1, __KLPSH_SC);				\
}										\
static __always_inline ctype pfx##_add_return(ctype i, atype *v)		\
{										\
	return __atomic_add_fetch(&v->counter, i, __KLPSH_SC);			\
}										\
static __always_inline ctype pfx##_sub_return(ctype i, atype *v)		\
{										\
	return __atomic_sub_fetch(&v->counter, i, __KLPSH_SC);			\
}										\
static __always_inline ctype pfx##_fetch_add(ctype i, atype *v)			\
{										\
	return __atomic_fetch_add(&v->counter, i, __KLPSH_SC);			\
}										\
static __always_inline ctype pfx##_fetch_sub(ctype i, atype *v)			\
{										\
	return __atomic_fetch_sub(&v->counter, i, __KLPSH_SC);			\
}										\
static __always_inline ctype pfx##_inc_return(atype *v)				\
{										\
	return __atomic_add_fetch(&v->counter, 1, __KLPSH_SC);			\
}										\
static __always_inline ctype pfx##_dec_return(atype *v)				\
{										\
	return __atomic_sub_fetch(&v->counter, 1, __KLPSH_SC);			\
}										\
static __always_inline bool pfx##_dec_and_test(atype *v)			\
{										\
	return __atomic_sub_fetch(&v->counter, 1, __KLPSH_SC) == 0;		\
}										\
static __always_inline bool pfx##_inc_and_test(atype *v)			\
{										\
	return __atomic_add_fetch(&v->counter, 1, __KLPSH_SC) == 0;		\
}										\
static __always_inline bool pfx##_sub_and_test(ctype i, atype *v)		\
{										\
	return __atomic_sub_fetch(&v->counter, i, __KLPSH_SC) == 0;		\
}										\
static __always_inline bool pfx##_add_negative(ctype i, atype *v)		\
{										\
	return __atomic_add_fetch(&v->counter, i, __KLPSH_SC) < 0;		\
}										\
static __always_inline void pfx##_and(ctype i, atype *v)			\
{										\
	__atomic_fetch_and(&v->counter, i, __KLPSH_SC);				\
}										\
static __always_inline void pfx##_or(ctype i, atype *v)				\
{										\
	__atomic_fetch_or(&v->counter, i, __KLPSH_SC);				\
}										\
static __always_inline void pfx##_xor(ctype i, atype *v)			\
{										\
	__atomic_fetch_xor(&v->counter, i, __KLPSH_SC);				\
}										\
static __always_inline ctype pfx##_xchg(atype *v, ctype new)			\
{										\
	return __atomic_exchange_n(&v->counter, new, __KLPSH_SC);		\
}										\
/* returns the value found; the store happened iff that equals old */		\
static __always_inline ctype pfx##_cmpxchg(atype *v, ctype old, ctype new)	\
{										\
	__atomic_compare_exchange_n(&v->counter, &old, new, false,		\
				    __KLPSH_SC, __KLPSH_SC);			\
	return old;								\
}										\
/* add a unless the value is u; returns the old value */			\
static __always_inline ctype pfx##_fetch_add_unless(atype *v, ctype a, ctype u)	\
{										\
	ctype c = pfx##_read(v);						\
										\
	do {									\
		if (unlikely(c == u))						\
			break;							\
	} while (!__atomic_compare_exchange_n(&v->counter, &c, c + a, false,	\
					      __KLPSH_SC, __KLPSH_SC));		\
	return c;								\
}										\
static __always_inline bool pfx##_add_unless(atype *v, ctype a, ctype u)	\
{										\
	return pfx##_fetch_add_unless(v, a, u) != u;				\
}										\
static __always_inline bool pfx##_inc_not_zero(atype *v)			\
{										\
	return pfx##_add_unless(v, 1, 0);					\
}

__KLPSH_ATOMIC_OPS(atomic, atomic_t, int)
__KLPSH_ATOMIC_OPS(atomic64, atomic64_t, s64)
__KLPSH_ATOMIC_OPS(atomic_long, atomic_long_t, long)

/* generic pointer-sized helpers */
#define xchg(ptr, v)	__atomic_exchange_n((ptr), (v), __KLPSH_SC)
#define cmpxchg(ptr, old, new) ({						\
	typeof(*(ptr)) __cmpxchg_old = (old);					\
	__atomic_compare_exchange_n((ptr), &__cmpxchg_old, (new), false,	\
				    __KLPSH_SC, __KLPSH_SC);			\
	__cmpxchg_old;								\
})

/* what 4.19's atomic.h pulls in as well */
#include <linux/build_bug.h>

#endif /* _LINUX_ATOMIC_H */
