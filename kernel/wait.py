"""Sleeping: wait queues, schedule_timeout and completions (kernel/sched/wait.c, timer.c)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from kernel.sched import Task, TaskState

if TYPE_CHECKING:
    from kernel.machine import Kernel


class WaitQueue:
    """Tasks waiting for a condition; wake_up() lets them re-check it."""

    def __init__(self) -> None:
        self.waiters: list[Task] = []

    def wait_event(self, kernel: "Kernel", cond: Callable[[], bool],
                   state: TaskState = TaskState.UNINTERRUPTIBLE) -> None:
        """Block the current task until COND() holds."""
        me = kernel.sched.current
        assert me is not None
        while not cond():
            self.waiters.append(me)
            try:
                kernel.sched.block(state)
            finally:
                if me in self.waiters:
                    self.waiters.remove(me)

    def wake_up(self, kernel: "Kernel") -> None:
        waiters, self.waiters = self.waiters, []
        for t in waiters:
            kernel.sched.wake(t)


def wait_event_timeout(kernel: "Kernel", wq: WaitQueue, cond: Callable[[], bool], timeout: int,
                       state: TaskState, interrupted: Callable[[], bool] = lambda: False) -> int:
    """Block until COND() holds, TIMEOUT jiffies pass or INTERRUPTED() (a pending signal).

    Returns the jiffies left (at least 1) once COND holds, 0 on timeout, -1 if interrupted;
    a TIMEOUT of MAX_JIFFY_OFFSET or more never expires (wait_event semantics).
    """
    from kernel.time import MAX_JIFFY_OFFSET
    me = kernel.sched.current
    assert me is not None
    clock = kernel.clock
    forever = timeout >= MAX_JIFFY_OFFSET
    deadline = clock.jiffies + max(timeout, 0)
    while True:
        if cond():
            return MAX_JIFFY_OFFSET if forever else max(deadline - clock.jiffies, 1)
        if interrupted():
            return -1
        left = deadline - clock.jiffies
        if not forever and left <= 0:
            return 0
        ev = None if forever else clock.after_jiffies(left, lambda: kernel.sched.wake(me))
        wq.waiters.append(me)
        try:
            kernel.sched.block(state)
        finally:
            if ev is not None:
                ev.cancel()
            if me in wq.waiters:
                wq.waiters.remove(me)


def schedule_timeout(kernel: "Kernel", timeout: int, state: TaskState) -> int:
    """Sleep TIMEOUT jiffies (wheel granularity); return the jiffies left if woken early."""
    me = kernel.sched.current
    assert me is not None
    clock = kernel.clock
    start = clock.jiffies
    ev = clock.after_jiffies(timeout, lambda: kernel.sched.wake(me))
    me.sleep_deadline = ev
    try:
        kernel.sched.block(state)
    finally:
        ev.cancel()
        me.sleep_deadline = None
    left = start + timeout - clock.jiffies
    return max(left, 0)


def wake_up_state(kernel: "Kernel", task: Task, states: tuple[TaskState, ...]) -> bool:
    """Wake TASK if it sleeps in one of STATES (wake_up_process, signals)."""
    if task.state in states and task._thread is not None:
        return kernel.sched.wake(task)
    return False
