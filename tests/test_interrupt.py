"""Softirqs and tasklets (kernel/softirq.py, kernel/api/interrupt.py) through the shell, with
tests/modules/tasklet_demo.c: softirq context as guest code sees it (in_softirq(),
in_interrupt(), in_task()), tasklet state semantics, bottom halves, and what goes wrong in
softirq context (sleeping, an Oops, a tasklet freed while listed)."""

from __future__ import annotations

import pytest

from conftest import needs_gcc, needs_kernel
from kernel.machine import Kernel
from kernel.softirq import (HARDIRQ_OFFSET, NR_SOFTIRQS, SOFTIRQ_NAMES, SOFTIRQ_OFFSET,
                            TASKLET_SOFTIRQ, TIMER_SOFTIRQ, in_interrupt)
from shell_session import module_shell, run

pytestmark = [needs_kernel, needs_gcc]


@pytest.fixture
def shell(kernel, tmp_path, test_module):
    return module_shell(kernel, tmp_path, test_module, "tasklet_demo")


def test_the_vectors_and_preempt_count_bits_are_4_19s() -> None:
    assert NR_SOFTIRQS == 10 and SOFTIRQ_NAMES[TIMER_SOFTIRQ] == "TIMER"
    assert SOFTIRQ_NAMES[TASKLET_SOFTIRQ] == "TASKLET" and SOFTIRQ_NAMES[-1] == "RCU"
    assert (SOFTIRQ_OFFSET, HARDIRQ_OFFSET) == (0x100, 0x10000)


def test_a_tasklet_runs_once_in_softirq_context_in_ksoftirqd(shell):
    lines = run(shell, "insmod tasklet_demo.ko")
    # scheduled from init (a task): it runs afterwards, in ksoftirqd, in softirq context
    assert lines == ["tasklet_demo: init, in_task 1", "tasklet_demo: scheduled, runs 0",
                     "tasklet_demo: tasklet 42 runs: in_softirq 1 in_interrupt 1"]
    assert run(shell, "cat /proc/tasklet_demo") == [
        "runs 1 hi 0 data 42 softirq 1 irq 0 task 0 now_in_task 1"]
    # scheduled twice before the softirq ran: TASKLET_STATE_SCHED makes it one run
    assert run(shell, "echo 2 > /proc/tasklet_demo") == [
        "tasklet_demo: tasklet 1 runs: in_softirq 1 in_interrupt 1"]
    assert run(shell, "cat /proc/tasklet_demo")[0].startswith("runs 2 ")
    ps = run(shell, "ps")
    assert sum(ln.endswith(" ksoftirqd/0") for ln in ps) == 1        # the boot thread ran it
    assert not any("softirq" in ln and "ksoftirqd/0" not in ln and "ksoftirqd/1" not in ln for ln in ps)


def test_bottom_halves_disabled_hold_the_softirq_until_enabled(shell):
    run(shell, "insmod tasklet_demo.ko")
    assert run(shell, "echo b > /proc/tasklet_demo") == [
        "tasklet_demo: bh disabled: in_softirq 1, runs 1",      # local_bh_disable counts
        "tasklet_demo: tasklet 1 runs: in_softirq 1 in_interrupt 1",   # run by local_bh_enable
        "tasklet_demo: bh enabled: runs 2"]


def test_a_disabled_tasklet_waits_for_tasklet_enable(shell):
    run(shell, "insmod tasklet_demo.ko")
    assert run(shell, "echo d > /proc/tasklet_demo") == ["tasklet_demo: hi tasklet runs (3)"]
    lines = run(shell, "sleep 1")
    assert lines == ["tasklet_demo: timer enables the tasklet (in_interrupt 1)",
                     "tasklet_demo: tasklet 7 runs: in_softirq 1 in_interrupt 1"]
    # tasklet_kill() of one scheduled in exit waits for it; of one never scheduled returns
    assert run(shell, "rmmod tasklet_demo") == [
        "tasklet_demo: tasklet 42 runs: in_softirq 1 in_interrupt 1",
        "tasklet_demo: exit, runs 3"]
    assert run(shell, "lsmod") == ["Module                  Size  Used by"]


def test_sleeping_in_a_tasklet_is_scheduling_while_atomic(shell, kernel):
    run(shell, "insmod tasklet_demo.ko")
    lines = run(shell, "echo s > /proc/tasklet_demo")
    assert lines[0] == "tasklet_demo: sleepy tasklet sleeps"
    pid = next(t.pid for t in kernel.sched.all_tasks() if t.comm == "ksoftirqd/0")
    assert lines[1] == f"BUG: scheduling while atomic: ksoftirqd/0/{pid}/0x00000100"
    assert lines[2].startswith("Modules linked in: tasklet_demo")
    trace = lines[lines.index("Call Trace:") + 1:]
    names = [ln.split()[0].split("+")[0] for ln in trace]
    assert names[names.index("msleep") + 1:][:5] == [
        "sleepy_fn", "tasklet_action_common", "tasklet_action", "__do_softirq", "run_ksoftirqd"]
    assert "W" in kernel.taints
    assert run(shell, "sleep 1") == ["tasklet_demo: sleepy tasklet woke"]
    assert kernel.panicked is None


def test_an_oops_in_a_tasklet_is_fatal_in_interrupt(shell, kernel):
    run(shell, "insmod tasklet_demo.ko")
    lines = run(shell, "echo f > /proc/tasklet_demo")
    assert lines[0] == "tasklet_demo: bad tasklet writes to 0"
    assert "BUG: unable to handle kernel NULL pointer dereference at 0000000000000000" in lines
    assert "Kernel panic - not syncing: Fatal exception in interrupt" in lines
    assert kernel.panicked == "Fatal exception in interrupt"


def test_a_tasklet_left_listed_by_an_unloaded_module_faults(shell, kernel):
    run(shell, "insmod tasklet_demo.ko")
    assert run(shell, "echo x > /proc/tasklet_demo") == []      # disabled: stays listed
    run(shell, "rmmod tasklet_demo")
    lines = run(shell, "sleep 1")
    assert any(ln.startswith("BUG: unable to handle kernel paging request at ") for ln in lines)
    assert any(ln.startswith("RIP: 0010:tasklet_action+") for ln in lines)
    assert "Kernel panic - not syncing: Fatal exception in interrupt" in lines


def test_softirq_context_on_the_host_side() -> None:
    k = Kernel.boot()
    try:
        ran: list[tuple[str, bool, int]] = []
        k.softirq.raise_work(TIMER_SOFTIRQ, lambda: ran.append(
            (k.current.comm, in_interrupt(k.current), k.mem.u32(k.preempt_count_addr))))
        k.run_for(1_000_000)
        assert ran == [("ksoftirqd/0", True, 0x8000_0100)]
        assert k.softirq.count[TIMER_SOFTIRQ] == 1
    finally:
        k.shutdown()


def test_a_busy_wait_takes_the_timer_tick_that_runs_the_tasklet(shell):
    # LKMPG's example_tasklet: the writer's mdelay() keeps CPU 0, so ksoftirqd/0 cannot run;
    # the tick's irq_exit runs the tasklet on top of the writer, which goes on after it
    run(shell, "insmod tasklet_demo.ko")
    n = len(shell.output)
    lines = run(shell, "echo m > /proc/tasklet_demo")
    assert lines == ["tasklet_demo: slow tasklet starts", "tasklet_demo: slow tasklet ends",
                     "tasklet_demo: writer continues"]
    stamps = [float(ln[1:13]) for ln in shell.output[n + 1:]]
    # the writer's mdelay(5) counts the time the tasklet took: it is over when the tasklet is
    assert stamps[1] - stamps[0] >= 0.050 and stamps[2] - stamps[1] < 0.005
