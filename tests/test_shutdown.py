"""Kernel.shutdown(): every task's execution context ends, wherever the task sleeps, and
replay and batch leave no host threads behind (tasks switch stacks on the driver's thread)."""

from __future__ import annotations

import io
import threading

from conftest import ROOT, S, ko, needs_kernel

pytestmark = needs_kernel


def _host_threads() -> set[threading.Thread]:
    return set(threading.enumerate())


def _contexts(k) -> list:
    """The execution contexts (greenlets) of K's tasks that run code."""
    return [th.glet for th in k.sched._threads]


def test_shutdown_ends_threads_of_sleeping_guest_and_idle_tasks(elf_cache):
    from kernel.machine import Kernel
    before = _host_threads()
    k = Kernel.boot(elf_cache=elf_cache)
    k.init_module(ko("livepatch-callbacks-busymod"), "sleep_secs=30")  # a kworker sleeps in guest code
    k.init_module(ko("livepatch-callbacks-demo"), "")                  # its transition waits on it
    k.run_for(2 * S)
    sleeping = [t for t in k.sched.all_tasks() if t.ctx.frames]
    assert sleeping, "a task should be blocked inside guest code"
    mine = _contexts(k)
    assert len(mine) == 2  # the booted kworkers: one sleeps in busymod_work_func, one idles
    assert all(g and not g.dead for g in mine)  # both suspended mid-call
    assert _host_threads() == before            # and neither costs a host thread
    k.shutdown()
    assert all(g.dead for g in mine)
    assert _contexts(k) == []
    assert all(t._thread is None for t in k.sched.all_tasks())
    assert all(t.ctx.engine is None for t in sleeping)  # the guest call unwound, engine returned


def test_a_task_started_but_never_run_does_not_run_at_shutdown(elf_cache):
    from kernel.machine import Kernel
    from kernel.sched import TaskKind
    k = Kernel.boot(elf_cache=elf_cache)
    ran = []
    t = k.sched.new_task("never", TaskKind.KTHREAD)
    k.sched.start(t, lambda: ran.append(True))
    k.shutdown()
    assert ran == []
    assert t._thread is None


def test_replay_leaves_no_threads():
    from klpsh import transcript
    before = _host_threads()
    out = io.StringIO()
    assert transcript.replay([str(ROOT / "transcripts" / "callbacks-test-8.txt")], out) == 0, out.getvalue()
    assert _host_threads() == before


def test_batch_leaves_no_threads():
    from klpsh import cli
    before = _host_threads()
    out = io.StringIO()
    assert cli.run_batch(["insmod samples/livepatch/livepatch-callbacks-busymod.ko sleep_secs=10"],
                         stream=out) == 0
    assert "busymod_work_func, sleeping 10 seconds" in out.getvalue()
    assert _host_threads() == before
