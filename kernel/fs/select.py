"""poll(2) of one open file (fs/select.c do_sys_poll/do_poll, 4.19).

The driver's f_op->poll gets a poll_table whose _qproc is __pollwait: each poll_wait() the
driver makes queues the polling task on that wait queue. If nothing it asked for is ready,
the task sleeps interruptibly on all of them until a wake_up() on one, the timeout or a
signal, and polls again (with _qproc NULL, as do_poll() clears it after the first pass).
A file without ->poll is always ready for reading and writing (DEFAULT_POLLMASK).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.errno import Errno, KernelError
from kernel.record import field, record
from kernel.sched import TaskState

if TYPE_CHECKING:
    from kernel.fs.file import OpenFile
    from kernel.machine import Kernel

POLLIN, POLLPRI, POLLOUT, POLLERR, POLLHUP, POLLNVAL = 0x1, 0x2, 0x4, 0x8, 0x10, 0x20
POLLRDNORM, POLLRDBAND, POLLWRNORM, POLLWRBAND, POLLMSG, POLLRDHUP = 0x40, 0x80, 0x100, 0x200, 0x400, 0x2000
DEFAULT_POLLMASK = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM
POLL_NAMES = (("POLLIN", POLLIN), ("POLLPRI", POLLPRI), ("POLLOUT", POLLOUT), ("POLLERR", POLLERR),
              ("POLLHUP", POLLHUP), ("POLLNVAL", POLLNVAL), ("POLLRDNORM", POLLRDNORM),
              ("POLLRDBAND", POLLRDBAND), ("POLLWRNORM", POLLWRNORM), ("POLLWRBAND", POLLWRBAND),
              ("POLLMSG", POLLMSG), ("POLLRDHUP", POLLRDHUP))
POLL_TABLE_SIZE = 16                    # poll_table { poll_queue_proc _qproc; __poll_t _key; }
_QPROC, _KEY = 0, 8
POLL_FRAMES = ("do_sys_poll", "do_poll")
ERESTARTNOHAND = 514
MAX_POLL_PASSES = 100_000               # wake-ups of one poll before it gives up (EINTR)


def poll_text(mask: int) -> str:
    """strace's spelling of a poll mask (POLLIN|POLLRDNORM), 0 for none."""
    names = [name for name, bit in POLL_NAMES if mask & bit]
    rest = mask & ~sum(bit for _, bit in POLL_NAMES)
    if rest:
        names.append(hex(rest))
    return "|".join(names) or "0"


@record(eq=False)
class PollWqueues:
    """struct poll_wqueues: the wait queues one poll registered the task on."""

    table: int
    heads: list[int] = field(default_factory=list)


def _polls(k: "Kernel") -> dict[int, PollWqueues]:
    return k.fs.polls


def pollwait(k: "Kernel", filp: int, wait_address: int, p: int) -> None:
    """__pollwait(): remember WAIT_ADDRESS for the poll whose table P is (nothing if P
    belongs to no poll under way)."""
    pw = _polls(k).get(p)
    if pw is None or not wait_address:
        return
    if wait_address not in pw.heads:
        pw.heads.append(wait_address)


def vfs_poll(k: "Kernel", f: "OpenFile", table: int) -> int:
    """f_op->poll(file, table), or DEFAULT_POLLMASK for a file without one."""
    if f.node.host is not None:
        return DEFAULT_POLLMASK
    fn = f.op("poll")
    if not fn:
        return DEFAULT_POLLMASK
    return f._call(POLL_FRAMES, "poll", fn, (f.addr, table)) & 0xFFFF_FFFF


def do_poll(k: "Kernel", f: "OpenFile", events: int, timeout_ms: int) -> int:
    """poll({FILE, EVENTS}, 1, TIMEOUT_MS) in the current task: the revents (0 on timeout).
    A negative timeout waits for ever (the shell's bounds still end it); a signal gives
    KernelError(ERESTARTNOHAND), handled on the way back to user space."""
    from kernel.api.wait import _queue
    me = k.sched.current
    assert me is not None
    table = k.slab.kmalloc(POLL_TABLE_SIZE, zero=True)
    pw = _polls(k)[table] = PollWqueues(table)
    k.mem.set_u64(table + _QPROC, k.resolve_kernel_symbol("__pollwait") or 0)
    k.mem.set_u32(table + _KEY, (events | POLLERR | POLLHUP) & 0xFFFF_FFFF)
    clock = k.clock
    deadline = None if timeout_ms < 0 else clock.jiffies + _ms_to_jiffies(k, timeout_ms)
    try:
        for _ in range(MAX_POLL_PASSES):
            mask = vfs_poll(k, f, table) & (events | POLLERR | POLLHUP)
            k.mem.set_u64(table + _QPROC, 0)           # later passes do not queue again
            if mask:
                return mask
            if deadline is not None and clock.jiffies >= deadline:
                return 0
            if me.sigpending:
                raise KernelError(ERESTARTNOHAND)
            queues = [_queue(k, h) for h in pw.heads]
            for q in queues:
                if me not in q.waiters:
                    q.waiters.append(me)
            ev = None if deadline is None else clock.after_jiffies(
                deadline - clock.jiffies, lambda: k.sched.wake(me))
            try:
                k.sched.block(TaskState.INTERRUPTIBLE)
            finally:
                if ev is not None:
                    ev.cancel()
                for q in queues:
                    if me in q.waiters:
                        q.waiters.remove(me)
        raise KernelError(Errno.EINTR)
    finally:
        _polls(k).pop(table, None)
        k.slab.kfree(table)


def _ms_to_jiffies(k: "Kernel", ms: int) -> int:
    from kernel.abi import HZ
    return -(-ms * HZ // 1000)
