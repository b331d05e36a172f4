/* SPDX-License-Identifier: GPL-2.0 */
/* klpsh: the open flags a driver tests in file->f_flags (O_NONBLOCK, O_APPEND ...). */
#ifndef _LINUX_FCNTL_H
#define _LINUX_FCNTL_H

#include <asm-generic/fcntl.h>

#define AT_FDCWD		-100
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_REMOVEDIR		0x200

/* what 4.19's fcntl.h pulls in as well */
#include <linux/types.h>

#endif /* _LINUX_FCNTL_H */
