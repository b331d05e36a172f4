"""linux/bug.h and friends: WARN, BUG, dump_stack, si_meminfo."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.abi import SysInfo
from kernel.api import kapi
from kernel.api.vsprintf import vsnprintf
from kernel.cpu import GuestBug, VarArgs
from kernel.mm import PAGE_SIZE

if TYPE_CHECKING:
    from kernel.machine import Kernel

def _caller(k: "Kernel") -> int:
    """Return address of the guest call that reached the current stub."""
    frame = k.sched.current.ctx.frames[-1]
    return k.mem.u64(frame.rsp)


def _line(k: "Kernel", file: str, line: int, caller: int) -> int | None:
    """Where the booted kernel has the WARN or BUG that reports FILE:LINE from CALLER: vmlinux
    code names 4.19.0's line (linux/bug.h's *_AT forms), placed by the profile's table (None:
    no such WARN there); a module's own file and line are its own."""
    sym = k.kallsyms.lookup(caller)
    if sym is None or sym.owner != "vmlinux":
        return line
    place = k.profile.warn_place(file, line, sym.name)
    return None if place is None else place[0]


@kapi()
def warn_slowpath_null(k: "Kernel", file: int, line: int) -> None:
    caller, path = _caller(k), k.mem.cstr(file)
    at = _line(k, path, line & 0xFFFFFFFF, caller)
    if at is not None:
        k.warn(path, at, caller)


@kapi(variadic=True)
def warn_slowpath_fmt(k: "Kernel", file: int, line: int, fmt: int, va: VarArgs) -> None:
    caller, path = _caller(k), k.mem.cstr(file)
    msg = vsnprintf(k, k.mem.cstr(fmt), va.next)
    at = _line(k, path, line & 0xFFFFFFFF, caller)
    if at is not None:
        k.warn(path, at, caller, msg)


@kapi("__klpsh_bug")
def klpsh_bug(k: "Kernel", file: int, line: int) -> None:
    task = k.sched.current
    path = k.mem.cstr(file)
    at = _line(k, path, line & 0xFFFFFFFF, _caller(k))
    raise GuestBug(path, line & 0xFFFFFFFF if at is None else at, k.cpu.stack_trace(task),
                   k.cpu.regs(task))


@kapi(variadic=True)
def panic(k: "Kernel", fmt: int, va: VarArgs) -> None:
    """panic(fmt, ...): the machine stops (kernel/panic.py)."""
    k.panic(vsnprintf(k, k.mem.cstr(fmt), va.next))


@kapi()
def dump_stack(k: "Kernel") -> None:
    k.dump_stack(k.sched.current)


@kapi()
def si_meminfo(k: "Kernel", info: int) -> None:
    """The memory fields of *INFO as mm/page_alloc.c fills them, in pages (mem_unit PAGE_SIZE):
    totalram_pages, the free pages; no shmem, block devices or highmem here, so those are 0.
    The uptime, loads, swap and procs fields are left as they were."""
    from kernel.api.page_alloc import free_pages_now, managed_pages
    vals = {"totalram": managed_pages(k), "freeram": free_pages_now(k), "sharedram": 0,
            "bufferram": 0, "totalhigh": 0, "freehigh": 0}
    k.mem.check(info, SysInfo.size)
    for name, v in vals.items():
        k.mem.set_u64(info + getattr(SysInfo, name).offset, v)
    k.mem.set_u32(info + SysInfo.mem_unit.offset, PAGE_SIZE)
