/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: poll/select support for drivers (4.19's linux/poll.h): the event
 * bits, and poll_wait() handing the wait queue to the poll table's queueing
 * function (NULL when the caller does not wait).
 */
#ifndef _LINUX_POLL_H
#define _LINUX_POLL_H

#include <linux/compiler.h>
#include <linux/ktime.h>
#include <linux/wait.h>
#include <linux/string.h>
#include <linux/fs.h>
#include <linux/uaccess.h>

#define POLLIN		0x0001
#define POLLPRI		0x0002
#define POLLOUT		0x0004
#define POLLERR		0x0008
#define POLLHUP		0x0010
#define POLLNVAL	0x0020
#define POLLRDNORM	0x0040
#define POLLRDBAND	0x0080
#define POLLWRNORM	0x0100
#define POLLWRBAND	0x0200
#define POLLMSG		0x0400
#define POLLREMOVE	0x1000
#define POLLRDHUP	0x2000

#define EPOLLIN		((__force __poll_t)POLLIN)
#define EPOLLPRI	((__force __poll_t)POLLPRI)
#define EPOLLOUT	((__force __poll_t)POLLOUT)
#define EPOLLERR	((__force __poll_t)POLLERR)
#define EPOLLHUP	((__force __poll_t)POLLHUP)
#define EPOLLRDNORM	((__force __poll_t)POLLRDNORM)
#define EPOLLWRNORM	((__force __poll_t)POLLWRNORM)

struct poll_table_struct;

typedef void (*poll_queue_proc)(struct file *, wait_queue_head_t *, struct poll_table_struct *);

typedef struct poll_table_struct {
	poll_queue_proc _qproc;
	__poll_t _key;
} poll_table;

static inline void poll_wait(struct file *filp, wait_queue_head_t *wait_address, poll_table *p)
{
	if (p && p->_qproc && wait_address)
		p->_qproc(filp, wait_address, p);
}

static inline bool poll_does_not_wait(const poll_table *p)
{
	return p == NULL || p->_qproc == NULL;
}

static inline __poll_t poll_requested_events(const poll_table *p)
{
	return p ? p->_key : ~(__poll_t)0;
}

#endif /* _LINUX_POLL_H */
