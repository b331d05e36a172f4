// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: kthread workers, as 4.19's kernel/kthread.c has them.  A
 * worker is a kernel thread looping over worker->work_list; delayed works
 * wait on worker->delayed_work_list for their timer; a flush queues a work
 * that completes a completion behind the one(s) being waited for.
 */
#define KLPSH_SOURCE "kernel/kthread.c"	/* its WARNs and BUGs at 4.19.0's lines there */
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/export.h>
#include <linux/slab.h>
#include <linux/bug.h>
#include <linux/jiffies.h>

void __kthread_init_worker(struct kthread_worker *worker, const char *name,
			   struct lock_class_key *key)
{
	memset(worker, 0, sizeof(struct kthread_worker));
	spin_lock_init(&worker->lock);
	INIT_LIST_HEAD(&worker->work_list);
	INIT_LIST_HEAD(&worker->delayed_work_list);
}
EXPORT_SYMBOL_GPL(__kthread_init_worker);

/* the thread function of a worker: run queued works until kthread_stop() */
int kthread_worker_fn(void *worker_ptr)
{
	struct kthread_worker *worker = worker_ptr;
	struct kthread_work *work;

	WARN_ON_AT(633, worker->task && worker->task != current);
	worker->task = current;

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			spin_lock_irq(&worker->lock);
			worker->task = NULL;
			spin_unlock_irq(&worker->lock);
			return 0;
		}

		spin_lock_irq(&worker->lock);
		work = list_first_entry_or_null(&worker->work_list,
						struct kthread_work, node);
		if (work)
			list_del_init(&work->node);
		worker->current_work = work;
		spin_unlock_irq(&worker->lock);

		if (work) {
			__set_current_state(TASK_RUNNING);
			work->func(work);
		} else {
			schedule();
		}
		cond_resched();
	}
}
EXPORT_SYMBOL_GPL(kthread_worker_fn);

static struct kthread_worker *
__kthread_create_worker(int cpu, unsigned int flags, const char namefmt[], va_list args)
{
	struct kthread_worker *worker;
	struct task_struct *task;
	char name[TASK_COMM_LEN * 4];

	worker = kzalloc(sizeof(*worker), GFP_KERNEL);
	if (!worker)
		return ERR_PTR(-ENOMEM);
	kthread_init_worker(worker);
	vsnprintf(name, sizeof(name), namefmt, args);
	task = kthread_create(kthread_worker_fn, worker, "%s", name);
	if (IS_ERR(task)) {
		kfree(worker);
		return ERR_CAST(task);
	}
	worker->flags = flags;
	worker->task = task;
	wake_up_process(task);
	return worker;
}

struct kthread_worker *kthread_create_worker(unsigned int flags, const char namefmt[], ...)
{
	struct kthread_worker *worker;
	va_list args;

	va_start(args, namefmt);
	worker = __kthread_create_worker(-1, flags, namefmt, args);
	va_end(args);
	return worker;
}
EXPORT_SYMBOL(kthread_create_worker);

/* the thread is not bound to CPU here: the scheduler places it as any kthread */
struct kthread_worker *kthread_create_worker_on_cpu(int cpu, unsigned int flags,
						    const char namefmt[], ...)
{
	struct kthread_worker *worker;
	va_list args;

	va_start(args, namefmt);
	worker = __kthread_create_worker(cpu, flags, namefmt, args);
	va_end(args);
	return worker;
}
EXPORT_SYMBOL(kthread_create_worker_on_cpu);

/* a work is queued already, or someone is canceling it */
static inline bool queuing_blocked(struct kthread_worker *worker, struct kthread_work *work)
{
	return !list_empty(&work->node) || work->canceling;
}

static void kthread_insert_work_sanity_check(struct kthread_worker *worker,
					     struct kthread_work *work)
{
	WARN_ON_ONCE_AT(779, !list_empty(&work->node));
	/* a work is used with one worker only */
	WARN_ON_ONCE_AT(781, work->worker && work->worker != worker);
}

/* with worker->lock held: put WORK before POS and wake an idle worker */
static void kthread_insert_work(struct kthread_worker *worker, struct kthread_work *work,
				struct list_head *pos)
{
	kthread_insert_work_sanity_check(worker, work);
	list_add_tail(&work->node, pos);
	work->worker = worker;
	if (!worker->current_work && likely(worker->task))
		wake_up_process(worker->task);
}

bool kthread_queue_work(struct kthread_worker *worker, struct kthread_work *work)
{
	bool ret = false;
	unsigned long flags;

	spin_lock_irqsave(&worker->lock, flags);
	if (!queuing_blocked(worker, work)) {
		kthread_insert_work(worker, work, &worker->work_list);
		ret = true;
	}
	spin_unlock_irqrestore(&worker->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(kthread_queue_work);

/* the timer of a delayed work: move it from the delayed list to the work list */
void kthread_delayed_work_timer_fn(struct timer_list *t)
{
	struct kthread_delayed_work *dwork = from_timer(dwork, t, timer);
	struct kthread_work *work = &dwork->work;
	struct kthread_worker *worker = work->worker;

	if (WARN_ON_ONCE_AT(843, !worker))
		return;

	spin_lock(&worker->lock);
	WARN_ON_ONCE_AT(848, work->worker != worker);
	list_del_init(&work->node);
	if (!work->canceling)
		kthread_insert_work(worker, work, &worker->work_list);
	spin_unlock(&worker->lock);
}
EXPORT_SYMBOL(kthread_delayed_work_timer_fn);

static void __kthread_queue_delayed_work(struct kthread_worker *worker,
					 struct kthread_delayed_work *dwork,
					 unsigned long delay)
{
	struct timer_list *timer = &dwork->timer;
	struct kthread_work *work = &dwork->work;

	WARN_ON_ONCE_AT(866, timer->function != kthread_delayed_work_timer_fn);

	if (!delay) {
		kthread_insert_work(worker, work, &worker->work_list);
		return;
	}
	kthread_insert_work_sanity_check(worker, work);
	list_add(&work->node, &worker->delayed_work_list);
	work->worker = worker;
	timer->expires = jiffies + delay;
	add_timer(timer);
}

bool kthread_queue_delayed_work(struct kthread_worker *worker,
				struct kthread_delayed_work *dwork, unsigned long delay)
{
	struct kthread_work *work = &dwork->work;
	unsigned long flags;
	bool ret = false;

	spin_lock_irqsave(&worker->lock, flags);
	if (!queuing_blocked(worker, work)) {
		__kthread_queue_delayed_work(worker, dwork, delay);
		ret = true;
	}
	spin_unlock_irqrestore(&worker->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(kthread_queue_delayed_work);

struct kthread_flush_work {
	struct kthread_work	work;
	struct completion	done;
};

static void kthread_flush_work_fn(struct kthread_work *work)
{
	struct kthread_flush_work *fwork = container_of(work, struct kthread_flush_work, work);

	complete(&fwork->done);
}

void kthread_flush_work(struct kthread_work *work)
{
	struct kthread_flush_work fwork;
	struct kthread_worker *worker;
	bool noop = false;

	kthread_init_work(&fwork.work, kthread_flush_work_fn);
	init_completion(&fwork.done);

	worker = work->worker;
	if (!worker)
		return;

	spin_lock_irq(&worker->lock);
	WARN_ON_ONCE_AT(956, work->worker != worker);
	if (!list_empty(&work->node))		/* queued: right behind it */
		kthread_insert_work(worker, &fwork.work, work->node.next);
	else if (worker->current_work == work)	/* running: next in line */
		kthread_insert_work(worker, &fwork.work, worker->work_list.next);
	else
		noop = true;
	spin_unlock_irq(&worker->lock);

	if (!noop)
		wait_for_completion(&fwork.done);
}
EXPORT_SYMBOL_GPL(kthread_flush_work);

/* with worker->lock held (dropped around del_timer_sync): take WORK off its list */
static bool __kthread_cancel_work(struct kthread_work *work, bool is_dwork, unsigned long *flags)
{
	if (is_dwork) {
		struct kthread_delayed_work *dwork =
			container_of(work, struct kthread_delayed_work, work);
		struct kthread_worker *worker = work->worker;

		work->canceling++;
		spin_unlock_irqrestore(&worker->lock, *flags);
		del_timer_sync(&dwork->timer);
		spin_lock_irqsave(&worker->lock, *flags);
		work->canceling--;
	}
	if (!list_empty(&work->node)) {
		list_del_init(&work->node);
		return true;
	}
	return false;
}

bool kthread_mod_delayed_work(struct kthread_worker *worker,
			      struct kthread_delayed_work *dwork, unsigned long delay)
{
	struct kthread_work *work = &dwork->work;
	unsigned long flags;
	int ret = false;

	spin_lock_irqsave(&worker->lock, flags);
	if (work->worker) {
		WARN_ON_ONCE_AT(1055, work->worker != worker);
		if (work->canceling)		/* someone else is canceling it */
			goto out;
		ret = __kthread_cancel_work(work, true, &flags);
	}
	__kthread_queue_delayed_work(worker, dwork, delay);
out:
	spin_unlock_irqrestore(&worker->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(kthread_mod_delayed_work);

static bool __kthread_cancel_work_sync(struct kthread_work *work, bool is_dwork)
{
	struct kthread_worker *worker = work->worker;
	unsigned long flags;
	int ret = false;

	if (!worker)
		return false;

	spin_lock_irqsave(&worker->lock, flags);
	WARN_ON_ONCE_AT(1081, work->worker != worker);
	ret = __kthread_cancel_work(work, is_dwork, &flags);
	if (worker->current_work == work) {
		/* running: wait for it, keeping it from being queued meanwhile */
		work->canceling++;
		spin_unlock_irqrestore(&worker->lock, flags);
		kthread_flush_work(work);
		spin_lock_irqsave(&worker->lock, flags);
		work->canceling--;
	}
	spin_unlock_irqrestore(&worker->lock, flags);
	return ret;
}

bool kthread_cancel_work_sync(struct kthread_work *work)
{
	return __kthread_cancel_work_sync(work, false);
}
EXPORT_SYMBOL_GPL(kthread_cancel_work_sync);

bool kthread_cancel_delayed_work_sync(struct kthread_delayed_work *dwork)
{
	return __kthread_cancel_work_sync(&dwork->work, true);
}
EXPORT_SYMBOL_GPL(kthread_cancel_delayed_work_sync);

void kthread_flush_worker(struct kthread_worker *worker)
{
	struct kthread_flush_work fwork;

	kthread_init_work(&fwork.work, kthread_flush_work_fn);
	init_completion(&fwork.done);
	kthread_queue_work(worker, &fwork.work);
	wait_for_completion(&fwork.done);
}
EXPORT_SYMBOL_GPL(kthread_flush_worker);

void kthread_destroy_worker(struct kthread_worker *worker)
{
	struct task_struct *task = worker->task;

	if (WARN_ON_AT(1173, !task))
		return;
	kthread_flush_worker(worker);
	kthread_stop(task);
	WARN_ON_AT(1178, !list_empty(&worker->work_list));
	kfree(worker);
}
EXPORT_SYMBOL(kthread_destroy_worker);
