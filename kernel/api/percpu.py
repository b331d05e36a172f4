"""linux/percpu.h: dynamic per-CPU allocations (alloc_percpu, free_percpu; kernel/percpu.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import kapi
from kernel.errno import KernelError
from kernel.percpu import UNIT, free_percpu as _free
from kernel.percpu import pcpu_alloc

if TYPE_CHECKING:
    from kernel.machine import Kernel


@kapi("__alloc_percpu")
def alloc_percpu(k: "Kernel", size: int, align: int) -> int:
    if not 0 < size <= UNIT or align & (align - 1) or align > 4096:
        k.warn_on(f"illegal size ({size}) or align ({align}) for percpu allocation")
        return 0
    try:
        return pcpu_alloc(k, size, align)
    except KernelError:
        return 0


@kapi("__alloc_percpu_gfp")
def alloc_percpu_gfp(k: "Kernel", size: int, align: int, gfp: int) -> int:
    return alloc_percpu(k, size, align)


@kapi()
def free_percpu(k: "Kernel", ptr: int) -> None:
    if ptr and not _free(k, ptr):
        k.warn_on(f"free_percpu: {ptr:#x} is not a per-CPU allocation")
