/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: attribute shorthands used all over the kernel headers.
 * Written for klpsh (x86-64, gcc); names follow Linux 4.19.
 */
#ifndef _LINUX_COMPILER_TYPES_H
#define _LINUX_COMPILER_TYPES_H

/* sparse annotations: meaningless to gcc */
#define __user
#define __kernel
#define __iomem
#define __force
#define __rcu
#define __percpu
#define __bitwise
#define __safe
#define __must_hold(x)
#define __acquires(x)
#define __releases(x)
#define __acquire(x)	(void)0
#define __release(x)	(void)0
#define __cond_lock(x, c)	(c)

#define __always_inline		inline __attribute__((__always_inline__))
/*
 * klpsh: noinline also means noipa.  Functions are marked noinline to keep
 * them patchable; with plain noinline gcc 12 may still clone them
 * (foo.isra.0, foo.constprop.0: the symbol livepatch looks up is gone) or
 * let callers rely on the body (which registers it clobbers, its return
 * value), which a replacement function would silently break.  noipa
 * implies noinline, noclone and no_icf.
 */
#define noinline		__attribute__((__noipa__))
#define __noreturn		__attribute__((__noreturn__))
#define __used			__attribute__((__used__))
#define __maybe_unused		__attribute__((__unused__))
#define __always_unused		__attribute__((__unused__))
#define __packed		__attribute__((__packed__))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __aligned_largest	__attribute__((__aligned__))
/* 4.19 spelling: the argument is not quoted, the macro stringifies it */
#define __section(S)		__attribute__((__section__(#S)))
#define __visible		__attribute__((__externally_visible__))
#define __weak			__attribute__((__weak__))
#define __alias(symbol)		__attribute__((__alias__(#symbol)))
#define __cold			__attribute__((__cold__))
#define __hot			__attribute__((__hot__))
#define __pure			__attribute__((__pure__))
#define __attribute_const__	__attribute__((__const__))
#define __must_check		__attribute__((__warn_unused_result__))
#define __malloc		__attribute__((__malloc__))
#define __printf(a, b)		__attribute__((__format__(printf, a, b)))
#define __scanf(a, b)		__attribute__((__format__(scanf, a, b)))
#define __deprecated		__attribute__((__deprecated__))
#define __cacheline_aligned	__attribute__((__aligned__(64)))
#define __cacheline_aligned_in_smp __cacheline_aligned
#define ____cacheline_aligned	__attribute__((__aligned__(64)))
#define ____cacheline_aligned_in_smp ____cacheline_aligned
#define __read_mostly
#define __jiffy_arch_data
#define __randomize_layout
#define __no_randomize_layout
#define __latent_entropy
#define __designated_init
#define fallthrough		__attribute__((__fallthrough__))

/* no fentry NOP: the function cannot be traced (nor livepatched) */
#define notrace			__attribute__((__no_instrument_function__))

/* x86-64: C calling convention everywhere */
#ifndef asmlinkage
#define asmlinkage
#endif

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

#define __same_type(a, b)	__builtin_types_compatible_p(typeof(a), typeof(b))

#define ___PASTE(a, b)		a##b
#define __PASTE(a, b)		___PASTE(a, b)
#define __UNIQUE_ID(prefix)	__PASTE(__PASTE(__UNIQUE_ID_, prefix), __COUNTER__)

#endif /* _LINUX_COMPILER_TYPES_H */
