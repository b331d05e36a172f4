/*
 * rcu_list.c - an RCU protected list, readers under rcu_read_lock,
 * updaters under a spinlock, frees with call_rcu and kfree_rcu.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/rculist.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

struct foo {
	int a;
	struct list_head list;
	struct rcu_head rcu;
};

static LIST_HEAD(foo_list);
static DEFINE_SPINLOCK(foo_lock);
static atomic_t callbacks = ATOMIC_INIT(0);

static void foo_reclaim(struct rcu_head *rp)
{
	struct foo *fp = container_of(rp, struct foo, rcu);

	atomic_inc(&callbacks);
	kfree(fp);
}

static void foo_update(int old, int new)
{
	struct foo *fp, *new_fp;

	new_fp = kmalloc(sizeof(*new_fp), GFP_KERNEL);
	if (!new_fp)
		return;
	spin_lock(&foo_lock);
	list_for_each_entry(fp, &foo_list, list) {
		if (fp->a == old) {
			*new_fp = *fp;
			new_fp->a = new;
			list_replace_rcu(&fp->list, &new_fp->list);
			spin_unlock(&foo_lock);
			call_rcu(&fp->rcu, foo_reclaim);
			return;
		}
	}
	spin_unlock(&foo_lock);
	kfree(new_fp);
}

static int foo_sum(void)
{
	struct foo *fp;
	int sum = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(fp, &foo_list, list)
		sum += fp->a;
	rcu_read_unlock();
	return sum;
}

static int rcu_show(struct seq_file *m, void *v)
{
	seq_printf(m, "sum=%d callbacks=%d\n", foo_sum(), atomic_read(&callbacks));
	return 0;
}

static int rcu_open(struct inode *inode, struct file *file)
{
	return single_open(file, rcu_show, NULL);
}

static const struct file_operations rcu_fops = {
	.open = rcu_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static int __init rcu_list_init(void)
{
	int i;
	struct foo *fp;

	for (i = 1; i <= 4; i++) {
		fp = kzalloc(sizeof(*fp), GFP_KERNEL);
		if (!fp)
			return -ENOMEM;
		fp->a = i;
		spin_lock(&foo_lock);
		list_add_rcu(&fp->list, &foo_list);
		spin_unlock(&foo_lock);
	}
	pr_info("rcu_list: sum %d\n", foo_sum());
	foo_update(2, 20);
	synchronize_rcu();
	pr_info("rcu_list: after update sum %d, reclaimed %d\n", foo_sum(),
		atomic_read(&callbacks));
	proc_create("rcu_list", 0444, NULL, &rcu_fops);
	return 0;
}

static void __exit rcu_list_exit(void)
{
	struct foo *fp, *tmp;

	remove_proc_entry("rcu_list", NULL);
	spin_lock(&foo_lock);
	list_for_each_entry_safe(fp, tmp, &foo_list, list) {
		list_del_rcu(&fp->list);
		kfree_rcu(fp, rcu);
	}
	spin_unlock(&foo_lock);
	rcu_barrier();
	pr_info("rcu_list: exit, %d call_rcu callbacks ran\n", atomic_read(&callbacks));
}

module_init(rcu_list_init);
module_exit(rcu_list_exit);
MODULE_LICENSE("GPL");
