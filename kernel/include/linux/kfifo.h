/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: kfifo, the lock-free single-reader single-writer ring buffer
 * (4.19's linux/kfifo.h API, without the variable-length record kfifos).
 * A kfifo's size is a power of two; 'in' and 'out' count elements and wrap
 * freely, their difference is the fill level.  The copying is C in
 * kernel/vmlinux/lib/kfifo.c.
 */
#ifndef _LINUX_KFIFO_H
#define _LINUX_KFIFO_H

#include <linux/kernel.h>
#include <linux/spinlock.h>
#include <linux/stddef.h>

struct __kfifo {
	unsigned int	in;
	unsigned int	out;
	unsigned int	mask;
	unsigned int	esize;
	void		*data;
};

/* the typed view of a kfifo: ->type carries the element type for the macros below */
#define __STRUCT_KFIFO_COMMON(datatype, recsize, ptrtype) \
	union { \
		struct __kfifo	kfifo; \
		datatype	*type; \
		const datatype	*const_type; \
		char		(*rectype)[recsize]; \
		ptrtype		*ptr; \
		ptrtype const	*ptr_const; \
	}

#define __STRUCT_KFIFO(type, size, recsize, ptrtype) \
{ \
	__STRUCT_KFIFO_COMMON(type, recsize, ptrtype); \
	type		buf[((size < 2) || (size & (size - 1))) ? -1 : size]; \
}

#define STRUCT_KFIFO(type, size) \
	struct __STRUCT_KFIFO(type, size, 0, type)

#define __STRUCT_KFIFO_PTR(type, recsize, ptrtype) \
{ \
	__STRUCT_KFIFO_COMMON(type, recsize, ptrtype); \
	type		buf[0]; \
}

#define STRUCT_KFIFO_PTR(type) \
	struct __STRUCT_KFIFO_PTR(type, 0, type)

/* the byte kfifo, with its buffer allocated apart (kfifo_alloc / kfifo_init) */
struct kfifo __STRUCT_KFIFO_PTR(unsigned char, 0, void);

#define DECLARE_KFIFO_PTR(fifo, type)	STRUCT_KFIFO_PTR(type) fifo
#define DECLARE_KFIFO(fifo, type, size)	STRUCT_KFIFO(type, size) fifo

/* whether FIFO keeps its buffer apart (no buf[] array of its own) */
#define __is_kfifo_ptr(fifo) \
	(sizeof(*fifo) == sizeof(STRUCT_KFIFO_PTR(typeof(*(fifo)->type))))

#define INIT_KFIFO(fifo) \
(void)({ \
	typeof(&(fifo)) __tmp = &(fifo); \
	struct __kfifo *__kfifo = &__tmp->kfifo; \
	__kfifo->in = 0; \
	__kfifo->out = 0; \
	__kfifo->mask = __is_kfifo_ptr(__tmp) ? 0 : ARRAY_SIZE(__tmp->buf) - 1; \
	__kfifo->esize = sizeof(*__tmp->buf); \
	__kfifo->data = __is_kfifo_ptr(__tmp) ? NULL : __tmp->buf; \
})

#define DEFINE_KFIFO(fifo, type, size) \
	DECLARE_KFIFO(fifo, type, size) = \
	(typeof(fifo)) { \
		{ \
			{ \
			.in	= 0, \
			.out	= 0, \
			.mask	= __is_kfifo_ptr(&(fifo)) ? 0 : ARRAY_SIZE((fifo).buf) - 1, \
			.esize	= sizeof(*(fifo).buf), \
			.data	= __is_kfifo_ptr(&(fifo)) ? NULL : (fifo).buf, \
			} \
		} \
	}

extern int __kfifo_alloc(struct __kfifo *fifo, unsigned int size, size_t esize, gfp_t gfp_mask);
extern void __kfifo_free(struct __kfifo *fifo);
extern int __kfifo_init(struct __kfifo *fifo, void *buffer, unsigned int size, size_t esize);
extern unsigned int __kfifo_in(struct __kfifo *fifo, const void *buf, unsigned int len);
extern unsigned int __kfifo_out(struct __kfifo *fifo, void *buf, unsigned int len);
extern unsigned int __kfifo_out_peek(struct __kfifo *fifo, void *buf, unsigned int len);
extern int __kfifo_from_user(struct __kfifo *fifo, const void __user *from, unsigned long len,
			     unsigned int *copied);
extern int __kfifo_to_user(struct __kfifo *fifo, void __user *to, unsigned long len,
			   unsigned int *copied);

#define kfifo_initialized(fifo)	((fifo)->kfifo.mask)
#define kfifo_esize(fifo)	((fifo)->kfifo.esize)
#define kfifo_recsize(fifo)	0
#define kfifo_size(fifo)	((fifo)->kfifo.mask + 1)
#define kfifo_reset(fifo) \
(void)({ \
	typeof((fifo) + 1) __tmp = (fifo); \
	__tmp->kfifo.in = __tmp->kfifo.out = 0; \
})
#define kfifo_reset_out(fifo) \
(void)({ \
	typeof((fifo) + 1) __tmp = (fifo); \
	__tmp->kfifo.out = __tmp->kfifo.in; \
})
#define kfifo_len(fifo) \
({ \
	typeof((fifo) + 1) __tmpl = (fifo); \
	__tmpl->kfifo.in - __tmpl->kfifo.out; \
})
#define kfifo_is_empty(fifo) \
({ \
	typeof((fifo) + 1) __tmpq = (fifo); \
	__tmpq->kfifo.in == __tmpq->kfifo.out; \
})
#define kfifo_is_full(fifo) \
({ \
	typeof((fifo) + 1) __tmpq = (fifo); \
	kfifo_len(__tmpq) > __tmpq->kfifo.mask; \
})
#define kfifo_avail(fifo) \
({ \
	typeof((fifo) + 1) __tmpq = (fifo); \
	kfifo_size(__tmpq) - kfifo_len(__tmpq); \
})
#define kfifo_skip(fifo) \
(void)({ \
	typeof((fifo) + 1) __tmp = (fifo); \
	__tmp->kfifo.out++; \
})

/* one element in (0 if the kfifo is full), out and peeked (0 if it is empty) */
#define kfifo_put(fifo, val) \
({ \
	typeof((fifo) + 1) __tmp = (fifo); \
	typeof(*__tmp->const_type) __val = (val); \
	unsigned int __ret = !kfifo_is_full(__tmp); \
	if (__ret) { \
		((typeof(__tmp->type))__tmp->kfifo.data)[__tmp->kfifo.in & __tmp->kfifo.mask] = \
			*(typeof(__tmp->type))&__val; \
		smp_wmb(); \
		__tmp->kfifo.in++; \
	} \
	__ret; \
})
#define kfifo_get(fifo, val) \
__kfifo_uint_must_check_helper( \
({ \
	typeof((fifo) + 1) __tmp = (fifo); \
	typeof(__tmp->ptr) __val = (val); \
	unsigned int __ret = !kfifo_is_empty(__tmp); \
	if (__ret) { \
		*(typeof(__tmp->type))__val = \
			((typeof(__tmp->type))__tmp->kfifo.data)[__tmp->kfifo.out & __tmp->kfifo.mask]; \
		smp_wmb(); \
		__tmp->kfifo.out++; \
	} \
	__ret; \
}) \
)
#define kfifo_peek(fifo, val) \
__kfifo_uint_must_check_helper( \
({ \
	typeof((fifo) + 1) __tmp = (fifo); \
	typeof(__tmp->ptr) __val = (val); \
	unsigned int __ret = !kfifo_is_empty(__tmp); \
	if (__ret) \
		*(typeof(__tmp->type))__val = \
			((typeof(__tmp->type))__tmp->kfifo.data)[__tmp->kfifo.out & __tmp->kfifo.mask]; \
	__ret; \
}) \
)

static inline unsigned int __must_check __kfifo_uint_must_check_helper(unsigned int val)
{
	return val;
}

static inline int __must_check __kfifo_int_must_check_helper(int val)
{
	return val;
}

#define kfifo_alloc(fifo, size, gfp_mask) \
__kfifo_int_must_check_helper( \
({ \
	typeof((fifo) + 1) __tmp = (fifo); \
	__is_kfifo_ptr(__tmp) ? \
	__kfifo_alloc(&__tmp->kfifo, size, sizeof(*__tmp->type), gfp_mask) : \
	-EINVAL; \
}) \
)
#define kfifo_free(fifo) \
({ \
	typeof((fifo) + 1) __tmp = (fifo); \
	if (__is_kfifo_ptr(__tmp)) \
		__kfifo_free(&__tmp->kfifo); \
})
#define kfifo_init(fifo, buffer, size) \
({ \
	typeof((fifo) + 1) __tmp = (fifo); \
	__is_kfifo_ptr(__tmp) ? \
	__kfifo_init(&__tmp->kfifo, buffer, size, sizeof(*__tmp->type)) : \
	-EINVAL; \
})

/* N elements in or out; how many could be (the kfifo's room or fill level limits it) */
#define kfifo_in(fifo, buf, n) \
({ \
	typeof((fifo) + 1) __tmp = (fifo); \
	typeof(__tmp->ptr_const) __buf = (buf); \
	__kfifo_in(&__tmp->kfifo, __buf, n); \
})
#define kfifo_out(fifo, buf, n) \
__kfifo_uint_must_check_helper( \
({ \
	typeof((fifo) + 1) __tmp = (fifo); \
	typeof(__tmp->ptr) __buf = (buf); \
	__kfifo_out(&__tmp->kfifo, __buf, n); \
}) \
)
#define kfifo_out_peek(fifo, buf, n) \
__kfifo_uint_must_check_helper( \
({ \
	typeof((fifo) + 1) __tmp = (fifo); \
	typeof(__tmp->ptr) __buf = (buf); \
	__kfifo_out_peek(&__tmp->kfifo, __buf, n); \
}) \
)
#define kfifo_in_spinlocked(fifo, buf, n, lock) \
({ \
	unsigned long __flags; \
	unsigned int __ret; \
	spin_lock_irqsave(lock, __flags); \
	__ret = kfifo_in(fifo, buf, n); \
	spin_unlock_irqrestore(lock, __flags); \
	__ret; \
})
#define kfifo_out_spinlocked(fifo, buf, n, lock) \
__kfifo_uint_must_check_helper( \
({ \
	unsigned long __flags; \
	unsigned int __ret; \
	spin_lock_irqsave(lock, __flags); \
	__ret = kfifo_out(fifo, buf, n); \
	spin_unlock_irqrestore(lock, __flags); \
	__ret; \
}) \
)
#define kfifo_in_locked(fifo, buf, n, lock)	kfifo_in_spinlocked(fifo, buf, n, lock)
#define kfifo_out_locked(fifo, buf, n, lock)	kfifo_out_spinlocked(fifo, buf, n, lock)

/* LEN bytes between user memory and the kfifo; 0 or -EFAULT, *COPIED the bytes moved */
#define kfifo_from_user(fifo, from, len, copied) \
__kfifo_uint_must_check_helper( \
({ \
	typeof((fifo) + 1) __tmp = (fifo); \
	const void __user *__from = (from); \
	unsigned int __len = (len); \
	unsigned int *__copied = (copied); \
	__kfifo_from_user(&__tmp->kfifo, __from, __len, __copied); \
}) \
)
#define kfifo_to_user(fifo, to, len, copied) \
__kfifo_uint_must_check_helper( \
({ \
	typeof((fifo) + 1) __tmp = (fifo); \
	void __user *__to = (to); \
	unsigned int __len = (len); \
	unsigned int *__copied = (copied); \
	__kfifo_to_user(&__tmp->kfifo, __to, __len, __copied); \
}) \
)

/* what 4.19's kfifo.h pulls in as well */
#include <linux/mm.h>
#include <asm/io.h>

#endif /* _LINUX_KFIFO_H */
