"""linux/sched/task.h: references to a task_struct held by guest code (kernel/fork.c)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import kapi

if TYPE_CHECKING:
    from kernel.machine import Kernel


@kapi()
def get_task_struct(k: "Kernel", t: int) -> int:
    """One more reference: the struct outlives its task until put_task_struct()."""
    task = k.task_by_struct(t)
    if task is not None:
        task.usage += 1
    return t


@kapi()
def put_task_struct(k: "Kernel", t: int) -> None:
    """Drop a reference; the last one frees a struct the kernel has already let go of."""
    task = k.task_by_struct(t)
    if task is None:
        return
    if task.usage <= 0:
        # task_struct.usage is an atomic_t in 4.19 (refcount_t from 5.2): an extra put
        # goes below zero without a word
        return
    task.usage -= 1
    if task.usage == 0 and task.struct_orphaned:
        task.struct_orphaned = False
        k.put_task_struct(task)
