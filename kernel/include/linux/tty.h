/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: linux/tty.h of 4.19, what a module reads of it: the leading members
 * of struct tty_struct (at 4.19's x86-64 offsets; the rest left out), the
 * controlling tty of current (get_current_tty() takes a reference that
 * tty_kref_put() drops).  The shell's terminal is the one tty klpsh has.
 */
#ifndef _LINUX_TTY_H
#define _LINUX_TTY_H

#include <linux/fs.h>
#include <linux/major.h>
#include <linux/workqueue.h>
#include <linux/tty_driver.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/llist.h>

struct device;

struct tty_struct {
	int	magic;
	struct kref kref;
	struct device *dev;
	struct tty_driver *driver;
	const struct tty_operations *ops;
	int index;
};

#define TTY_MAGIC		0x5401

extern struct tty_struct *get_current_tty(void);
extern void tty_kref_put(struct tty_struct *tty);

#endif /* _LINUX_TTY_H */
