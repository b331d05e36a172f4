/* SPDX-License-Identifier: GPL-2.0 */
/* klpsh: kernel threads, implemented by the Python scheduler (kernel/ABI.md). */
#ifndef _LINUX_KTHREAD_H
#define _LINUX_KTHREAD_H

#include <linux/err.h>
#include <linux/sched.h>
#include <linux/numa.h>

/* The new thread is created stopped; wake_up_process() starts it. */
extern __printf(4, 5)
struct task_struct *kthread_create_on_node(int (*threadfn)(void *data), void *data,
					   int node, const char namefmt[], ...);

#define kthread_create(threadfn, data, namefmt, arg...) \
	kthread_create_on_node(threadfn, data, NUMA_NO_NODE, namefmt, ##arg)

/* create and start a thread; evaluates to the task or an ERR_PTR */
#define kthread_run(threadfn, data, namefmt, ...)				\
({										\
	struct task_struct *__k							\
		= kthread_create(threadfn, data, namefmt, ##__VA_ARGS__);	\
	if (!IS_ERR(__k))							\
		wake_up_process(__k);						\
	__k;									\
})

extern int kthread_stop(struct task_struct *k);
extern bool kthread_should_stop(void);

/* what 4.19's kthread.h pulls in as well */
#include <linux/kref.h>
#include <linux/seq_file.h>
#include <linux/cred.h>
#include <linux/idr.h>
#include <linux/interrupt.h>

#endif /* _LINUX_KTHREAD_H */
