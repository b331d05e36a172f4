// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: the copying side of kfifo (the non-record exports of 4.19's
 * lib/kfifo.c).  Sizes and lengths are in elements of esize bytes; the
 * buffer is used as a ring of mask + 1 elements.
 */
#include <linux/kfifo.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/export.h>

static inline unsigned int klpsh_kfifo_unused(struct __kfifo *fifo)
{
	return (fifo->mask + 1) - (fifo->in - fifo->out);
}

int __kfifo_alloc(struct __kfifo *fifo, unsigned int size, size_t esize, gfp_t gfp_mask)
{
	size = roundup_pow_of_two(size);
	fifo->in = 0;
	fifo->out = 0;
	fifo->esize = esize;
	if (size < 2) {
		fifo->data = NULL;
		fifo->mask = 0;
		return -EINVAL;
	}
	fifo->data = kmalloc_array(esize, size, gfp_mask);
	if (!fifo->data) {
		fifo->mask = 0;
		return -ENOMEM;
	}
	fifo->mask = size - 1;
	return 0;
}
EXPORT_SYMBOL(__kfifo_alloc);

void __kfifo_free(struct __kfifo *fifo)
{
	kfree(fifo->data);
	fifo->in = 0;
	fifo->out = 0;
	fifo->esize = 0;
	fifo->data = NULL;
	fifo->mask = 0;
}
EXPORT_SYMBOL(__kfifo_free);

int __kfifo_init(struct __kfifo *fifo, void *buffer, unsigned int size, size_t esize)
{
	size /= esize;
	if (!is_power_of_2(size))
		size = rounddown_pow_of_two(size);
	fifo->in = 0;
	fifo->out = 0;
	fifo->esize = esize;
	fifo->data = buffer;
	if (size < 2) {
		fifo->mask = 0;
		return -EINVAL;
	}
	fifo->mask = size - 1;
	return 0;
}
EXPORT_SYMBOL(__kfifo_init);

/* copy LEN elements from SRC to the ring at element OFF (wrapping) */
static void klpsh_kfifo_copy_in(struct __kfifo *fifo, const void *src, unsigned int len,
				unsigned int off)
{
	unsigned int size = fifo->mask + 1, esize = fifo->esize, first;

	off &= fifo->mask;
	first = min(len, size - off);
	memcpy((char *)fifo->data + off * esize, src, first * esize);
	memcpy(fifo->data, (const char *)src + first * esize, (len - first) * esize);
	smp_wmb();
}

static void klpsh_kfifo_copy_out(struct __kfifo *fifo, void *dst, unsigned int len,
				 unsigned int off)
{
	unsigned int size = fifo->mask + 1, esize = fifo->esize, first;

	off &= fifo->mask;
	first = min(len, size - off);
	memcpy(dst, (const char *)fifo->data + off * esize, first * esize);
	memcpy((char *)dst + first * esize, fifo->data, (len - first) * esize);
	smp_wmb();
}

unsigned int __kfifo_in(struct __kfifo *fifo, const void *buf, unsigned int len)
{
	len = min(len, klpsh_kfifo_unused(fifo));
	klpsh_kfifo_copy_in(fifo, buf, len, fifo->in);
	fifo->in += len;
	return len;
}
EXPORT_SYMBOL(__kfifo_in);

unsigned int __kfifo_out_peek(struct __kfifo *fifo, void *buf, unsigned int len)
{
	len = min(len, fifo->in - fifo->out);
	klpsh_kfifo_copy_out(fifo, buf, len, fifo->out);
	return len;
}
EXPORT_SYMBOL(__kfifo_out_peek);

unsigned int __kfifo_out(struct __kfifo *fifo, void *buf, unsigned int len)
{
	len = __kfifo_out_peek(fifo, buf, len);
	fifo->out += len;
	return len;
}
EXPORT_SYMBOL(__kfifo_out);

int __kfifo_from_user(struct __kfifo *fifo, const void __user *from, unsigned long len,
		      unsigned int *copied)
{
	unsigned int size = fifo->mask + 1, esize = fifo->esize, off, first, n;
	unsigned long fail;

	if (esize != 1)
		len /= esize;
	n = min_t(unsigned long, len, klpsh_kfifo_unused(fifo));
	off = fifo->in & fifo->mask;
	first = min(n, size - off);
	fail = copy_from_user((char *)fifo->data + off * esize, from, first * esize);
	if (!fail)
		fail = copy_from_user(fifo->data, (const char __user *)from + first * esize,
				      (n - first) * esize);
	if (fail) {
		*copied = 0;
		return -EFAULT;
	}
	fifo->in += n;
	*copied = n * esize;
	return 0;
}
EXPORT_SYMBOL(__kfifo_from_user);

int __kfifo_to_user(struct __kfifo *fifo, void __user *to, unsigned long len,
		    unsigned int *copied)
{
	unsigned int size = fifo->mask + 1, esize = fifo->esize, off, first, n;
	unsigned long fail;

	if (esize != 1)
		len /= esize;
	n = min_t(unsigned long, len, fifo->in - fifo->out);
	off = fifo->out & fifo->mask;
	first = min(n, size - off);
	fail = copy_to_user(to, (const char *)fifo->data + off * esize, first * esize);
	if (!fail)
		fail = copy_to_user((char __user *)to + first * esize, fifo->data,
				    (n - first) * esize);
	if (fail) {
		*copied = 0;
		return -EFAULT;
	}
	fifo->out += n;
	*copied = n * esize;
	return 0;
}
EXPORT_SYMBOL(__kfifo_to_user);
