/* SPDX-License-Identifier: GPL-2.0 */
/* klpsh: what a kernel module takes from linux/ptrace.h: struct pt_regs and its helpers. */
#ifndef _LINUX_PTRACE_H
#define _LINUX_PTRACE_H

#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <asm/ptrace.h>

#endif
