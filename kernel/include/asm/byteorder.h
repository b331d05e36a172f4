/* SPDX-License-Identifier: GPL-2.0 */
/* klpsh: x86 is little-endian (4.19's asm/byteorder.h; linux/kernel.h pulls it in). */
#ifndef _ASM_X86_BYTEORDER_H
#define _ASM_X86_BYTEORDER_H

#include <linux/byteorder/little_endian.h>

#endif /* _ASM_X86_BYTEORDER_H */
