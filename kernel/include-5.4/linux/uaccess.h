/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: 5.4's access_ok(addr, size): 5.0 dropped its type argument and
 * VERIFY_READ/VERIFY_WRITE.  The rest is the shared header, included next.
 */
#ifndef __KLPSH_UACCESS_5_4_H
#define __KLPSH_UACCESS_5_4_H
#define access_ok(addr, size)	klpsh_access_ok((addr), (size))
#endif

#include_next <linux/uaccess.h>
