"""linux/bug.h and friends: WARN, BUG, dump_stack, si_meminfo."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.abi import SysInfo
from kernel.api import kapi
from kernel.api.vsprintf import vsnprintf
from kernel.cpu import GuestBug, VarArgs

if TYPE_CHECKING:
    from kernel.machine import Kernel

MEM_TOTAL_KB = 16_384_000


def _caller(k: "Kernel") -> int:
    """Return address of the guest call that reached the current stub."""
    frame = k.sched.current.ctx.frames[-1]
    return k.mem.u64(frame.rsp)


@kapi()
def warn_slowpath_null(k: "Kernel", file: int, line: int) -> None:
    k.warn(k.mem.cstr(file), line & 0xFFFFFFFF, _caller(k))


@kapi(variadic=True)
def warn_slowpath_fmt(k: "Kernel", file: int, line: int, fmt: int, va: VarArgs) -> None:
    caller = _caller(k)
    k.warn(k.mem.cstr(file), line & 0xFFFFFFFF, caller, vsnprintf(k, k.mem.cstr(fmt), va.next))


@kapi("__klpsh_bug")
def klpsh_bug(k: "Kernel", file: int, line: int) -> None:
    task = k.sched.current
    raise GuestBug(k.mem.cstr(file), line & 0xFFFFFFFF, k.cpu.stack_trace(task), k.cpu.regs(task))


@kapi(variadic=True)
def panic(k: "Kernel", fmt: int, va: VarArgs) -> None:
    """panic(fmt, ...): the machine stops (kernel/panic.py)."""
    k.panic(vsnprintf(k, k.mem.cstr(fmt), va.next))


@kapi()
def dump_stack(k: "Kernel") -> None:
    k.dump_stack(k.sched.current)


@kapi()
def si_meminfo(k: "Kernel", info: int) -> None:
    page_kb = 4
    total = MEM_TOTAL_KB // page_kb
    used = (k.heap.bytes_in_use + k.modules_mem.bytes_in_use) // 4096
    free = total * 3 // 4 - used
    vals = {"totalram": total, "freeram": free, "sharedram": 2048, "bufferram": 51_200,
            "totalswap": 0, "freeswap": 0}
    k.mem.zero(info, SysInfo.size)
    for name, v in vals.items():
        k.mem.set_u64(info + getattr(SysInfo, name).offset, v)
    k.mem.set_u32(info + SysInfo.mem_unit.offset, 4096)
