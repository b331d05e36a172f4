"""kthread_run(): the created thread runs its function once woken, and kthread_stop() ends it."""

from __future__ import annotations

from conftest import needs_gcc, needs_kernel

pytestmark = [needs_kernel, needs_gcc]

SLEEPERS = """
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/err.h>

static struct task_struct *threads[2];

static noinline int sleeper_fn(void *data)
{
	pr_info("sleeper %ld running\\n", (long)data);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(3600 * HZ);
	pr_info("sleeper %ld stopping\\n", (long)data);
	return 0;
}

static int __init sleepers_init(void)
{
	threads[0] = kthread_run(sleeper_fn, (void *)0L, "sleeper/%d", 0);
	threads[1] = kthread_run(sleeper_fn, (void *)1L, "sleeper/%d", 1);
	return IS_ERR(threads[0]) || IS_ERR(threads[1]) ? -ENOMEM : 0;
}

static void __exit sleepers_exit(void)
{
	kthread_stop(threads[1]);
	kthread_stop(threads[0]);
}

module_init(sleepers_init);
module_exit(sleepers_exit);
MODULE_LICENSE("GPL");
"""


def test_kthread_run_starts_the_thread_and_kthread_stop_ends_it(kernel, build):
    kernel.init_module(build("sleepers", SLEEPERS), "")
    assert "sleeper 0 running" in kernel.lines
    assert "sleeper 1 running" in kernel.lines
    tasks = {t.comm: t for t in kernel.sched.all_tasks() if t.comm.startswith("sleeper/")}
    assert sorted(tasks) == ["sleeper/0", "sleeper/1"]
    for t in tasks.values():
        assert t.state.value == "S"  # schedule_timeout_interruptible
        names = [kernel.kallsyms.sprint_symbol(a).split("+")[0] for a in kernel.cpu.stack_trace(t)]
        # kthread() appears once, between the thread function and ret_from_fork
        assert names == ["schedule_timeout_interruptible", "sleeper_fn", "kthread", "ret_from_fork"]
        stack = kernel.fs.read(f"/proc/{t.pid}/stack").splitlines()
        assert stack[-1] == "[<0>] 0xffffffffffffffff"  # 4.19 ends the trace with ULONG_MAX
        assert [ln.split()[1].split("+")[0] for ln in stack[:-1]] == names
    kernel.delete_module("sleepers")
    assert kernel.lines[-2:] == ["sleeper 1 stopping", "sleeper 0 stopping"]
    assert not [t for t in kernel.sched.all_tasks() if t.comm.startswith("sleeper/")]
