/* SPDX-License-Identifier: GPL-2.0 */
/* klpsh: x86 uses the generic errno numbers. */
#ifndef _ASM_X86_ERRNO_H
#define _ASM_X86_ERRNO_H

#include <asm-generic/errno.h>

#endif
