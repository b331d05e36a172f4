"""linux/percpu.h: dynamic per-CPU allocations (alloc_percpu, free_percpu; kernel/percpu.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import kapi
from kernel.errno import KernelError
from kernel.percpu import UNIT, free_percpu as _free
from kernel.percpu import pcpu_alloc
from kernel.bug import WarnSite

if TYPE_CHECKING:
    from kernel.machine import Kernel

# pcpu_alloc()'s WARN(do_warn, "illegal size (%zu) or align (%zu) for percpu allocation\n") (4.19)
WARN_ILLEGAL_SIZE = WarnSite("mm/percpu.c", 1382, "pcpu_alloc")


@kapi("__alloc_percpu")
def alloc_percpu(k: "Kernel", size: int, align: int) -> int:
    return _alloc(k, size, align, warn=True)


def _alloc(k: "Kernel", size: int, align: int, warn: bool) -> int:
    """pcpu_alloc(): WARN (unless __GFP_NOWARN) and NULL for an illegal size or align."""
    if not 0 < size <= UNIT or align & (align - 1) or align > 4096:
        if warn:
            k.warn_at(WARN_ILLEGAL_SIZE, f"illegal size ({size}) or align ({align}) for percpu allocation\n")
        return 0
    try:
        return pcpu_alloc(k, size, align)
    except KernelError:
        return 0


@kapi("__alloc_percpu_gfp")
def alloc_percpu_gfp(k: "Kernel", size: int, align: int, gfp: int) -> int:
    return _alloc(k, size, align, warn=not gfp & k.profile.gfp.nowarn)


@kapi()
def free_percpu(k: "Kernel", ptr: int) -> None:
    if ptr and not _free(k, ptr):
        k.unchecked(f"free_percpu: {ptr:#x} is not a per-CPU allocation",
                    "pcpu_chunk_addr_search() finds no chunk and free_percpu() dereferences it")
