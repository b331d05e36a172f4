/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: sequential files (what /proc show functions write to).  The layout
 * is shared with the Python procfs (kernel/ABI.md, kernel/abi.py SeqFile),
 * which implements the output functions.
 */
#ifndef _LINUX_SEQ_FILE_H
#define _LINUX_SEQ_FILE_H

#include <linux/types.h>
#include <linux/kernel.h>

struct seq_file {
	char		*buf;
	size_t		size;
	size_t		from;
	size_t		count;
	size_t		pad_until;
	loff_t		index;
	loff_t		read_pos;
	u64		version;
	void		*private;
};

#define SEQ_SKIP 1

extern __printf(2, 3) void seq_printf(struct seq_file *m, const char *fmt, ...);
extern void seq_puts(struct seq_file *m, const char *s);
extern void seq_putc(struct seq_file *m, char c);
extern int seq_write(struct seq_file *seq, const void *data, size_t len);

/* true once output was lost because the buffer is full */
static inline bool seq_has_overflowed(struct seq_file *m)
{
	return m->count == m->size;
}

#endif /* _LINUX_SEQ_FILE_H */
