"""linux/sched.h, linux/delay.h, linux/jiffies.h: current, sleeping and delays."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import kapi, s64
from kernel.sched import TaskState
from kernel.time import MAX_JIFFY_OFFSET, NSEC_PER_JIFFY, msecs_to_jiffies, round_jiffies_common
from kernel.wait import schedule_timeout as _schedule_timeout
from kernel.wait import wake_up_state

if TYPE_CHECKING:
    from kernel.machine import Kernel

TASK_RUNNING, TASK_INTERRUPTIBLE, TASK_UNINTERRUPTIBLE = 0, 1, 2
_STATES = {TASK_RUNNING: TaskState.RUNNING, TASK_INTERRUPTIBLE: TaskState.INTERRUPTIBLE,
           TASK_UNINTERRUPTIBLE: TaskState.UNINTERRUPTIBLE}


def _sleep(k: "Kernel", timeout: int, state: TaskState) -> int:
    return _schedule_timeout(k, timeout, state)


@kapi()
def msleep(k: "Kernel", msecs: int) -> None:
    timeout = msecs_to_jiffies(msecs & 0xFFFFFFFF) + 1
    while timeout:
        timeout = _sleep(k, timeout, TaskState.UNINTERRUPTIBLE)


@kapi()
def msleep_interruptible(k: "Kernel", msecs: int) -> int:
    timeout = msecs_to_jiffies(msecs & 0xFFFFFFFF) + 1
    me = k.sched.current
    while timeout and not me.sigpending:
        timeout = _sleep(k, timeout, TaskState.INTERRUPTIBLE)
    return timeout


@kapi()
def usleep_range(k: "Kernel", lo: int, hi: int) -> None:
    me = k.sched.current
    ev = k.clock.at(k.clock.now + hi * 1000, lambda: k.sched.wake(me))
    try:
        k.sched.block(TaskState.UNINTERRUPTIBLE)
    finally:
        ev.cancel()


def _busy_wait(k: "Kernel", ns: int) -> None:
    """mdelay/udelay spin: the task keeps its CPU (it is 'running') while time passes; the
    timer tick that comes meanwhile runs pending softirqs on it (kernel/softirq.py tick())."""
    me = k.sched.current
    end = k.clock.now + ns
    k.softirq.tick(me)              # the loop counts the TSC: time in the interrupt is spent
    if ns > 0 and k.clock.now >= end:
        return
    ev = k.clock.at(end, lambda: k.sched.wake(me))
    try:
        k.sched.block(TaskState.RUNNING)
    finally:
        ev.cancel()


@kapi()
def mdelay(k: "Kernel", ms: int) -> None:
    _busy_wait(k, ms * 1_000_000)


@kapi()
def udelay(k: "Kernel", us: int) -> None:
    _busy_wait(k, us * 1000)


@kapi()
def ndelay(k: "Kernel", ns: int) -> None:
    _busy_wait(k, ns)


@kapi()
def schedule_timeout(k: "Kernel", timeout: int) -> int:
    me = k.sched.current
    t = s64(timeout)
    state = _STATES.get(me.set_state, TaskState.UNINTERRUPTIBLE)
    me.set_state = TASK_RUNNING
    if state is TaskState.RUNNING:
        return t
    if t >= MAX_JIFFY_OFFSET:
        k.sched.block(state)
        return MAX_JIFFY_OFFSET
    if state is TaskState.INTERRUPTIBLE and me.sigpending:
        return t
    return _sleep(k, max(t, 0), state)


@kapi()
def schedule_timeout_interruptible(k: "Kernel", timeout: int) -> int:
    k.sched.current.set_state = TASK_INTERRUPTIBLE
    return schedule_timeout(k, timeout)


@kapi()
def schedule_timeout_uninterruptible(k: "Kernel", timeout: int) -> int:
    k.sched.current.set_state = TASK_UNINTERRUPTIBLE
    return schedule_timeout(k, timeout)


@kapi()
def schedule(k: "Kernel") -> None:
    schedule_timeout(k, MAX_JIFFY_OFFSET)


@kapi()
def cond_resched(k: "Kernel") -> int:
    """A schedule point: the CPU's stopper thread gets to run (the soft-lockup watchdog is
    touched); if anyone else wants the CPU, the task is switched out (1)."""
    me = k.sched.current
    k.watchdog.touch(me.cpu)
    if k.sched.need_resched():
        k.sched.preempt()
        return 1
    return 0


@kapi("__set_current_state")
def set_current_state(k: "Kernel", state: int) -> None:
    k.sched.current.set_state = s64(state)


@kapi()
def get_current(k: "Kernel") -> int:
    return k.task_struct(k.sched.current)


@kapi()
def wake_up_process(k: "Kernel", tsk: int) -> int:
    from kernel.api.kthread import start_kthread
    task = k.task_by_struct(tsk)
    if task is None:
        return 0
    if start_kthread(k, task):  # the first wake-up of kthread_create()'s new thread
        return 1
    return int(wake_up_state(k, task, (TaskState.INTERRUPTIBLE, TaskState.UNINTERRUPTIBLE,
                                       TaskState.IDLE)))


@kapi()
def signal_pending(k: "Kernel", tsk: int) -> int:
    task = k.task_by_struct(tsk)
    return int(task is not None and task.sigpending)


@kapi()
def round_jiffies(k: "Kernel", j: int) -> int:
    return round_jiffies_common(j, 0, k.clock.jiffies, False)


@kapi()
def round_jiffies_relative(k: "Kernel", j: int) -> int:
    now = k.clock.jiffies
    return round_jiffies_common(j + now, 0, now, False) - now


__all__ = ["msleep", "NSEC_PER_JIFFY"]
