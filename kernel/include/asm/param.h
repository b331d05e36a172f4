/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_PARAM_H
#define _ASM_X86_PARAM_H

#define HZ		1000	/* CONFIG_HZ: jiffies per second */
#define USER_HZ		100	/* what times() and friends report */
#define CLOCKS_PER_SEC	USER_HZ

#endif
