/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: POSIX capabilities (4.19's linux/capability.h and its uapi numbers).
 * Every task runs with init_cred, whose effective set is full, so capable()
 * says yes; it checks the set as 4.19 does and marks the task PF_SUPERPRIV.
 */
#ifndef _LINUX_CAPABILITY_H
#define _LINUX_CAPABILITY_H

#include <linux/types.h>

#define _KERNEL_CAPABILITY_U32S	2		/* _LINUX_CAPABILITY_U32S_3 */

typedef struct kernel_cap_struct {
	__u32 cap[_KERNEL_CAPABILITY_U32S];
} kernel_cap_t;

#define CAP_CHOWN		0
#define CAP_DAC_OVERRIDE	1
#define CAP_DAC_READ_SEARCH	2
#define CAP_FOWNER		3
#define CAP_FSETID		4
#define CAP_KILL		5
#define CAP_SETGID		6
#define CAP_SETUID		7
#define CAP_SETPCAP		8
#define CAP_LINUX_IMMUTABLE	9
#define CAP_NET_BIND_SERVICE	10
#define CAP_NET_BROADCAST	11
#define CAP_NET_ADMIN		12
#define CAP_NET_RAW		13
#define CAP_IPC_LOCK		14
#define CAP_IPC_OWNER		15
#define CAP_SYS_MODULE		16
#define CAP_SYS_RAWIO		17
#define CAP_SYS_CHROOT		18
#define CAP_SYS_PTRACE		19
#define CAP_SYS_PACCT		20
#define CAP_SYS_ADMIN		21
#define CAP_SYS_BOOT		22
#define CAP_SYS_NICE		23
#define CAP_SYS_RESOURCE	24
#define CAP_SYS_TIME		25
#define CAP_SYS_TTY_CONFIG	26
#define CAP_MKNOD		27
#define CAP_LEASE		28
#define CAP_AUDIT_WRITE		29
#define CAP_AUDIT_CONTROL	30
#define CAP_SETFCAP		31
#define CAP_MAC_OVERRIDE	32
#define CAP_MAC_ADMIN		33
#define CAP_SYSLOG		34
#define CAP_WAKE_ALARM		35
#define CAP_BLOCK_SUSPEND	36
#define CAP_AUDIT_READ		37

#define CAP_LAST_CAP		CAP_AUDIT_READ
#define cap_valid(x)		((x) >= 0 && (x) <= CAP_LAST_CAP)

#define CAP_TO_INDEX(x)		((x) >> 5)		/* 1 << 5 == bits in __u32 */
#define CAP_TO_MASK(x)		(1 << ((x) & 31))	/* mask for indexed __u32 */

#define CAP_EMPTY_SET		((kernel_cap_t){{ 0, 0 }})
#define CAP_FULL_SET		((kernel_cap_t){{ ~0, ((1 << ((CAP_LAST_CAP + 1) & 31)) - 1) }})

#define cap_raise(c, flag)	((c).cap[CAP_TO_INDEX(flag)] |= CAP_TO_MASK(flag))
#define cap_lower(c, flag)	((c).cap[CAP_TO_INDEX(flag)] &= ~CAP_TO_MASK(flag))
#define cap_raised(c, flag)	((c).cap[CAP_TO_INDEX(flag)] & CAP_TO_MASK(flag))

static inline bool cap_isclear(const kernel_cap_t a)
{
	unsigned int i;

	for (i = 0; i < _KERNEL_CAPABILITY_U32S; i++)
		if (a.cap[i] != 0)
			return false;
	return true;
}

struct task_struct;
struct user_namespace;
struct inode;

extern bool has_capability(struct task_struct *t, int cap);
extern bool capable(int cap);
extern bool ns_capable(struct user_namespace *ns, int cap);
extern bool ns_capable_noaudit(struct user_namespace *ns, int cap);
extern bool capable_wrt_inode_uidgid(const struct inode *inode, int cap);

#endif /* _LINUX_CAPABILITY_H */
