// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: capable() and friends (4.19's kernel/capability.c with the
 * commoncap check: a capability is held if it is in the effective set of the
 * credentials, which for every task here is init_cred's full set).
 */
#define KLPSH_SOURCE "kernel/capability.c"	/* its WARNs and BUGs at 4.19.0's lines there */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/export.h>
#include <linux/fs.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/bug.h>

/* security_capable() with only the capability module: the effective set decides */
static bool cred_has_cap(const struct cred *cred, int cap)
{
	return cap_raised(cred->cap_effective, cap) != 0;
}

static bool ns_capable_common(struct user_namespace *ns, int cap, bool audit)
{
	if (unlikely(!cap_valid(cap))) {
		pr_crit("capable() called with invalid cap=%u\n", cap);
		BUG_AT(372);
	}
	if (cred_has_cap(current_cred(), cap)) {
		current->flags |= PF_SUPERPRIV;
		return true;
	}
	return false;
}

bool ns_capable(struct user_namespace *ns, int cap)
{
	return ns_capable_common(ns, cap, true);
}
EXPORT_SYMBOL(ns_capable);

bool ns_capable_noaudit(struct user_namespace *ns, int cap)
{
	return ns_capable_common(ns, cap, false);
}
EXPORT_SYMBOL(ns_capable_noaudit);

bool capable(int cap)
{
	return ns_capable(&init_user_ns, cap);
}
EXPORT_SYMBOL(capable);

/* every inode's owner maps into the initial namespace */
bool capable_wrt_inode_uidgid(const struct inode *inode, int cap)
{
	return ns_capable(current_user_ns(), cap);
}
EXPORT_SYMBOL(capable_wrt_inode_uidgid);

/* T's credentials, without marking T as having used a privilege */
bool has_capability(struct task_struct *t, int cap)
{
	return t && cred_has_cap(t->cred, cap);
}
EXPORT_SYMBOL(has_capability);
