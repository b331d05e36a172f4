/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: /proc entries made by modules (kernel/api/proc_fs.py), 4.19 API:
 * file_operations based (proc_ops came in 5.6), and the 4.18 helpers
 * proc_create_single()/proc_create_seq() over seq_file.
 */
#ifndef _LINUX_PROC_FS_H
#define _LINUX_PROC_FS_H

#include <linux/types.h>
#include <linux/fs.h>
#include <linux/uidgid.h>

struct proc_dir_entry;
struct seq_file;
struct seq_operations;

extern struct proc_dir_entry *proc_create_data(const char *name, umode_t mode,
					       struct proc_dir_entry *parent,
					       const struct file_operations *proc_fops,
					       void *data);
extern struct proc_dir_entry *proc_create(const char *name, umode_t mode,
					  struct proc_dir_entry *parent,
					  const struct file_operations *proc_fops);
extern struct proc_dir_entry *proc_mkdir(const char *name, struct proc_dir_entry *parent);
extern struct proc_dir_entry *proc_mkdir_data(const char *name, umode_t mode,
					      struct proc_dir_entry *parent, void *data);
extern struct proc_dir_entry *proc_mkdir_mode(const char *name, umode_t mode,
					      struct proc_dir_entry *parent);
extern struct proc_dir_entry *proc_symlink(const char *name, struct proc_dir_entry *parent,
					   const char *dest);
extern struct proc_dir_entry *proc_create_single_data(const char *name, umode_t mode,
		struct proc_dir_entry *parent,
		int (*show)(struct seq_file *, void *), void *data);
extern struct proc_dir_entry *proc_create_seq_private(const char *name, umode_t mode,
		struct proc_dir_entry *parent, const struct seq_operations *ops,
		unsigned int state_size, void *data);

#define proc_create_single(name, mode, parent, show) \
	proc_create_single_data(name, mode, parent, show, NULL)
#define proc_create_seq_data(name, mode, parent, ops, data) \
	proc_create_seq_private(name, mode, parent, ops, 0, data)
#define proc_create_seq(name, mode, parent, ops) \
	proc_create_seq_private(name, mode, parent, ops, 0, NULL)

extern void proc_set_size(struct proc_dir_entry *de, loff_t size);
extern void proc_set_user(struct proc_dir_entry *de, kuid_t uid, kgid_t gid);
extern void remove_proc_entry(const char *name, struct proc_dir_entry *parent);
extern int remove_proc_subtree(const char *name, struct proc_dir_entry *parent);
extern void proc_remove(struct proc_dir_entry *de);
extern void *PDE_DATA(const struct inode *inode);

#endif /* _LINUX_PROC_FS_H */
