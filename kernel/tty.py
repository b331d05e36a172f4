"""The shell's terminal as the guest sees it: one tty_struct (pts 0 of the pty driver) that is
the controlling tty of the shell's user tasks; what is written to it goes to the shell's output."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from kernel.abi import SignalStruct, TtyDriver, TtyOperations, TtyStruct
from kernel.record import field, record
from kernel.signal import signal_struct_at

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.sched import Task

TTY_MAGIC, TTY_DRIVER_MAGIC = 0x5401, 0x5402
UNIX98_PTY_SLAVE_MAJOR = 136
TTY_DRIVER_TYPE_PTY, PTY_TYPE_SLAVE = 0x0004, 0x0002


@record(eq=False)
class Terminal:
    """The terminal's guest objects (made on first use) and who shows what is written to it."""

    tty: int = 0
    writers: list[Callable[[str], None]] = field(default_factory=list)


def _cstring(k: "Kernel", text: str) -> int:
    data = text.encode() + b"\0"
    addr = k.heap.alloc(len(data))
    k.mem.write(addr, data)
    return addr


def console_tty(k: "Kernel") -> int:
    """The terminal's struct tty_struct, with its pty driver and tty_operations."""
    term = k.terminal
    if term.tty:
        return term.tty
    mem = k.mem
    ops = k.heap.alloc(TtyOperations.size)
    mem.zero(ops, TtyOperations.size)
    mem.set_u64(ops + TtyOperations.write.offset, k.cpu.stub_by_name["pty_write"].addr)
    drv = k.heap.alloc(TtyDriver.size)
    mem.zero(drv, TtyDriver.size)
    mem.set_u32(drv + TtyDriver.magic.offset, TTY_DRIVER_MAGIC)
    mem.set_u32(drv + TtyDriver.kref.offset, 1)
    mem.set_u64(drv + TtyDriver.driver_name.offset, _cstring(k, "pty_slave"))
    mem.set_u64(drv + TtyDriver.name.offset, _cstring(k, "pts"))
    mem.set_u32(drv + TtyDriver.major.offset, UNIX98_PTY_SLAVE_MAJOR)
    mem.set_u32(drv + TtyDriver.num.offset, 1)
    mem.write(drv + TtyDriver.type.offset, TTY_DRIVER_TYPE_PTY.to_bytes(2, "little")
              + PTY_TYPE_SLAVE.to_bytes(2, "little"))
    mem.set_u64(drv + TtyDriver.ops.offset, ops)
    head = drv + TtyDriver.tty_drivers.offset
    mem.set_u64(head, head)
    mem.set_u64(head + 8, head)
    tty = k.heap.alloc(TtyStruct.size)
    mem.zero(tty, TtyStruct.size)
    mem.set_u32(tty + TtyStruct.magic.offset, TTY_MAGIC)
    mem.set_u32(tty + TtyStruct.kref.offset, 1)
    mem.set_u64(tty + TtyStruct.driver.offset, drv)
    mem.set_u64(tty + TtyStruct.ops.offset, ops)
    term.tty = tty
    return tty


def attach(k: "Kernel", task: "Task") -> None:
    """TASK (one of the shell's user tasks) gets the terminal as its controlling tty."""
    if task.is_kthread:
        return
    sig = signal_struct_at(k, k.task_struct(task))     # (one look-up of the task_struct)
    if not sig or k.mem.u64(sig + SignalStruct.tty.offset):
        return
    tty = console_tty(k)
    k.mem.set_u64(sig + SignalStruct.tty.offset, tty)
    k.mem.set_u32(tty + TtyStruct.kref.offset, k.mem.u32(tty + TtyStruct.kref.offset) + 1)


def show(k: "Kernel", data: bytes) -> None:
    """DATA on the terminal: CR LF (and a lone CR before LF) end a line, as the screen shows it."""
    text = data.decode("utf-8", "replace").replace("\r\n", "\n")
    for write in list(k.terminal.writers):
        write(text)
