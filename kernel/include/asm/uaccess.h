/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: the user-copy interface.  Modules written for kernels before 4.12
 * include <asm/uaccess.h> for copy_to_user() as well as get_user()/put_user(),
 * so this gives both (linux/uaccess.h has them all, and includes this file
 * as 4.19's does).
 */
#ifndef _ASM_X86_UACCESS_H
#define _ASM_X86_UACCESS_H

#include <linux/uaccess.h>

/*
 * The address limit: user accesses (access_ok(), copy_to_user() ...) take
 * only user memory under USER_DS, any kernel memory under KERNEL_DS.  A user
 * task starts with USER_DS, a kernel thread with KERNEL_DS, as on 4.19.
 */
#define MAKE_MM_SEG(s)	((mm_segment_t) { (s) })

#define KERNEL_DS	MAKE_MM_SEG(-1UL)
#define USER_DS		MAKE_MM_SEG((1UL << 47) - PAGE_SIZE)	/* TASK_SIZE_MAX */

#define get_ds()	(KERNEL_DS)
#define get_fs()	(current->thread.addr_limit)
#define set_fs(x)	(current->thread.addr_limit = (x))

#define segment_eq(a, b)	((a).seg == (b).seg)
#define uaccess_kernel()	segment_eq(get_fs(), KERNEL_DS)
#define user_addr_max()		(current->thread.addr_limit.seg)

#endif
