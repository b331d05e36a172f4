"""Kernel.shutdown(): every task's host thread ends, wherever the task sleeps, and replay
and batch leave no threads behind (one machine per transcript)."""

from __future__ import annotations

import io
import threading

from conftest import ROOT, S, ko, needs_kernel

pytestmark = needs_kernel


def _task_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("task-")]


def test_shutdown_ends_threads_of_sleeping_guest_and_idle_tasks(elf_cache):
    from kernel.machine import Kernel
    before = set(_task_threads())
    k = Kernel.boot(elf_cache=elf_cache)
    k.init_module(ko("livepatch-callbacks-busymod"), "sleep_secs=30")  # a kworker sleeps in guest code
    k.init_module(ko("livepatch-callbacks-demo"), "")                  # its transition waits on it
    k.run_for(2 * S)
    sleeping = [t for t in k.sched.all_tasks() if t.ctx.frames]
    assert sleeping, "a task should be blocked inside guest code"
    mine = set(_task_threads()) - before
    assert len(mine) == 2  # the booted kworkers: one sleeps in busymod_work_func, one idles
    k.shutdown()
    assert not any(t.is_alive() for t in mine)
    assert set(_task_threads()) - before == set()
    assert all(t._thread is None for t in k.sched.all_tasks())


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


def test_replay_leaves_no_task_threads():
    from klpsh import transcript
    before = set(_task_threads())
    out = io.StringIO()
    assert transcript.replay([str(ROOT / "transcripts" / "callbacks-test-8.txt")], out) == 0, out.getvalue()
    assert set(_task_threads()) - before == set()


def test_batch_leaves_no_task_threads():
    from klpsh import cli
    before = set(_task_threads())
    out = io.StringIO()
    assert cli.run_batch(["insmod samples/livepatch/livepatch-callbacks-busymod.ko sleep_secs=10"],
                         stream=out) == 0
    assert "busymod_work_func, sleeping 10 seconds" in out.getvalue()
    assert set(_task_threads()) - before == set()
