"""linux/wait.h and linux/completion.h: wait queue heads and completions, keyed by the guest
address of their struct; the sleeping tasks are kept host-side (kernel/sched/wait.c,
completion.c)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.abi import Completion
from kernel.api import kapi
from kernel.sched import TaskState
from kernel.time import MAX_JIFFY_OFFSET
from kernel.wait import WaitQueue, wait_event_timeout

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.sched import Task

ERESTARTSYS = 512
TASK_RUNNING, TASK_INTERRUPTIBLE, TASK_UNINTERRUPTIBLE, TASK_WAKEKILL = 0, 1, 2, 0x100
UINT_MAX = 0xFFFF_FFFF


def _queue(k: "Kernel", head: int) -> WaitQueue:
    q = k.waitqueues.get(head)
    if q is None:
        q = k.waitqueues[head] = WaitQueue()
    return q


def _interruptible(state: int) -> bool:
    return bool(state & (TASK_INTERRUPTIBLE | TASK_WAKEKILL))


# --- wait queue heads (the wait_event family is macros over these) ----------------------
@kapi("__init_waitqueue_head")
def init_waitqueue_head(k: "Kernel", head: int, name: int, key: int) -> None:
    k.waitqueues.pop(head, None)


@kapi()
def prepare_to_wait_event(k: "Kernel", head: int, entry: int, state: int) -> int:
    """Queue current on HEAD and set its state; -ERESTARTSYS if a signal is already pending."""
    me = k.sched.current
    q = _queue(k, head)
    if _interruptible(state) and me.sigpending:
        if me in q.waiters:
            q.waiters.remove(me)
        me.set_state = TASK_RUNNING
        return -ERESTARTSYS
    if me not in q.waiters:
        q.waiters.append(me)
    me.set_state = state
    return 0


@kapi()
def prepare_to_wait(k: "Kernel", head: int, entry: int, state: int) -> None:
    q = _queue(k, head)
    me = k.sched.current
    if me not in q.waiters:
        q.waiters.append(me)
    me.set_state = state


@kapi()
def prepare_to_wait_exclusive(k: "Kernel", head: int, entry: int, state: int) -> None:
    prepare_to_wait(k, head, entry, state)


@kapi()
def finish_wait(k: "Kernel", head: int, entry: int) -> None:
    me = k.sched.current
    me.set_state = TASK_RUNNING
    q = k.waitqueues.get(head)
    if q is not None and me in q.waiters:
        q.waiters.remove(me)


@kapi()
def add_wait_queue(k: "Kernel", head: int, entry: int) -> None:
    q = _queue(k, head)
    if k.sched.current not in q.waiters:
        q.waiters.append(k.sched.current)


@kapi()
def remove_wait_queue(k: "Kernel", head: int, entry: int) -> None:
    finish_wait(k, head, entry)


def _wake(k: "Kernel", t: "Task") -> None:
    """try_to_wake_up(): a sleeping task runs again; one about to sleep will not sleep."""
    if not k.sched.wake(t):
        t.set_state = TASK_RUNNING


_SLEEP_BITS = {TaskState.INTERRUPTIBLE: TASK_INTERRUPTIBLE, TaskState.UNINTERRUPTIBLE: TASK_UNINTERRUPTIBLE}


@kapi("__wake_up")
def wake_up(k: "Kernel", head: int, mode: int, nr: int, key: int) -> None:
    """Wake the tasks on HEAD whose sleep (or announced sleep) MODE covers."""
    q = k.waitqueues.get(head)
    if q is None:
        return
    for t in list(q.waiters):
        state = _SLEEP_BITS.get(t.state, t.set_state) if t._thread is not None else 0
        if state & mode & (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE):
            _wake(k, t)


@kapi()
def waitqueue_active(k: "Kernel", head: int) -> int:
    q = k.waitqueues.get(head)
    return int(q is not None and bool(q.waiters))


# --- completions ------------------------------------------------------------------------
_WAIT = Completion.wait.offset


def _wait_for(k: "Kernel", x: int, timeout: int, state: TaskState) -> int:
    """do_wait_for_common(): jiffies left (>= 1), 0 on timeout, -ERESTARTSYS on a signal."""
    me = k.sched.current
    intr = state is TaskState.INTERRUPTIBLE
    left = wait_event_timeout(k, _queue(k, x + _WAIT), lambda: k.mem.u32(x) != 0, timeout, state,
                              (lambda: me.sigpending) if intr else (lambda: False))
    if left < 0:
        return -ERESTARTSYS
    if left:
        done = k.mem.u32(x)
        if done != UINT_MAX:
            k.mem.set_u32(x, done - 1)
    return left


@kapi()
def wait_for_completion(k: "Kernel", x: int) -> None:
    _wait_for(k, x, MAX_JIFFY_OFFSET, TaskState.UNINTERRUPTIBLE)


@kapi()
def wait_for_completion_io(k: "Kernel", x: int) -> None:
    wait_for_completion(k, x)


@kapi()
def wait_for_completion_timeout(k: "Kernel", x: int, timeout: int) -> int:
    return _wait_for(k, x, timeout, TaskState.UNINTERRUPTIBLE)


@kapi()
def wait_for_completion_interruptible(k: "Kernel", x: int) -> int:
    ret = _wait_for(k, x, MAX_JIFFY_OFFSET, TaskState.INTERRUPTIBLE)
    return ret if ret < 0 else 0


@kapi()
def wait_for_completion_interruptible_timeout(k: "Kernel", x: int, timeout: int) -> int:
    return _wait_for(k, x, timeout, TaskState.INTERRUPTIBLE)


@kapi()
def wait_for_completion_killable(k: "Kernel", x: int) -> int:
    return wait_for_completion_interruptible(k, x)


@kapi()
def wait_for_completion_killable_timeout(k: "Kernel", x: int, timeout: int) -> int:
    return wait_for_completion_interruptible_timeout(k, x, timeout)


@kapi()
def try_wait_for_completion(k: "Kernel", x: int) -> int:
    done = k.mem.u32(x)
    if not done:
        return 0
    if done != UINT_MAX:
        k.mem.set_u32(x, done - 1)
    return 1


@kapi()
def completion_done(k: "Kernel", x: int) -> int:
    return int(k.mem.u32(x) != 0)


@kapi()
def complete(k: "Kernel", x: int) -> None:
    done = k.mem.u32(x)
    if done != UINT_MAX:
        k.mem.set_u32(x, done + 1)
    q = k.waitqueues.get(x + _WAIT)
    if q is not None:
        q.wake_up(k)


@kapi()
def complete_all(k: "Kernel", x: int) -> None:
    k.mem.set_u32(x, UINT_MAX)
    q = k.waitqueues.get(x + _WAIT)
    if q is not None:
        q.wake_up(k)
