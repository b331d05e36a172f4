// SPDX-License-Identifier: GPL-2.0
/*
 * A read-write semaphore shared by init and two kthreads: readers share it,
 * a writer waits for them, a reader arriving behind a waiting writer queues
 * behind it, downgrade_write() lets that reader in.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/rwsem.h>
#include <linux/delay.h>

static DECLARE_RWSEM(sem);
static struct rw_semaphore dyn;
static int data;

static int writer_fn(void *arg)
{
	pr_info("writer waits\n");
	down_write(&sem);
	pr_info("writer in, data=%d\n", data);
	data = 2;
	msleep(20);
	downgrade_write(&sem);
	pr_info("writer downgraded\n");
	msleep(20);
	up_read(&sem);
	pr_info("writer out\n");
	return 0;
}

static int reader_fn(void *arg)
{
	pr_info("reader waits\n");
	down_read(&sem);
	pr_info("reader in, data=%d\n", data);
	up_read(&sem);
	return 0;
}

static int __init rwsem_demo_init(void)
{
	int a, b, c, d;

	init_rwsem(&dyn);
	a = rwsem_is_locked(&dyn);
	b = down_write_trylock(&dyn);
	c = rwsem_is_locked(&dyn);
	d = down_read_trylock(&dyn);
	pr_info("dyn locked=%d trylock_w=%d locked=%d trylock_r=%d\n", a, b, c, d);
	up_write(&dyn);
	a = down_read_trylock(&dyn);
	b = down_read_trylock(&dyn);
	c = down_write_trylock(&dyn);
	up_read(&dyn);
	up_read(&dyn);
	pr_info("dyn two readers=%d%d writer=%d unlocked=%d\n", a, b, c, !rwsem_is_locked(&dyn));
	down_read(&sem);
	down_read(&sem);		/* readers nest */
	data = 1;
	kthread_run(writer_fn, NULL, "rwsem_writer");
	msleep(10);
	pr_info("read trylock with a writer waiting: %d, count<0: %d\n", down_read_trylock(&sem),
		atomic_long_read(&sem.count) < 0);
	kthread_run(reader_fn, NULL, "rwsem_reader");
	msleep(10);
	up_read(&sem);
	pr_info("one reader left\n");
	up_read(&sem);
	pr_info("init released\n");
	msleep(100);
	a = rwsem_is_locked(&sem);
	b = down_write_trylock(&sem);
	pr_info("end: locked=%d write trylock=%d\n", a, b);
	up_write(&sem);
	return 0;
}

static void __exit rwsem_demo_exit(void) { }
module_init(rwsem_demo_init);
module_exit(rwsem_demo_exit);
MODULE_LICENSE("GPL");
