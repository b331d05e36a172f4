// SPDX-License-Identifier: GPL-2.0
/* lib/ helpers a tutorial reaches for: notifier chains, sort, list_sort, ratelimit, hex dumps, cred. */
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/reboot.h>
#include <linux/sort.h>
#include <linux/list_sort.h>
#include <linux/slab.h>
#include <linux/cred.h>

static BLOCKING_NOTIFIER_HEAD(chain);
static ATOMIC_NOTIFIER_HEAD(achain);

static int first(struct notifier_block *nb, unsigned long v, void *d)
{
	pr_info("first %lu\n", v);
	return v == 2 ? NOTIFY_STOP : NOTIFY_OK;
}

static int second(struct notifier_block *nb, unsigned long v, void *d)
{
	pr_info("second %lu\n", v);
	return NOTIFY_DONE;
}

static struct notifier_block nb_lo = { .notifier_call = second, .priority = 0 };
static struct notifier_block nb_hi = { .notifier_call = first, .priority = 10 };
static struct notifier_block nb_a = { .notifier_call = second };

struct item { int v; struct list_head list; };

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static int cmp_item(void *priv, struct list_head *a, struct list_head *b)
{
	return list_entry(a, struct item, list)->v / 10 - list_entry(b, struct item, list)->v / 10;
}

static int __init lib_demo_init(void)
{
	int v[] = { 42, -3, 17, 8, 99, 0, 17 }, i, ret;
	int keys[] = { 31, 12, 35, 10, 19 };
	struct item items[5], *it;
	LIST_HEAD(head);
	u8 bytes[] = { 0x00, 0x41, 0x7f, 0xff, 0x10, 0x20 };

	blocking_notifier_chain_register(&chain, &nb_lo);
	blocking_notifier_chain_register(&chain, &nb_hi);
	ret = blocking_notifier_call_chain(&chain, 1, NULL);
	pr_info("chain 1 -> %#x\n", ret);
	ret = blocking_notifier_call_chain(&chain, 2, NULL);
	pr_info("chain 2 -> %#x errno %d\n", ret, notifier_to_errno(notifier_from_errno(-EBUSY)));
	blocking_notifier_chain_unregister(&chain, &nb_hi);
	pr_info("unregister again: %d\n", blocking_notifier_chain_unregister(&chain, &nb_hi));
	atomic_notifier_chain_register(&achain, &nb_a);
	atomic_notifier_call_chain(&achain, 3, NULL);
	register_reboot_notifier(&nb_hi);
	unregister_reboot_notifier(&nb_hi);

	sort(v, ARRAY_SIZE(v), sizeof(int), cmp_int, NULL);
	pr_info("sorted %d %d %d %d %d %d %d\n", v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
	for (i = 0; i < 5; i++) {
		items[i].v = keys[i];
		list_add_tail(&items[i].list, &head);
	}
	list_sort(NULL, &head, cmp_item);
	list_for_each_entry(it, &head, list)
		pr_info("list_sort %d\n", it->v);
	pr_info("prev of head is %d\n", list_entry(head.prev, struct item, list)->v);

	for (i = 0; i < 15; i++)
		pr_info_ratelimited("rl %d\n", i);
	print_hex_dump(KERN_INFO, "hex ", DUMP_PREFIX_OFFSET, 16, 2, bytes, sizeof(bytes), true);
	print_hex_dump(KERN_INFO, "", DUMP_PREFIX_NONE, 16, 1, bytes, 3, false);
	pr_info("hex_asc_hi(0xa5)=%c lo=%c hex_to_bin('F')=%d\n", hex_asc_hi(0xa5), hex_asc_lo(0xa5),
		hex_to_bin('F'));
	pr_info("uid %u euid %u root %d\n", from_kuid(&init_user_ns, current_uid()),
		__kuid_val(current_euid()), uid_eq(current_uid(), GLOBAL_ROOT_UID));
	return 0;
}

static void __exit lib_demo_exit(void)
{
	pr_info_ratelimited("rl at exit\n");
	blocking_notifier_chain_unregister(&chain, &nb_lo);
	atomic_notifier_chain_unregister(&achain, &nb_a);
}

module_init(lib_demo_init);
module_exit(lib_demo_exit);
MODULE_LICENSE("GPL");
