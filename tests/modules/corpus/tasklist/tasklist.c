/*
 * tasklist.c - list every process (for_each_process) at load time and in
 * /proc/tasklist, as the OS-concepts "listing tasks" project does.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

static int tasklist_show(struct seq_file *m, void *v)
{
	struct task_struct *task;

	seq_printf(m, "%-16s %6s %6s %s\n", "COMM", "PID", "PPID", "KTHREAD");
	rcu_read_lock();
	for_each_process(task)
		seq_printf(m, "%-16s %6d %6d %s\n", task->comm, task->pid,
			   task->real_parent->pid, task->mm ? "no" : "yes");
	rcu_read_unlock();
	return 0;
}

static int tasklist_open(struct inode *inode, struct file *file)
{
	return single_open(file, tasklist_show, NULL);
}

static const struct file_operations tasklist_fops = {
	.open = tasklist_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static int __init tasklist_init(void)
{
	struct task_struct *task;
	int n = 0;

	for_each_process(task)
		n++;
	printk(KERN_INFO "tasklist: %d tasks, current is %s [%d]\n", n, current->comm,
	       task_pid_nr(current));
	proc_create("tasklist", 0444, NULL, &tasklist_fops);
	return 0;
}

static void __exit tasklist_exit(void)
{
	remove_proc_entry("tasklist", NULL);
	printk(KERN_INFO "tasklist: removed\n");
}

module_init(tasklist_init);
module_exit(tasklist_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("List tasks");
