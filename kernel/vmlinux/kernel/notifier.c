// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: notifier chains (the exports of 4.19's kernel/notifier.c):
 * a singly linked list ordered by priority, highest first, equal priorities
 * in registration order; calling walks it until a callback returns with
 * NOTIFY_STOP_MASK set.
 */
#include <linux/notifier.h>
#include <linux/reboot.h>
#include <linux/export.h>

static int klpsh_chain_register(struct notifier_block **nl, struct notifier_block *n)
{
	while (*nl) {
		if (n->priority > (*nl)->priority)
			break;
		nl = &(*nl)->next;
	}
	n->next = *nl;
	*nl = n;
	return 0;
}

static int klpsh_chain_unregister(struct notifier_block **nl, struct notifier_block *n)
{
	while (*nl) {
		if (*nl == n) {
			*nl = n->next;
			return 0;
		}
		nl = &(*nl)->next;
	}
	return -ENOENT;
}

static int klpsh_call_chain(struct notifier_block **nl, unsigned long val, void *v)
{
	struct notifier_block *nb = *nl, *next;
	int ret = NOTIFY_DONE;

	while (nb) {
		next = nb->next;	/* the callback may unregister itself */
		ret = nb->notifier_call(nb, val, v);
		if (ret & NOTIFY_STOP_MASK)
			break;
		nb = next;
	}
	return ret;
}

int atomic_notifier_chain_register(struct atomic_notifier_head *nh, struct notifier_block *n)
{
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&nh->lock, flags);
	ret = klpsh_chain_register(&nh->head, n);
	spin_unlock_irqrestore(&nh->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(atomic_notifier_chain_register);

int atomic_notifier_chain_unregister(struct atomic_notifier_head *nh, struct notifier_block *n)
{
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&nh->lock, flags);
	ret = klpsh_chain_unregister(&nh->head, n);
	spin_unlock_irqrestore(&nh->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(atomic_notifier_chain_unregister);

int atomic_notifier_call_chain(struct atomic_notifier_head *nh, unsigned long val, void *v)
{
	return klpsh_call_chain(&nh->head, val, v);
}
EXPORT_SYMBOL_GPL(atomic_notifier_call_chain);

int blocking_notifier_chain_register(struct blocking_notifier_head *nh, struct notifier_block *n)
{
	int ret;

	down_write(&nh->rwsem);
	ret = klpsh_chain_register(&nh->head, n);
	up_write(&nh->rwsem);
	return ret;
}
EXPORT_SYMBOL_GPL(blocking_notifier_chain_register);

int blocking_notifier_chain_unregister(struct blocking_notifier_head *nh, struct notifier_block *n)
{
	int ret;

	down_write(&nh->rwsem);
	ret = klpsh_chain_unregister(&nh->head, n);
	up_write(&nh->rwsem);
	return ret;
}
EXPORT_SYMBOL_GPL(blocking_notifier_chain_unregister);

int blocking_notifier_call_chain(struct blocking_notifier_head *nh, unsigned long val, void *v)
{
	int ret = NOTIFY_DONE;

	if (nh->head) {
		down_read(&nh->rwsem);
		ret = klpsh_call_chain(&nh->head, val, v);
		up_read(&nh->rwsem);
	}
	return ret;
}
EXPORT_SYMBOL_GPL(blocking_notifier_call_chain);

int raw_notifier_chain_register(struct raw_notifier_head *nh, struct notifier_block *n)
{
	return klpsh_chain_register(&nh->head, n);
}
EXPORT_SYMBOL_GPL(raw_notifier_chain_register);

int raw_notifier_chain_unregister(struct raw_notifier_head *nh, struct notifier_block *n)
{
	return klpsh_chain_unregister(&nh->head, n);
}
EXPORT_SYMBOL_GPL(raw_notifier_chain_unregister);

int raw_notifier_call_chain(struct raw_notifier_head *nh, unsigned long val, void *v)
{
	return klpsh_call_chain(&nh->head, val, v);
}
EXPORT_SYMBOL_GPL(raw_notifier_call_chain);

/* kernel/reboot.c: the machine never reboots, so nothing calls this chain */
static BLOCKING_NOTIFIER_HEAD(reboot_notifier_list);

int register_reboot_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_register(&reboot_notifier_list, nb);
}
EXPORT_SYMBOL(register_reboot_notifier);

int unregister_reboot_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_unregister(&reboot_notifier_list, nb);
}
EXPORT_SYMBOL(unregister_reboot_notifier);
