/* SPDX-License-Identifier: GPL-2.0 */
/* klpsh: x86 uses the generic ioctl numbering. */
#ifndef _ASM_X86_IOCTL_H
#define _ASM_X86_IOCTL_H

#include <asm-generic/ioctl.h>

#endif
