// SPDX-License-Identifier: GPL-2.0
/* Writes a line to the controlling terminal of whoever loads or unloads it, through the tty's
 * driver methods; the worker thread (a kernel thread) has no terminal. */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/workqueue.h>
#include <linux/tty.h>

MODULE_LICENSE("GPL");

static int kthread_has_tty = -1;

static void say(const char *what)
{
	struct tty_struct *tty = get_current_tty();
	const struct tty_operations *ops;

	if (!tty)
		return;
	ops = tty->driver->ops;
	ops->write(tty, what, strlen(what));
	ops->write(tty, "\r\n", 2);
	tty_kref_put(tty);
}

static void probe(struct work_struct *w)
{
	struct tty_struct *tty = get_current_tty();

	kthread_has_tty = tty != NULL;
	tty_kref_put(tty);
}
static DECLARE_WORK(probe_work, probe);

static int __init tty_demo_init(void)
{
	struct tty_struct *old = current->signal->tty;

	say("tty_demo: hello from the terminal");
	if (old)	/* the older spelling reaches the same method */
		(old->driver->ops->write)(old, "tty_demo: same tty\r\n", 20);
	schedule_work(&probe_work);
	flush_work(&probe_work);
	pr_info("tty_demo: kthread tty %d, magic %x, driver %s, ops %s\n", kthread_has_tty,
		old ? old->magic : 0, old ? old->driver->name : "-",
		old && old->ops == old->driver->ops ? "shared" : "-");
	return 0;
}

static void __exit tty_demo_exit(void)
{
	say("tty_demo: goodbye");
}

module_init(tty_demo_init);
module_exit(tty_demo_exit);
