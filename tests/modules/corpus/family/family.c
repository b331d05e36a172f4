/* family.c - walk current's parent chain and init's children (task_struct lists) */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/list.h>

static int __init family_init(void)
{
	struct task_struct *task;
	struct list_head *list;
	int n = 0;

	for (task = current; task != &init_task; task = task->parent)
		pr_info("family: %s [%d] state %ld\n", task->comm, task->pid, task->state);
	pr_info("family: and %s [%d]\n", init_task.comm, init_task.pid);

	list_for_each(list, &init_task.children) {
		task = list_entry(list, struct task_struct, sibling);
		pr_info("family: child of swapper: %s [%d]\n", task->comm, task->pid);
		n++;
	}
	pr_info("family: swapper has %d children, group leader of current is %s, nr_threads %d\n",
		n, current->group_leader->comm, get_nr_threads(current));
	return 0;
}

static void __exit family_exit(void) { }

module_init(family_init);
module_exit(family_exit);
MODULE_LICENSE("GPL");
