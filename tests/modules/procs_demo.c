// SPDX-License-Identifier: GPL-2.0
/*
 * What a "process lister" tutorial module does on 4.19: walk the task list,
 * look a task up by pid, print the kernel's utsname and the time (from
 * <linux/module.h> alone, as 4.19 allows), signal a kernel thread that
 * allowed SIGKILL, and a semaphore handed between two threads.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched/signal.h>
#include <linux/kthread.h>
#include <linux/utsname.h>
#include <linux/completion.h>
#include <linux/semaphore.h>
#include <linux/delay.h>
#include <linux/pid.h>
#include <linux/kref.h>
#include <linux/fcntl.h>

static struct task_struct *worker;
static DECLARE_COMPLETION(worker_done);
static DEFINE_SEMAPHORE(demo_sem);
static int got_signal;

static int demo_worker(void *data)
{
	allow_signal(SIGKILL);
	down(&demo_sem);
	pr_info("worker: has the semaphore\n");
	while (!kthread_should_stop()) {
		if (signal_pending(current)) {
			got_signal = fatal_signal_pending(current);
			break;
		}
		schedule_timeout_interruptible(HZ);
	}
	up(&demo_sem);
	complete_and_exit(&worker_done, 7);
}

static void demo_release(struct kref *ref)
{
	pr_info("kref released\n");
}

static int __init procs_demo_init(void)
{
	struct task_struct *p;
	struct new_utsname *uts = utsname();
	struct timeval tv;
	struct timespec ts;
	struct tm tm;
	struct pid *pid;
	struct kref ref;
	char comm[TASK_COMM_LEN];
	int n = 0, kthreads = 0, found_me = 0;

	for_each_process(p) {
		n++;
		if (!p->mm)
			kthreads++;
		if (p == current)
			found_me = 1;
	}
	pr_info("tasks: %d, kernel threads: %d, me listed: %d, first: %s\n", n, kthreads,
		found_me, next_task(&init_task)->comm);
	pr_info("current: %s parent of kthreadd: %s prio %d nice %d\n", current->comm,
		next_task(next_task(&init_task))->real_parent->comm, current->prio,
		task_nice(current));
	pr_info("uname: %s %s %s %s\n", uts->sysname, uts->nodename, uts->release, uts->machine);

	pid = find_get_pid(current->pid);
	p = pid_task(pid, PIDTYPE_PID);
	get_task_comm(comm, p);
	pr_info("pid %d is %s (%d)\n", pid_nr(pid), comm, p == current);
	put_pid(pid);
	pr_info("pid 99999 found: %d\n", find_vpid(99999) != NULL);

	do_gettimeofday(&tv);
	ts = current_kernel_time();
	time64_to_tm(tv.tv_sec, 0, &tm);
	pr_info("date %ld-%02d-%02d %02d:%02d wday %d yday %d, same second: %d\n",
		tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		tm.tm_wday, tm.tm_yday, tv.tv_sec == ts.tv_sec);

	kref_init(&ref);
	kref_get(&ref);
	pr_info("kref %u\n", kref_read(&ref));
	pr_info("kref put %d\n", kref_put(&ref, demo_release));
	pr_info("kref put %d\n", kref_put(&ref, demo_release));
	pr_info("O_NONBLOCK=%#o O_APPEND=%#o smp_processor_id=%d\n", O_NONBLOCK, O_APPEND,
		smp_processor_id());

	worker = kthread_run(demo_worker, NULL, "procs_demo");
	msleep(10);
	pr_info("down_trylock while the worker holds it: %d\n", down_trylock(&demo_sem));
	send_sig(SIGUSR1, worker, 0);
	msleep(10);
	pr_info("after SIGUSR1 (not allowed): got_signal=%d\n", got_signal);
	send_sig(SIGKILL, worker, 0);
	wait_for_completion(&worker_done);
	pr_info("after SIGKILL: fatal=%d, down_trylock=%d\n", got_signal, down_trylock(&demo_sem));
	up(&demo_sem);
	return 0;
}

static void __exit procs_demo_exit(void)
{
	pr_info("bye\n");
}

module_init(procs_demo_init);
module_exit(procs_demo_exit);
MODULE_LICENSE("GPL");
