/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: the kernel's name, release and version (uname(2)).  There is one
 * UTS namespace, init_uts_ns (vmlinux, init/version.c); the Python kernel
 * fills its strings at boot from the kernel profile and `uname` reads them
 * back, so a module that changes nodename changes what uname says.
 */
#ifndef _LINUX_UTSNAME_H
#define _LINUX_UTSNAME_H

#include <linux/sched.h>
#include <linux/kref.h>
#include <linux/err.h>

#define __OLD_UTS_LEN	8
#define __NEW_UTS_LEN	64

struct oldold_utsname {
	char sysname[9];
	char nodename[9];
	char release[9];
	char version[9];
	char machine[9];
};

struct old_utsname {
	char sysname[65];
	char nodename[65];
	char release[65];
	char version[65];
	char machine[65];
};

struct new_utsname {
	char sysname[__NEW_UTS_LEN + 1];
	char nodename[__NEW_UTS_LEN + 1];
	char release[__NEW_UTS_LEN + 1];
	char version[__NEW_UTS_LEN + 1];
	char machine[__NEW_UTS_LEN + 1];
	char domainname[__NEW_UTS_LEN + 1];
};

struct user_namespace;
struct ucounts;

struct ns_common {
	atomic_long_t stashed;
	const void *ops;
	unsigned int inum;
};

struct uts_namespace {
	struct kref kref;
	struct new_utsname name;
	struct user_namespace *user_ns;
	struct ucounts *ucounts;
	struct ns_common ns;
};

extern struct uts_namespace init_uts_ns;

static inline struct new_utsname *utsname(void)
{
	return &init_uts_ns.name;
}

static inline struct new_utsname *init_utsname(void)
{
	return &init_uts_ns.name;
}

#endif /* _LINUX_UTSNAME_H */
