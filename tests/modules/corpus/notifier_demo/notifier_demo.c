/*
 * notifier_demo.c - a private blocking notifier chain plus the module notifier
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/notifier.h>

static BLOCKING_NOTIFIER_HEAD(demo_chain);

static int first_cb(struct notifier_block *nb, unsigned long action, void *data)
{
	pr_info("notifier_demo: first got event %lu\n", action);
	return NOTIFY_OK;
}

static int second_cb(struct notifier_block *nb, unsigned long action, void *data)
{
	pr_info("notifier_demo: second got event %lu\n", action);
	return action == 2 ? NOTIFY_STOP : NOTIFY_DONE;
}

static struct notifier_block nb1 = { .notifier_call = first_cb, .priority = 0 };
static struct notifier_block nb2 = { .notifier_call = second_cb, .priority = 10 };

static int mod_cb(struct notifier_block *nb, unsigned long action, void *data)
{
	struct module *mod = data;

	pr_info("notifier_demo: module %s state %lu\n", mod->name, action);
	return NOTIFY_OK;
}

static struct notifier_block mod_nb = { .notifier_call = mod_cb };

static int __init nd_init(void)
{
	blocking_notifier_chain_register(&demo_chain, &nb1);
	blocking_notifier_chain_register(&demo_chain, &nb2);
	blocking_notifier_call_chain(&demo_chain, 1, NULL);
	blocking_notifier_call_chain(&demo_chain, 2, NULL);
	return register_module_notifier(&mod_nb);
}

static void __exit nd_exit(void)
{
	unregister_module_notifier(&mod_nb);
	blocking_notifier_chain_unregister(&demo_chain, &nb1);
	blocking_notifier_chain_unregister(&demo_chain, &nb2);
	pr_info("notifier_demo: bye\n");
}

module_init(nd_init);
module_exit(nd_exit);
MODULE_LICENSE("GPL");
