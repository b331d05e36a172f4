/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: ID allocation (4.19's linux/idr.h).  The id -> pointer map of an
 * IDR is kept by the Python kernel (kernel/api/idr.py), keyed by the
 * struct's address; the struct holds the base, the cyclic cursor and how
 * many ids are in use.  An IDA is an IDR whose pointers do not matter.
 */
#ifndef __IDR_H__
#define __IDR_H__

#include <linux/types.h>
#include <linux/bug.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/radix-tree.h>

struct idr {
	void		*idr_rt;	/* the Python kernel's, not a radix tree here */
	unsigned int	idr_base;
	unsigned int	idr_next;
	unsigned int	klpsh_count;	/* ids in use */
};

#define IDR_INIT_BASE(name, base) {	\
	.idr_rt = NULL,			\
	.idr_base = (base),		\
	.idr_next = 0,			\
}
#define IDR_INIT(name)	IDR_INIT_BASE(name, 0)
#define DEFINE_IDR(name)	struct idr name = IDR_INIT(name)

static inline unsigned int idr_get_cursor(const struct idr *idr)
{
	return READ_ONCE(idr->idr_next);
}

static inline void idr_set_cursor(struct idr *idr, unsigned int val)
{
	WRITE_ONCE(idr->idr_next, val);
}

extern void idr_preload(gfp_t gfp_mask);
extern int idr_alloc(struct idr *idr, void *ptr, int start, int end, gfp_t gfp);
extern int idr_alloc_u32(struct idr *idr, void *ptr, u32 *id, unsigned long max, gfp_t gfp);
extern int idr_alloc_cyclic(struct idr *idr, void *ptr, int start, int end, gfp_t gfp);
extern void *idr_remove(struct idr *idr, unsigned long id);
extern void *idr_find(const struct idr *idr, unsigned long id);
extern int idr_for_each(const struct idr *idr, int (*fn)(int id, void *p, void *data), void *data);
extern void *idr_get_next(struct idr *idr, int *nextid);
extern void *idr_replace(struct idr *idr, void *ptr, unsigned long id);
extern void idr_destroy(struct idr *idr);

static inline void idr_init_base(struct idr *idr, int base)
{
	*idr = (struct idr) IDR_INIT_BASE(*idr, base);
}

static inline void idr_init(struct idr *idr)
{
	idr_init_base(idr, 0);
}

static inline bool idr_is_empty(const struct idr *idr)
{
	return idr->klpsh_count == 0;
}

static inline void idr_preload_end(void)
{
}

#define idr_for_each_entry(idr, entry, id)			\
	for (id = 0; ((entry) = idr_get_next(idr, &(id))) != NULL; ++id)

#define idr_for_each_entry_continue(idr, entry, id)			\
	for ((entry) = idr_get_next((idr), &(id));			\
	     entry;							\
	     ++id, (entry) = idr_get_next((idr), &(id)))

struct ida {
	struct idr	klpsh_idr;
};

#define IDA_INIT(name)	{ .klpsh_idr = IDR_INIT(name.klpsh_idr) }
#define DEFINE_IDA(name)	struct ida name = IDA_INIT(name)

extern int ida_alloc_range(struct ida *ida, unsigned int min, unsigned int max, gfp_t gfp);
extern void ida_free(struct ida *ida, unsigned int id);
extern void ida_destroy(struct ida *ida);

static inline int ida_alloc(struct ida *ida, gfp_t gfp)
{
	return ida_alloc_range(ida, 0, ~0, gfp);
}

static inline int ida_alloc_min(struct ida *ida, unsigned int min, gfp_t gfp)
{
	return ida_alloc_range(ida, min, ~0, gfp);
}

static inline int ida_alloc_max(struct ida *ida, unsigned int max, gfp_t gfp)
{
	return ida_alloc_range(ida, 0, max, gfp);
}

static inline void ida_init(struct ida *ida)
{
	idr_init(&ida->klpsh_idr);
}

#define ida_simple_get(ida, start, end, gfp)	\
			ida_alloc_range(ida, start, (end) - 1, gfp)
#define ida_simple_remove(ida, id)	ida_free(ida, id)

static inline bool ida_is_empty(const struct ida *ida)
{
	return idr_is_empty(&ida->klpsh_idr);
}

#endif /* __IDR_H__ */
