"""linux/semaphore.h: counting semaphores (kernel/locking/semaphore.c).

The count is the guest struct's; the sleepers wait on a host-side queue keyed by the
semaphore's address.  up() hands the semaphore to the longest waiter (FIFO, as 4.19's
__up does) instead of raising the count while someone sleeps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import errret, kapi, s64
from kernel.errno import Errno
from kernel.sched import TaskState
from kernel.signal import fatal_pending
from kernel.time import MAX_JIFFY_OFFSET

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.sched import Task

_COUNT = 4          # struct semaphore { raw_spinlock_t lock; unsigned int count; ... }


def _waiters(k: "Kernel", sem: int) -> "list[tuple[Task, list[bool]]]":
    return k.semaphores.setdefault(sem, [])


def _down(k: "Kernel", sem: int, state: TaskState, timeout: int,
          interrupted) -> int:
    count = k.mem.u32(sem + _COUNT)
    if count > 0:
        k.mem.set_u32(sem + _COUNT, count - 1)
        return 0
    me = k.sched.current
    granted = [False]
    entry = (me, granted)
    _waiters(k, sem).append(entry)
    deadline = k.clock.jiffies + timeout
    try:
        while not granted[0]:
            if interrupted():
                return errret(Errno.EINTR)
            left = deadline - k.clock.jiffies
            if timeout < MAX_JIFFY_OFFSET and left <= 0:
                return errret(Errno.ETIME)
            ev = None if timeout >= MAX_JIFFY_OFFSET else \
                k.clock.after_jiffies(left, lambda: k.sched.wake(me))
            try:
                k.sched.block(state)
            finally:
                if ev is not None:
                    ev.cancel()
        return 0
    finally:
        if entry in _waiters(k, sem):
            _waiters(k, sem).remove(entry)


@kapi()
def down(k: "Kernel", sem: int) -> None:
    _down(k, sem, TaskState.UNINTERRUPTIBLE, MAX_JIFFY_OFFSET, lambda: False)


@kapi()
def down_interruptible(k: "Kernel", sem: int) -> int:
    me = k.sched.current
    return _down(k, sem, TaskState.INTERRUPTIBLE, MAX_JIFFY_OFFSET, lambda: me.sigpending)


@kapi()
def down_killable(k: "Kernel", sem: int) -> int:
    me = k.sched.current
    return _down(k, sem, TaskState.UNINTERRUPTIBLE, MAX_JIFFY_OFFSET,
                 lambda: fatal_pending(k, me))


@kapi()
def down_timeout(k: "Kernel", sem: int, timeout: int) -> int:
    return _down(k, sem, TaskState.UNINTERRUPTIBLE, max(s64(timeout), 0), lambda: False)


@kapi()
def down_trylock(k: "Kernel", sem: int) -> int:
    """0 if the semaphore was taken, 1 if not (the opposite of mutex_trylock)."""
    count = k.mem.u32(sem + _COUNT)
    if count > 0:
        k.mem.set_u32(sem + _COUNT, count - 1)
        return 0
    return 1


@kapi()
def up(k: "Kernel", sem: int) -> None:
    waiters = [w for w in _waiters(k, sem) if not w[1][0]]
    if not waiters:
        k.mem.set_u32(sem + _COUNT, k.mem.u32(sem + _COUNT) + 1)
        return
    task, granted = waiters[0]
    granted[0] = True
    k.sched.wake(task)
