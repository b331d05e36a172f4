"""linux/mutex.h: sleeping locks keyed by the guest address of struct mutex."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import kapi
from kernel.sched import TaskState
from kernel.wait import WaitQueue

if TYPE_CHECKING:
    from kernel.machine import Kernel


def _owner_of(k: "Kernel", lock: int):
    return k.mutexes.get(lock)


@kapi()
def mutex_lock(k: "Kernel", lock: int) -> None:
    me = k.sched.current
    owner = k.mutexes.get(lock)
    if owner is me:
        k.warn_on(f"mutex {k.kallsyms.sprint_symbol(lock, False)} locked twice by {me.comm}/{me.pid}: deadlock")
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
    if k.mutexes.pop(lock, None) is None:
        k.warn_on("unlocking a mutex that is not locked")
    k.mem.set_u64(lock, 0)
    wq = k.mutex_waiters.get(lock)
    if wq is not None:
        wq.wake_up(k)


@kapi()
def mutex_is_locked(k: "Kernel", lock: int) -> int:
    return int(lock in k.mutexes)
