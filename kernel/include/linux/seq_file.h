/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: sequential files, with the 4.19 layout and semantics (kernel/ABI.md,
 * kernel/abi.py SeqFile, SeqOperations; kernel/api/seq_file.py).  Output goes
 * into m->buf; when a record does not fit, seq_read() doubles the buffer
 * and shows the record again, so seq_has_overflowed() works inline.
 */
#ifndef _LINUX_SEQ_FILE_H
#define _LINUX_SEQ_FILE_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/list.h>
#include <linux/fs.h>

struct seq_operations;

struct seq_file {
	char *buf;
	size_t size;
	size_t from;
	size_t count;
	size_t pad_until;
	loff_t index;
	loff_t read_pos;
	u64 version;
	struct mutex lock;
	const struct seq_operations *op;
	int poll_event;
	const struct file *file;
	void *private;
};

struct seq_operations {
	void * (*start) (struct seq_file *m, loff_t *pos);
	void (*stop) (struct seq_file *m, void *v);
	void * (*next) (struct seq_file *m, void *v, loff_t *pos);
	int (*show) (struct seq_file *m, void *v);
};

#define SEQ_SKIP 1
#define SEQ_START_TOKEN ((void *)1)

/* true once output was lost because the buffer is full */
static inline bool seq_has_overflowed(struct seq_file *m)
{
	return m->count == m->size;
}

extern ssize_t seq_read(struct file *file, char __user *buf, size_t size, loff_t *ppos);
extern loff_t seq_lseek(struct file *file, loff_t offset, int whence);
extern int seq_open(struct file *file, const struct seq_operations *op);
extern int seq_release(struct inode *inode, struct file *file);
extern int single_open(struct file *file, int (*show)(struct seq_file *, void *), void *data);
extern int single_open_size(struct file *file, int (*show)(struct seq_file *, void *),
			    void *data, size_t size);
extern int single_release(struct inode *inode, struct file *file);
extern void *__seq_open_private(struct file *file, const struct seq_operations *ops, int psize);
extern int seq_open_private(struct file *file, const struct seq_operations *ops, int psize);
extern int seq_release_private(struct inode *inode, struct file *file);

extern __printf(2, 3) void seq_printf(struct seq_file *m, const char *fmt, ...);
extern __printf(2, 0) void seq_vprintf(struct seq_file *m, const char *fmt, va_list args);
extern void seq_puts(struct seq_file *m, const char *s);
extern void seq_putc(struct seq_file *m, char c);
/* S with the bytes in ESC as \ooo octal escapes */
extern void seq_escape(struct seq_file *m, const char *s, const char *esc);
extern int seq_write(struct seq_file *seq, const void *data, size_t len);
extern void seq_put_decimal_ull(struct seq_file *m, const char *delimiter, unsigned long long num);
extern void seq_put_decimal_ll(struct seq_file *m, const char *delimiter, long long num);
extern void seq_pad(struct seq_file *m, char c);

extern struct list_head *seq_list_start(struct list_head *head, loff_t pos);
extern struct list_head *seq_list_start_head(struct list_head *head, loff_t pos);
extern struct list_head *seq_list_next(void *v, struct list_head *head, loff_t *ppos);

static inline void seq_setwidth(struct seq_file *m, size_t size)
{
	m->pad_until = m->count + size;
}

extern void seq_hex_dump(struct seq_file *m, const char *prefix_str, int prefix_type,
			 int rowsize, int groupsize, const void *buf, size_t len, bool ascii);

/* a single_open() file of NAME_show(): NAME_open and NAME_fops (a debugfs file's, often) */
#define DEFINE_SHOW_ATTRIBUTE(__name)					\
static int __name ## _open(struct inode *inode, struct file *file)	\
{									\
	return single_open(file, __name ## _show, inode->i_private);	\
}									\
									\
static const struct file_operations __name ## _fops = {			\
	.owner		= THIS_MODULE,					\
	.open		= __name ## _open,				\
	.read		= seq_read,					\
	.llseek		= seq_lseek,					\
	.release	= single_release,				\
}

/* what 4.19's seq_file.h pulls in as well */
#include <linux/cred.h>

#endif /* _LINUX_SEQ_FILE_H */
