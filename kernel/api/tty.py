"""linux/tty.h: the controlling tty of current (get_current_tty, tty_kref_put) and the write
method of the shell's terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.abi import SignalStruct, TtyStruct
from kernel.api import kapi, s32

if TYPE_CHECKING:
    from kernel.machine import Kernel

TTY_WRITE_MAX = 1 << 20       # what one write shows at most (the guest's count is untrusted)


def _valid_tty(k: "Kernel", tty: int) -> bool:
    return bool(tty) and k.mem.valid(tty, TtyStruct.size)


@kapi()
def get_current_tty(k: "Kernel") -> int:
    from kernel.signal import signal_struct
    task = k.sched.current
    if task is None or task.is_kthread or not task.guest_struct:
        return 0
    sig = signal_struct(k, task)
    tty = k.mem.u64(sig + SignalStruct.tty.offset) if sig else 0
    if _valid_tty(k, tty):                  # tty_kref_get()
        at = tty + TtyStruct.kref.offset
        k.mem.set_u32(at, (k.mem.u32(at) + 1) & 0xFFFF_FFFF)
    return tty


@kapi()
def tty_kref_put(k: "Kernel", tty: int) -> None:
    if not _valid_tty(k, tty):
        return
    at = tty + TtyStruct.kref.offset
    count = k.mem.u32(at)
    if count > 1:                           # the terminal itself keeps the last reference
        k.mem.set_u32(at, count - 1)


@kapi()
def pty_write(k: "Kernel", tty: int, buf: int, count: int) -> int:
    from kernel.tty import show
    n = s32(count)
    if n <= 0 or not _valid_tty(k, tty):
        return 0
    n = min(n, TTY_WRITE_MAX)
    if not k.mem.valid(buf, n):
        return 0
    show(k, k.mem.read(buf, n))
    return n
