/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: struct dentry and struct qstr as 4.19 lays them out (x86-64).  The
 * VFS (kernel/fs/file.py) gives every open file a dentry whose d_name is the
 * file's name and whose d_inode is its inode.
 */
#ifndef __LINUX_DCACHE_H
#define __LINUX_DCACHE_H

#include <linux/types.h>
#include <linux/list.h>

struct inode;
struct super_block;
struct dentry_operations;

#define DNAME_INLINE_LEN 32

struct qstr {
	union {
		struct {
			u32 hash;
			u32 len;
		};
		u64 hash_len;
	};
	const unsigned char *name;
};

#define QSTR_INIT(n,l) { { { .len = l } }, .name = n }

struct hlist_bl_node {
	struct hlist_bl_node *next, **pprev;
};

struct lockref {
	union {
		u64 lock_count;
		struct {
			unsigned int lock;
			int count;
		};
	};
};

struct dentry {
	unsigned int d_flags;
	unsigned int d_seq;
	struct hlist_bl_node d_hash;
	struct dentry *d_parent;
	struct qstr d_name;
	struct inode *d_inode;
	unsigned char d_iname[DNAME_INLINE_LEN];
	struct lockref d_lockref;
	const struct dentry_operations *d_op;
	struct super_block *d_sb;
	unsigned long d_time;
	void *d_fsdata;
	union {
		struct list_head d_lru;
		struct wait_queue_head *d_wait;
	};
	struct list_head d_child;
	struct list_head d_subdirs;
	union {
		struct hlist_node d_alias;
		struct hlist_bl_node d_in_lookup_hash;
		struct { void *next; void *func; } d_rcu;
	} d_u;
};

/* a reference to DENTRY (d_lockref's count), given back with dput() */
static inline struct dentry *dget(struct dentry *dentry)
{
	if (dentry)
		dentry->d_lockref.count++;
	return dentry;
}

extern void dput(struct dentry *dentry);

static inline struct inode *d_inode(const struct dentry *dentry)
{
	return dentry->d_inode;
}

struct path;
/* the path name of PATH, written at the end of BUF (fs/d_path.c; Python kernel) */
extern char *d_path(const struct path *path, char *buf, int buflen);

/* what 4.19's dcache.h pulls in as well */
#include <linux/hash.h>
#include <linux/wait.h>

#endif /* __LINUX_DCACHE_H */
