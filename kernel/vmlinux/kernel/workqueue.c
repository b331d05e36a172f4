// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: the system workqueue objects.  Work queueing is Python
 * (kernel/workqueue.py); this only gives each system workqueue an address,
 * so that modules can pass it to queue_work() and the kernel can recognise
 * it.  A workqueue a module allocates is the same small object on the heap.
 */
#include <linux/workqueue.h>
#include <linux/export.h>

/* private to vmlinux: the kernel looks only at the address (and the name) */
struct workqueue_struct {
	char name[24];
};

#define KLPSH_SYSTEM_WQ(var, wqname)					\
	static struct workqueue_struct klpsh_##var = { .name = wqname };\
	struct workqueue_struct *var = &klpsh_##var;			\
	EXPORT_SYMBOL(var)

KLPSH_SYSTEM_WQ(system_wq, "events");
KLPSH_SYSTEM_WQ(system_highpri_wq, "events_highpri");
KLPSH_SYSTEM_WQ(system_long_wq, "events_long");
KLPSH_SYSTEM_WQ(system_unbound_wq, "events_unbound");
KLPSH_SYSTEM_WQ(system_freezable_wq, "events_freezable");
KLPSH_SYSTEM_WQ(system_power_efficient_wq, "events_power_efficient");
/* WQ_NAME_LEN is 24: the name is cut as alloc_workqueue() cuts it */
KLPSH_SYSTEM_WQ(system_freezable_power_efficient_wq, "events_freezable_power_");
