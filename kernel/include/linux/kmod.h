/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: running user-space helpers from the kernel (4.19's linux/kmod.h and
 * umh.h).  The machine has no user-space programs: call_usermodehelper()
 * fails as an exec of a missing file does (-ENOENT), and request_module()
 * finds no modprobe to run.
 */
#ifndef __LINUX_KMOD_H__
#define __LINUX_KMOD_H__

#include <linux/gfp.h>
#include <linux/stddef.h>
#include <linux/errno.h>
#include <linux/compiler.h>
#include <linux/workqueue.h>

#define UMH_NO_WAIT	0	/* don't wait at all */
#define UMH_WAIT_EXEC	1	/* wait for the exec, but not the process */
#define UMH_WAIT_PROC	2	/* wait for the process to complete */
#define UMH_KILLABLE	4	/* wait for EXEC/PROC killable */

extern int call_usermodehelper(const char *path, char **argv, char **envp, int wait);
extern __printf(2, 3) int __request_module(bool wait, const char *name, ...);
#define request_module(mod...) __request_module(true, mod)
#define request_module_nowait(mod...) __request_module(false, mod)

#endif /* __LINUX_KMOD_H__ */
