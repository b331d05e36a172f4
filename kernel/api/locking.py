"""linux/mutex.h, linux/rwsem.h: sleeping locks keyed by the guest address of their struct."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from kernel.abi import RwSemaphore
from kernel.api import kapi
from kernel.record import field, record
from kernel.sched import TaskState
from kernel.wait import WaitQueue

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.sched import Task


def _owner_of(k: "Kernel", lock: int):
    return k.mutexes.get(lock)


@kapi()
def mutex_lock(k: "Kernel", lock: int) -> None:
    me = k.sched.current
    # A second mutex_lock() by the owner: without CONFIG_DEBUG_MUTEXES/lockdep 4.19 says
    # nothing; the task sleeps in D for good (the hung-task detector reports it).
    wq = k.mutex_waiters.setdefault(lock, WaitQueue())
    wq.wait_event(k, lambda: k.mutexes.get(lock) is None, TaskState.UNINTERRUPTIBLE)
    k.mutexes[lock] = me
    k.mem.set_u64(lock, k.task_struct(me))


@kapi()
def mutex_lock_interruptible(k: "Kernel", lock: int) -> int:
    mutex_lock(k, lock)
    return 0


@kapi()
def mutex_trylock(k: "Kernel", lock: int) -> int:
    if k.mutexes.get(lock) is not None:
        return 0
    me = k.sched.current
    k.mutexes[lock] = me
    k.mem.set_u64(lock, k.task_struct(me))
    return 1


@kapi()
def mutex_unlock(k: "Kernel", lock: int) -> None:
    # Unlocking an unlocked mutex: only CONFIG_DEBUG_MUTEXES checks it (DEBUG_LOCKS_WARN_ON
    # in kernel/locking/mutex-debug.c); a 4.19 without it releases quietly.
    k.mutexes.pop(lock, None)
    k.mem.set_u64(lock, 0)
    wq = k.mutex_waiters.get(lock)
    if wq is not None:
        wq.wake_up(k)


@kapi()
def mutex_is_locked(k: "Kernel", lock: int) -> int:
    return int(lock in k.mutexes)


# --- read-write semaphores (kernel/locking/rwsem.c, rwsem-xadd.c) ------------------------------
RWSEM_ACTIVE_BIAS = 1
RWSEM_WAITING_BIAS = -(1 << 32)
RWSEM_ACTIVE_WRITE_BIAS = RWSEM_WAITING_BIAS + RWSEM_ACTIVE_BIAS
RWSEM_READER_OWNED = 1


@record(eq=False)
class _Waiter:
    task: "Task"
    write: bool
    granted: bool = False


@record(eq=False)
class RwSem:
    """Host side of one struct rw_semaphore: holders and the FIFO of waiters."""

    readers: int = 0
    writer: "Task | None" = None
    waiters: deque[_Waiter] = field(default_factory=deque)
    wq: WaitQueue = field(default_factory=WaitQueue)


def _rwsem(k: "Kernel", sem: int) -> RwSem:
    s = k.rwsems.get(sem)
    if s is None:
        s = k.rwsems[sem] = RwSem()
    return s


def _sync(k: "Kernel", sem: int, s: RwSem) -> None:
    """Write count (and owner) in the 4.19 encoding."""
    count = s.readers + (RWSEM_ACTIVE_WRITE_BIAS if s.writer is not None else 0)
    if s.waiters:
        count += RWSEM_WAITING_BIAS
    k.mem.set_u64(sem + RwSemaphore.count.offset, count)
    if s.writer is not None:
        owner = k.task_struct(s.writer)
    elif s.readers:
        owner = RWSEM_READER_OWNED
    else:
        owner = 0
    k.mem.set_u64(sem + RwSemaphore.owner.offset, owner)


def _wake(k: "Kernel", sem: int, s: RwSem, readers_only: bool = False) -> None:
    """__rwsem_mark_wake(): hand the lock to the writer at the front, or to every reader
    before the first waiting writer."""
    granted = False
    if s.waiters and s.waiters[0].write and not readers_only:
        if s.readers == 0 and s.writer is None:
            w = s.waiters.popleft()
            s.writer, w.granted, granted = w.task, True, True
    else:
        while s.waiters and not s.waiters[0].write and s.writer is None:
            w = s.waiters.popleft()
            s.readers += 1
            w.granted = granted = True
    _sync(k, sem, s)
    if granted:
        s.wq.wake_up(k)


def _wait(k: "Kernel", sem: int, s: RwSem, write: bool) -> None:
    me = k.sched.current
    w = _Waiter(me, write)
    s.waiters.append(w)
    _sync(k, sem, s)
    s.wq.wait_event(k, lambda: w.granted, TaskState.UNINTERRUPTIBLE)


def _can_read(s: RwSem) -> bool:
    return s.writer is None and not s.waiters


def _can_write(s: RwSem) -> bool:
    return s.writer is None and s.readers == 0 and not s.waiters


@kapi("__init_rwsem")
def init_rwsem(k: "Kernel", sem: int, name: int, key: int) -> None:
    k.rwsems.pop(sem, None)
    k.mem.set_u64(sem + RwSemaphore.count.offset, 0)
    k.mem.set_u64(sem + RwSemaphore.owner.offset, 0)


@kapi()
def down_read(k: "Kernel", sem: int) -> None:
    s = _rwsem(k, sem)
    if _can_read(s):
        s.readers += 1
        _sync(k, sem, s)
    else:
        _wait(k, sem, s, write=False)


@kapi()
def down_read_killable(k: "Kernel", sem: int) -> int:
    down_read(k, sem)
    return 0


@kapi()
def down_read_non_owner(k: "Kernel", sem: int) -> None:
    down_read(k, sem)


@kapi()
def down_read_trylock(k: "Kernel", sem: int) -> int:
    s = _rwsem(k, sem)
    if not _can_read(s):
        return 0
    s.readers += 1
    _sync(k, sem, s)
    return 1


@kapi()
def down_write(k: "Kernel", sem: int) -> None:
    s = _rwsem(k, sem)
    if _can_write(s):
        s.writer = k.sched.current
        _sync(k, sem, s)
    else:
        _wait(k, sem, s, write=True)


@kapi()
def down_write_killable(k: "Kernel", sem: int) -> int:
    down_write(k, sem)
    return 0


@kapi()
def down_write_trylock(k: "Kernel", sem: int) -> int:
    s = _rwsem(k, sem)
    if not _can_write(s):
        return 0
    s.writer = k.sched.current
    _sync(k, sem, s)
    return 1


@kapi()
def up_read(k: "Kernel", sem: int) -> None:
    s = _rwsem(k, sem)
    if s.readers:          # (4.19 without CONFIG_DEBUG_RWSEMS does not check)
        s.readers -= 1
    if s.readers == 0:
        _wake(k, sem, s)
    else:
        _sync(k, sem, s)


@kapi()
def up_read_non_owner(k: "Kernel", sem: int) -> None:
    up_read(k, sem)


@kapi()
def up_write(k: "Kernel", sem: int) -> None:
    s = _rwsem(k, sem)
    s.writer = None
    _wake(k, sem, s)


@kapi()
def downgrade_write(k: "Kernel", sem: int) -> None:
    s = _rwsem(k, sem)
    if s.writer is not None:
        s.writer = None
        s.readers += 1
    _wake(k, sem, s, readers_only=True)
