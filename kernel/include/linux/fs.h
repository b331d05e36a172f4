/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: files as file operations see them.  struct file_operations, struct
 * file and struct inode are laid out as 4.19 on x86-64 (CONFIG_SECURITY,
 * CONFIG_EPOLL, CONFIG_FS_POSIX_ACL, CONFIG_CGROUP_WRITEBACK, CONFIG_IMA,
 * CONFIG_FSNOTIFY); members only the VFS itself uses are opaque of their 4.19
 * size (kernel/ABI.md, kernel/abi.py File, Inode, FileOperations).  The Python
 * VFS (kernel/fs/file.py) makes them for each open() and calls the operations.
 */
#ifndef _LINUX_FS_H
#define _LINUX_FS_H

#include <linux/types.h>
#include <linux/stat.h>
#include <linux/atomic.h>
#include <linux/spinlock_types.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/kdev_t.h>
#include <linux/uidgid.h>
#include <linux/limits.h>
#include <linux/dcache.h>
#include <linux/path.h>
#include <linux/fcntl.h>
#include <linux/ioctl.h>
#include <asm/page.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/time64.h>

struct module;
struct file;
struct inode;
struct kiocb;
struct iov_iter;
struct dir_context;
struct poll_table_struct;
struct vm_area_struct;
struct file_lock;
struct page;
struct pipe_inode_info;
struct seq_file;
struct cdev;
struct super_block;
struct address_space;
struct cred;
struct pid;
struct vfsmount;
struct inode_operations;
struct block_device;
struct file_lock_context;
struct posix_acl;
struct bdi_writeback;
struct fsnotify_mark_connector;

typedef unsigned int __poll_t;
typedef void *fl_owner_t;

#define FMODE_READ		((fmode_t)0x1)
#define FMODE_WRITE		((fmode_t)0x2)
#define FMODE_LSEEK		((fmode_t)0x4)
#define FMODE_PREAD		((fmode_t)0x8)
#define FMODE_PWRITE		((fmode_t)0x10)
#define FMODE_EXEC		((fmode_t)0x20)
#define FMODE_NDELAY		((fmode_t)0x40)
#define FMODE_EXCL		((fmode_t)0x80)
#define FMODE_NOCMTIME		((fmode_t)0x800)
#define FMODE_RANDOM		((fmode_t)0x1000)
#define FMODE_UNSIGNED_OFFSET	((fmode_t)0x2000)
#define FMODE_PATH		((fmode_t)0x4000)
#define FMODE_ATOMIC_POS	((fmode_t)0x8000)
#define FMODE_WRITER		((fmode_t)0x10000)
#define FMODE_CAN_READ		((fmode_t)0x20000)
#define FMODE_CAN_WRITE		((fmode_t)0x40000)
#define FMODE_STREAM		((fmode_t)0x200000)
#define FMODE_NONOTIFY		((fmode_t)0x4000000)

#define MAX_LFS_FILESIZE	((loff_t)LLONG_MAX)

#define CHRDEV_MAJOR_MAX 512
/* Marks the bottom of the first segment of free char majors */
#define CHRDEV_MAJOR_DYN_END 234
/* Marks the top and bottom of the second segment of free char majors */
#define CHRDEV_MAJOR_DYN_EXT_START 511
#define CHRDEV_MAJOR_DYN_EXT_END 384

#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2
#define SEEK_DATA	3
#define SEEK_HOLE	4
#define SEEK_MAX	SEEK_HOLE

struct file_operations {
	struct module *owner;
	loff_t (*llseek) (struct file *, loff_t, int);
	ssize_t (*read) (struct file *, char __user *, size_t, loff_t *);
	ssize_t (*write) (struct file *, const char __user *, size_t, loff_t *);
	ssize_t (*read_iter) (struct kiocb *, struct iov_iter *);
	ssize_t (*write_iter) (struct kiocb *, struct iov_iter *);
	int (*iterate) (struct file *, struct dir_context *);
	int (*iterate_shared) (struct file *, struct dir_context *);
	__poll_t (*poll) (struct file *, struct poll_table_struct *);
	long (*unlocked_ioctl) (struct file *, unsigned int, unsigned long);
	long (*compat_ioctl) (struct file *, unsigned int, unsigned long);
	int (*mmap) (struct file *, struct vm_area_struct *);
	unsigned long mmap_supported_flags;
	int (*open) (struct inode *, struct file *);
	int (*flush) (struct file *, fl_owner_t id);
	int (*release) (struct inode *, struct file *);
	int (*fsync) (struct file *, loff_t, loff_t, int datasync);
	int (*fasync) (int, struct file *, int);
	int (*lock) (struct file *, int, struct file_lock *);
	ssize_t (*sendpage) (struct file *, struct page *, int, size_t, loff_t *, int);
	unsigned long (*get_unmapped_area)(struct file *, unsigned long, unsigned long,
					   unsigned long, unsigned long);
	int (*check_flags)(int);
	int (*flock) (struct file *, int, struct file_lock *);
	ssize_t (*splice_write)(struct pipe_inode_info *, struct file *, loff_t *, size_t,
				unsigned int);
	ssize_t (*splice_read)(struct file *, loff_t *, struct pipe_inode_info *, size_t,
			       unsigned int);
	int (*setlease)(struct file *, long, struct file_lock **, void **);
	long (*fallocate)(struct file *file, int mode, loff_t offset, loff_t len);
	void (*show_fdinfo)(struct seq_file *m, struct file *f);
	ssize_t (*copy_file_range)(struct file *, loff_t, struct file *, loff_t, size_t,
				   unsigned int);
	int (*clone_file_range)(struct file *, loff_t, struct file *, loff_t, u64);
	int (*dedupe_file_range)(struct file *, loff_t, struct file *, loff_t, u64);
	int (*fadvise)(struct file *, loff_t, loff_t, int);
};

/* fs/address_space: the page cache of an inode (opaque here, of its 4.19 size) */
struct address_space {
	struct inode		*host;
	unsigned char		__klpsh_opaque[160];
} __attribute__((aligned(sizeof(long))));

struct inode {
	umode_t			i_mode;
	unsigned short		i_opflags;
	kuid_t			i_uid;
	kgid_t			i_gid;
	unsigned int		i_flags;
	struct posix_acl	*i_acl;
	struct posix_acl	*i_default_acl;
	const struct inode_operations	*i_op;
	struct super_block	*i_sb;
	struct address_space	*i_mapping;
	void			*i_security;
	unsigned long		i_ino;
	union {
		const unsigned int i_nlink;
		unsigned int __i_nlink;
	};
	dev_t			i_rdev;
	loff_t			i_size;
	struct timespec64	i_atime;
	struct timespec64	i_mtime;
	struct timespec64	i_ctime;
	spinlock_t		i_lock;
	unsigned short          i_bytes;
	u8			i_blkbits;
	u8			i_write_hint;
	u64			i_blocks;
	unsigned long		i_state;
	struct rw_semaphore	i_rwsem;
	unsigned long		dirtied_when;
	unsigned long		dirtied_time_when;
	struct hlist_node	i_hash;
	struct list_head	i_io_list;
	struct bdi_writeback	*i_wb;
	int			i_wb_frn_winner;
	u16			i_wb_frn_avg_time;
	u16			i_wb_frn_history;
	struct list_head	i_lru;
	struct list_head	i_sb_list;
	struct list_head	i_wb_list;
	union {
		struct hlist_head	i_dentry;
		struct { void *next; void *func; } i_rcu;
	};
	atomic64_t		i_version;
	atomic_t		i_count;
	atomic_t		i_dio_count;
	atomic_t		i_writecount;
	atomic_t		i_readcount;
	const struct file_operations	*i_fop;
	struct file_lock_context	*i_flctx;
	struct address_space	i_data;
	struct list_head	i_devices;
	union {
		struct pipe_inode_info	*i_pipe;
		struct block_device	*i_bdev;
		struct cdev		*i_cdev;
		char			*i_link;
		unsigned		i_dir_seq;
	};
	__u32			i_generation;
	__u32			i_fsnotify_mask;
	struct fsnotify_mark_connector *i_fsnotify_marks;
	void			*i_private;
};

static inline unsigned iminor(const struct inode *inode)
{
	return MINOR(inode->i_rdev);
}

static inline unsigned imajor(const struct inode *inode)
{
	return MAJOR(inode->i_rdev);
}

static inline loff_t i_size_read(const struct inode *inode)
{
	return inode->i_size;
}

static inline void i_size_write(struct inode *inode, loff_t i_size)
{
	inode->i_size = i_size;
}

static inline void inode_lock(struct inode *inode)
{
	down_write(&inode->i_rwsem);
}

static inline void inode_unlock(struct inode *inode)
{
	up_write(&inode->i_rwsem);
}

struct fown_struct {
	rwlock_t lock;
	struct pid *pid;
	int pid_type;
	kuid_t uid, euid;
	int signum;
};

struct file_ra_state {
	unsigned long start;
	unsigned int size;
	unsigned int async_size;
	unsigned int ra_pages;
	unsigned int mmap_miss;
	loff_t prev_pos;
};

struct file {
	union {
		struct { void *next; } fu_llist;
		struct { void *next; void *func; } fu_rcuhead;
	} f_u;
	struct path		f_path;
	struct inode		*f_inode;
	const struct file_operations	*f_op;
	spinlock_t		f_lock;
	int			f_write_hint;
	atomic_long_t		f_count;
	unsigned int		f_flags;
	fmode_t			f_mode;
	struct mutex		f_pos_lock;
	loff_t			f_pos;
	struct fown_struct	f_owner;
	const struct cred	*f_cred;
	struct file_ra_state	f_ra;
	u64			f_version;
	void			*f_security;
	void			*private_data;
	struct list_head	f_ep_links;
	struct list_head	f_tfile_llink;
	struct address_space	*f_mapping;
	u32			f_wb_err;
} __attribute__((aligned(4)));

static inline struct dentry *file_dentry(const struct file *file)
{
	return file->f_path.dentry;
}

static inline struct inode *file_inode(const struct file *f)
{
	return f->f_inode;
}

extern loff_t no_llseek(struct file *file, loff_t offset, int whence);
extern loff_t noop_llseek(struct file *file, loff_t offset, int whence);
extern loff_t default_llseek(struct file *file, loff_t offset, int whence);
extern loff_t vfs_setpos(struct file *file, loff_t offset, loff_t maxsize);
extern loff_t generic_file_llseek(struct file *file, loff_t offset, int whence);
extern loff_t generic_file_llseek_size(struct file *file, loff_t offset, int whence,
				       loff_t maxsize, loff_t eof);
extern loff_t fixed_size_llseek(struct file *file, loff_t offset, int whence, loff_t size);
extern loff_t no_seek_end_llseek_size(struct file *, loff_t, int, loff_t);
extern loff_t no_seek_end_llseek(struct file *, loff_t, int);
extern int nonseekable_open(struct inode *inode, struct file *filp);
/* the file's path name, written at the end of BUF (fs/d_path.c; Python kernel) */
extern char *file_path(struct file *filp, char *buf, int buflen);

/* files opened and read by kernel code (fs/open.c, fs/read_write.c, fs/exec.c) */
struct dentry;
extern struct file *filp_open(const char *filename, int flags, umode_t mode);
extern struct file *file_open_root(struct dentry *dentry, struct vfsmount *mnt,
				   const char *filename, int flags, umode_t mode);
extern int filp_close(struct file *filp, fl_owner_t id);
extern ssize_t vfs_read(struct file *file, char __user *buf, size_t count, loff_t *pos);
extern ssize_t vfs_write(struct file *file, const char __user *buf, size_t count, loff_t *pos);
extern loff_t vfs_llseek(struct file *file, loff_t offset, int whence);
extern ssize_t kernel_read(struct file *file, void *buf, size_t count, loff_t *pos);
extern ssize_t kernel_write(struct file *file, const void *buf, size_t count, loff_t *pos);
extern ssize_t __kernel_write(struct file *file, const void *buf, size_t count, loff_t *pos);

enum kernel_read_file_id {
	READING_UNKNOWN,
	READING_FIRMWARE,
	READING_FIRMWARE_PREALLOC_BUFFER,
	READING_MODULE,
	READING_KEXEC_IMAGE,
	READING_KEXEC_INITRAMFS,
	READING_POLICY,
	READING_X509_CERTIFICATE,
	READING_MAX_ID,
};

extern int kernel_read_file(struct file *file, void **buf, loff_t *size, loff_t max_size,
			    enum kernel_read_file_id id);
extern int kernel_read_file_from_path(const char *path, void **buf, loff_t *size, loff_t max_size,
				      enum kernel_read_file_id id);
extern int simple_open(struct inode *inode, struct file *file);

/* fs/char_dev.c (kernel/api/char_dev.py) */
extern int register_chrdev_region(dev_t from, unsigned count, const char *name);
extern int alloc_chrdev_region(dev_t *dev, unsigned baseminor, unsigned count, const char *name);
extern void unregister_chrdev_region(dev_t from, unsigned count);
extern int __register_chrdev(unsigned int major, unsigned int baseminor, unsigned int count,
			     const char *name, const struct file_operations *fops);
extern void __unregister_chrdev(unsigned int major, unsigned int baseminor, unsigned int count,
				const char *name);

static inline int register_chrdev(unsigned int major, const char *name,
				  const struct file_operations *fops)
{
	return __register_chrdev(major, 0, 256, name, fops);
}

static inline void unregister_chrdev(unsigned int major, const char *name)
{
	__unregister_chrdev(major, 0, 256, name);
}

#define fops_get(fops) \
	(((fops) && try_module_get((fops)->owner) ? (fops) : NULL))
#define fops_put(fops) \
	do { if (fops) module_put((fops)->owner); } while (0)

extern ssize_t simple_read_from_buffer(void __user *to, size_t count, loff_t *ppos,
				       const void *from, size_t available);
extern ssize_t simple_write_to_buffer(void *to, size_t available, loff_t *ppos,
				      const void __user *from, size_t count);

/*
 * A file of one number (fs/libfs.c): reading it formats what GET gives with
 * FMT, writing it parses a number for SET.  DEFINE_SIMPLE_ATTRIBUTE makes the
 * file_operations.
 */
static inline __printf(1, 2)
void __simple_attr_check_format(const char *fmt __maybe_unused, ...)
{
	/* only for gcc to check FMT against its argument */
}

extern int simple_attr_open(struct inode *inode, struct file *file,
			    int (*get)(void *, u64 *), int (*set)(void *, u64),
			    const char *fmt);
extern int simple_attr_release(struct inode *inode, struct file *file);
extern ssize_t simple_attr_read(struct file *file, char __user *buf,
				size_t len, loff_t *ppos);
extern ssize_t simple_attr_write(struct file *file, const char __user *buf,
				 size_t len, loff_t *ppos);

#define DEFINE_SIMPLE_ATTRIBUTE(__fops, __get, __set, __fmt)		\
static int __fops ## _open(struct inode *inode, struct file *file)	\
{									\
	__simple_attr_check_format(__fmt, 0ull);			\
	return simple_attr_open(inode, file, __get, __set, __fmt);	\
}									\
static const struct file_operations __fops = {				\
	.owner	 = THIS_MODULE,						\
	.open	 = __fops ## _open,					\
	.release = simple_attr_release,					\
	.read	 = simple_attr_read,					\
	.write	 = simple_attr_write,					\
	.llseek	 = generic_file_llseek,					\
}

/* what 4.19's fs.h pulls in as well */
#include <linux/capability.h>
#include <linux/radix-tree.h>
#include <linux/completion.h>
#include <linux/fcntl.h>
#include <linux/gfp.h>
#include <linux/hash.h>
#include <linux/mutex.h>
#include <linux/numa.h>
#include <linux/pid.h>
#include <linux/rculist.h>
#include <linux/refcount.h>
#include <linux/rwsem.h>
#include <linux/semaphore.h>
#include <linux/smp.h>
#include <linux/uidgid.h>
#include <linux/workqueue.h>
#include <linux/ktime.h>
#include <linux/notifier.h>
#include <linux/hrtimer.h>
#include <linux/percpu.h>

#endif /* _LINUX_FS_H */
