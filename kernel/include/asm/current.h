/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_CURRENT_H
#define _ASM_X86_CURRENT_H

struct task_struct;

/* the running task, as the simulated scheduler knows it (Python, kernel/ABI.md) */
extern struct task_struct *get_current(void);

#define current get_current()

/* what 4.19's current.h pulls in as well */
#include <linux/cache.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/log2.h>
#include <linux/threads.h>

#endif
