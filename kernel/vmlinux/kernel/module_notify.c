// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: the module notifier chain of 4.19's kernel/module.c.  The
 * loader (kernel/module/main.py) calls it with MODULE_STATE_COMING before a
 * module's init, MODULE_STATE_LIVE after it, and MODULE_STATE_GOING after its
 * exit (or a failed init), when the chain has any member.
 */
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/export.h>

BLOCKING_NOTIFIER_HEAD(module_notify_list);

int register_module_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_register(&module_notify_list, nb);
}
EXPORT_SYMBOL(register_module_notifier);

int unregister_module_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_unregister(&module_notify_list, nb);
}
EXPORT_SYMBOL(unregister_module_notifier);

/* blocking_notifier_call_chain(&module_notify_list, STATE, MOD), for the loader */
int klpsh_module_notify(unsigned long state, struct module *mod)
{
	return blocking_notifier_call_chain(&module_notify_list, state, mod);
}
