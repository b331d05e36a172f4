/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: the version magic every module records in .modinfo ("vermagic=")
 * and the loader compares with its own (kernel/profile.py: the profile's vermagic).
 * UTS_RELEASE comes from the include directory of the kernel built for.
 */
#ifndef _LINUX_VERMAGIC_H
#define _LINUX_VERMAGIC_H

#include <generated/utsrelease.h>

#define MODULE_VERMAGIC_SMP		"SMP "
#define MODULE_VERMAGIC_PREEMPT		""
#define MODULE_VERMAGIC_MODULE_UNLOAD	"mod_unload "
#define MODULE_VERMAGIC_MODVERSIONS	""
#define MODULE_ARCH_VERMAGIC		""
#define MODULE_RANDSTRUCT_PLUGIN

#define VERMAGIC_STRING							\
	UTS_RELEASE " "							\
	MODULE_VERMAGIC_SMP MODULE_VERMAGIC_PREEMPT			\
	MODULE_VERMAGIC_MODULE_UNLOAD MODULE_VERMAGIC_MODVERSIONS	\
	MODULE_ARCH_VERMAGIC						\
	MODULE_RANDSTRUCT_PLUGIN

#endif
