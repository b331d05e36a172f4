/* SPDX-License-Identifier: GPL-2.0 */
/* klpsh: _IO, _IOR, _IOW, _IOWR and the _IOC_* decoders. */
#ifndef _LINUX_IOCTL_H
#define _LINUX_IOCTL_H

#include <asm/ioctl.h>

#endif
