/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: task credentials (4.19's linux/cred.h, the ids part).  Every task
 * runs as root: its cred and real_cred point at init_cred (vmlinux).
 */
#ifndef _LINUX_CRED_H
#define _LINUX_CRED_H

#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/uidgid.h>
#include <linux/sched.h>

struct cred {
	atomic_t	usage;
	kuid_t		uid;		/* real UID of the task */
	kgid_t		gid;		/* real GID of the task */
	kuid_t		suid;		/* saved UID of the task */
	kgid_t		sgid;		/* saved GID of the task */
	kuid_t		euid;		/* effective UID of the task */
	kgid_t		egid;		/* effective GID of the task */
	kuid_t		fsuid;		/* UID for VFS ops */
	kgid_t		fsgid;		/* GID for VFS ops */
	unsigned	securebits;	/* SUID-less security management */
	kernel_cap_t	cap_inheritable; /* caps our children can inherit */
	kernel_cap_t	cap_permitted;	/* caps we're permitted */
	kernel_cap_t	cap_effective;	/* caps we can actually use */
	kernel_cap_t	cap_bset;	/* capability bounding set */
	kernel_cap_t	cap_ambient;	/* Ambient capability set */
	struct user_namespace *user_ns;
};


#define current_cred()		((const struct cred *)current->cred)
#define current_real_cred()	((const struct cred *)current->real_cred)
#define current_uid()		(current_cred()->uid)
#define current_gid()		(current_cred()->gid)
#define current_euid()		(current_cred()->euid)
#define current_egid()		(current_cred()->egid)
#define current_suid()		(current_cred()->suid)
#define current_sgid()		(current_cred()->sgid)
#define current_fsuid()		(current_cred()->fsuid)
#define current_fsgid()		(current_cred()->fsgid)
#define current_user_ns()	(&init_user_ns)
#define task_uid(task)		(((const struct cred *)(task)->real_cred)->uid)
#define task_euid(task)		(((const struct cred *)(task)->cred)->euid)

static inline const struct cred *get_cred(const struct cred *cred)
{
	atomic_inc(&((struct cred *)cred)->usage);
	return cred;
}

static inline void put_cred(const struct cred *cred)
{
	atomic_dec(&((struct cred *)cred)->usage);
}

/* what 4.19's cred.h pulls in as well */
#include <linux/rwsem.h>
#include <linux/wait.h>
#include <linux/hrtimer.h>
#include <linux/percpu.h>

#endif /* _LINUX_CRED_H */
