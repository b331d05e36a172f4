// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: the system workqueue object.  Work queueing is Python
 * (kernel/sched.py); this only gives system_wq an address, so that modules
 * can pass it to queue_work() and the kernel can recognise it.
 */
#include <linux/workqueue.h>
#include <linux/export.h>

/* private to vmlinux: the kernel looks only at the address */
struct workqueue_struct {
	char name[24];
};

static struct workqueue_struct klpsh_system_wq = {
	.name = "events",
};

struct workqueue_struct *system_wq = &klpsh_system_wq;
EXPORT_SYMBOL(system_wq);
