"""linux/pid.h: struct pid, the kernel's handle on a process id (find_get_pid, pid_task ...).

A struct pid is made the first time its number is looked up and lives as long as the
machine (nothing frees pids here), so find_vpid() needs no reference and put_pid() only
drops the count.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import kapi, s32

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.sched import Task

PID_STRUCT_SIZE = 16          # struct pid { atomic_t count; int nr; ... }
_COUNT, _NR = 0, 4


def _task_of_nr(k: "Kernel", nr: int) -> "Task | None":
    if nr == 0:
        return k.sched.idle[0] if k.sched.idle else None
    task = k.sched.tasks.get(nr)
    return task if task is not None and task.alive else None


def _pid_struct(k: "Kernel", nr: int) -> int:
    addr = k.pids.get(nr)
    if addr is None:
        addr = k.heap.alloc(PID_STRUCT_SIZE)
        k.mem.zero(addr, PID_STRUCT_SIZE)
        k.mem.set_u32(addr + _COUNT, 1)
        k.mem.set_u32(addr + _NR, nr)
        k.pids[nr] = addr
    return addr


def pid_task_of(k: "Kernel", pid: int) -> "Task | None":
    """The live task a struct pid names, None for NULL or a pid that has gone."""
    if not pid or pid not in k.pids.values():
        return None
    return _task_of_nr(k, s32(k.mem.u32(pid + _NR)))


@kapi()
def find_vpid(k: "Kernel", nr: int) -> int:
    nr = s32(nr)
    return _pid_struct(k, nr) if nr >= 0 and _task_of_nr(k, nr) is not None else 0


@kapi()
def find_get_pid(k: "Kernel", nr: int) -> int:
    pid = find_vpid(k, nr)
    if pid:
        k.mem.set_u32(pid + _COUNT, k.mem.u32(pid + _COUNT) + 1)
    return pid


@kapi()
def put_pid(k: "Kernel", pid: int) -> None:
    if pid and pid in k.pids.values():
        count = k.mem.u32(pid + _COUNT)
        if count > 1:
            k.mem.set_u32(pid + _COUNT, count - 1)


@kapi()
def pid_task(k: "Kernel", pid: int, type_: int) -> int:
    task = pid_task_of(k, pid)
    return k.task_struct(task) if task is not None else 0


@kapi()
def get_pid_task(k: "Kernel", pid: int, type_: int) -> int:
    return pid_task(k, pid, type_)


@kapi()
def pid_vnr(k: "Kernel", pid: int) -> int:
    return k.mem.u32(pid + _NR) if pid else 0


@kapi()
def get_task_pid(k: "Kernel", tsk: int, type_: int) -> int:
    task = k.task_by_struct(tsk)
    if task is None:
        return 0
    pid = _pid_struct(k, task.pid)
    k.mem.set_u32(pid + _COUNT, k.mem.u32(pid + _COUNT) + 1)
    return pid
