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

#endif
