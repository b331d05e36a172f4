// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: the credentials every task runs with (root, in the
 * initial user namespace), as init_cred of 4.19's kernel/cred.c.
 */
#include <linux/cred.h>
#include <linux/export.h>

struct user_namespace {
	int level;
	kuid_t owner;
	kgid_t group;
};

struct user_namespace init_user_ns = {
	.level = 0,
	.owner = GLOBAL_ROOT_UID,
	.group = GLOBAL_ROOT_GID,
};
EXPORT_SYMBOL_GPL(init_user_ns);

struct cred init_cred = {
	.usage		= ATOMIC_INIT(4),
	.uid		= GLOBAL_ROOT_UID,
	.gid		= GLOBAL_ROOT_GID,
	.suid		= GLOBAL_ROOT_UID,
	.sgid		= GLOBAL_ROOT_GID,
	.euid		= GLOBAL_ROOT_UID,
	.egid		= GLOBAL_ROOT_GID,
	.fsuid		= GLOBAL_ROOT_UID,
	.fsgid		= GLOBAL_ROOT_GID,
	.cap_inheritable = CAP_EMPTY_SET,
	.cap_permitted	= CAP_FULL_SET,
	.cap_effective	= CAP_FULL_SET,
	.cap_bset	= CAP_FULL_SET,
	.cap_ambient	= CAP_EMPTY_SET,
	.user_ns	= &init_user_ns,
};
