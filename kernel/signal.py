"""Signals (kernel/signal.c, 4.19): what is pending and blocked lives in the guest task_struct
(pending.signal, signal->shared_pending.signal, blocked) and the handlers in its
sighand_struct, so module code that reads `current->pending` sees what this file wrote.

A signal is dropped at sending when the task ignores it (its handler SIG_IGN, or SIG_DFL and
the default action is to ignore; kernel threads have SIG_IGN for every signal until
allow_signal()), unless it is blocked. A pending signal that is not blocked wakes the task
from an interruptible sleep (a fatal one from any sleep), and is acted on when a user task's
system call returns: it dies of a fatal one (SIGKILL, SIGTERM, SIGUSR1 ...), and a call that
gave -ERESTARTSYS is restarted, as no user program here installs handlers. Stop signals are
not modelled: a user task ignores them.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from kernel.abi import KSigaction, SighandStruct, SignalStruct, SigPending, Siginfo, TaskStruct, WaitQueueHead
from kernel.api.slab import SLAB_HWCACHE_ALIGN, SLAB_TYPESAFE_BY_RCU, cache_alloc, cache_free, kernel_cache
from kernel.errno import Errno
from kernel.record import RecordTuple
from kernel.sched import TaskState
from kernel.wait import wake_up_state

if TYPE_CHECKING:
    from kernel.api.slab import KmemCache
    from kernel.machine import Kernel
    from kernel.sched import Task

NSIG = 64
SIGHUP, SIGINT, SIGQUIT, SIGKILL, SIGUSR1, SIGSEGV, SIGTERM = 1, 2, 3, 9, 10, 11, 15
SIGCHLD, SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGURG, SIGWINCH = 17, 18, 19, 20, 21, 22, 23, 28
SIG_DFL, SIG_IGN = 0, 1
SIGNAL_GROUP_EXIT, SIGNAL_UNKILLABLE = 0x4, 0x40
SI_USER, SI_KERNEL = 0, 0x80
SEND_SIG_NOINFO, SEND_SIG_PRIV, SEND_SIG_FORCED = 0, 1, 2
SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK = 0, 1, 2
ERESTARTSYS, ERESTARTNOINTR, ERESTARTNOHAND, ERESTART_RESTARTBLOCK = 512, 513, 514, 516
RESTART_ERRNOS = frozenset({ERESTARTSYS, ERESTARTNOINTR, ERESTARTNOHAND, ERESTART_RESTARTBLOCK})
ALL = (1 << NSIG) - 1


def sigmask(sig: int) -> int:
    return 1 << (sig - 1)


def _mask(*sigs: int) -> int:
    m = 0
    for s in sigs:
        m |= sigmask(s)
    return m


# kernel/signal.c's SIG_KERNEL_*_MASK: the default actions other than terminating
KERNEL_ONLY = _mask(SIGKILL, SIGSTOP)
KERNEL_STOP = _mask(SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU)
KERNEL_IGNORE = _mask(SIGCONT, SIGCHLD, SIGWINCH, SIGURG)
KERNEL_COREDUMP = _mask(SIGQUIT, 4, 5, 6, 7, 8, SIGSEGV, 24, 25, 31)


def valid_signal(sig: int) -> bool:
    return 1 <= sig <= NSIG


class Info(RecordTuple):
    """What a queued signal's siginfo says."""

    signo: int
    code: int = SI_KERNEL
    pid: int = 0
    uid: int = 0
    value: int = 0


# --- the guest objects ----------------------------------------------------------------------
def _ts(k: "Kernel", task: "Task") -> int:
    return k.task_struct(task)


def _ptr_to(k: "Kernel", addr: int, size: int) -> int:
    """ADDR if it points to SIZE bytes of guest memory (module code may have changed it)."""
    return addr if addr and k.mem.valid(addr, size) else 0


def signal_struct(k: "Kernel", task: "Task") -> int:
    return signal_struct_at(k, _ts(k, task))


def signal_struct_at(k: "Kernel", ts: int) -> int:
    """The signal_struct the task_struct at TS points to (0 if it points outside memory)."""
    return _ptr_to(k, k.mem.u64(ts + TaskStruct.signal.offset), SignalStruct.size)


def sighand(k: "Kernel", task: "Task") -> int:
    return _ptr_to(k, k.mem.u64(_ts(k, task) + TaskStruct.sighand.offset), SighandStruct.size)


def _private_at(k: "Kernel", task: "Task") -> int:
    return _ts(k, task) + TaskStruct.pending.offset + SigPending.signal.offset


def _shared_at(k: "Kernel", task: "Task") -> int:
    sig = signal_struct(k, task)
    return sig + SignalStruct.shared_pending.offset + SigPending.signal.offset if sig else 0


def blocked(k: "Kernel", task: "Task") -> int:
    return k.mem.u64(_ts(k, task) + TaskStruct.blocked.offset)


def set_blocked(k: "Kernel", task: "Task", mask: int) -> None:
    k.mem.set_u64(_ts(k, task) + TaskStruct.blocked.offset, mask & ALL)


def pending(k: "Kernel", task: "Task") -> int:
    """pending.signal | signal->shared_pending.signal."""
    shared = _shared_at(k, task)
    return k.mem.u64(_private_at(k, task)) | (k.mem.u64(shared) if shared else 0)


def unblocked_pending(k: "Kernel", task: "Task") -> int:
    """pending() & ~blocked(), read from one look-up of the task_struct (each system call's
    way back to user space asks)."""
    if not task.guest_struct:
        return 0
    ts = _ts(k, task)
    mem = k.mem
    sig = _ptr_to(k, mem.u64(ts + _TS_SIGNAL), SignalStruct.size)
    private = mem.u64(ts + _TS_PENDING_SIGNAL)
    shared = mem.u64(sig + _SIG_SHARED_SIGNAL) if sig else 0
    return (private | shared) & ~mem.u64(ts + _TS_BLOCKED)


def _clear(k: "Kernel", task: "Task", mask: int) -> None:
    at = _private_at(k, task)
    k.mem.set_u64(at, k.mem.u64(at) & ~mask)
    shared = _shared_at(k, task)
    if shared:
        k.mem.set_u64(shared, k.mem.u64(shared) & ~mask)
    for sig in [s for s in task.siginfo if mask & sigmask(s)]:
        del task.siginfo[sig]


def handler(k: "Kernel", task: "Task", sig: int) -> int:
    sh = sighand(k, task)
    return k.mem.u64(sh + SighandStruct.action.offset + (sig - 1) * KSigaction.size) if sh else SIG_DFL


def set_handler(k: "Kernel", task: "Task", sig: int, value: int) -> None:
    sh = sighand(k, task)
    if sh:
        k.mem.set_u64(sh + SighandStruct.action.offset + (sig - 1) * KSigaction.size, value)


def _flags(k: "Kernel", task: "Task") -> int:
    sig = signal_struct(k, task)
    return k.mem.u32(sig + SignalStruct.flags.offset) if sig else 0


def init_task_signals(k: "Kernel", task: "Task", ts: int, ts_buf: bytearray) -> None:
    """copy_process(): TASK's signal_struct and sighand_struct (kthreads ignore every signal,
    as kthreadd's ignore_signals() leaves them; init is SIGNAL_UNKILLABLE). Each is put
    together in host memory and written at once (a boot makes ~20 of each); the task_struct
    at TS, not yet written, gets its pointers to them in TS_BUF."""
    mem = k.mem
    sig = k.heap.alloc(SignalStruct.size)
    _U64.pack_into(ts_buf, _TS_SIGNAL, sig)
    sh = cache_alloc(k, _sighand_cache(k))
    _U64.pack_into(ts_buf, _TS_SIGHAND, sh)
    task.sigobjs = (sig, sh)
    buf = bytearray(_SIGNAL_TEMPLATE)
    _U64.pack_into(buf, _SIG_CURR_TARGET, ts)
    if task.pid == 1 and not task.is_kthread:
        _U32.pack_into(buf, _SIG_FLAGS, SIGNAL_UNKILLABLE)
    for off in _SIG_HEADS:                      # empty list_heads point at themselves
        _U64.pack_into(buf, off, sig + off)
        _U64.pack_into(buf, off + 8, sig + off)
    mem.write(sig, buf)
    buf = bytearray(_SIGHAND_KTHREAD if task.is_kthread else _SIGHAND_TEMPLATE)
    _U64.pack_into(buf, _SH_HEAD, sh + _SH_HEAD)
    _U64.pack_into(buf, _SH_HEAD + 8, sh + _SH_HEAD)
    mem.write(sh, buf)
    _U64.pack_into(ts_buf, _TS_PENDING, ts + _TS_PENDING)      # INIT_LIST_HEAD(&pending.list)
    _U64.pack_into(ts_buf, _TS_PENDING + 8, ts + _TS_PENDING)


def _templates() -> tuple[bytes, bytes, bytes]:
    """A new signal_struct (sigcnt, live, nr_threads 1) and sighand_struct (count 1; every
    action SIG_DFL, or for a kthread SIG_IGN), but for their addresses."""
    sig = bytearray(SignalStruct.size)
    for member in ("sigcnt", "live", "nr_threads"):
        _U32.pack_into(sig, getattr(SignalStruct, member).offset, 1)
    sh = bytearray(SighandStruct.size)
    _U32.pack_into(sh, SighandStruct.count.offset, 1)
    kthread = bytearray(sh)
    for i in range(NSIG):
        _U64.pack_into(kthread, SighandStruct.action.offset + i * KSigaction.size, SIG_IGN)
    return bytes(sig), bytes(sh), bytes(kthread)


_U32, _U64 = struct.Struct("<I"), struct.Struct("<Q")
_SIGNAL_TEMPLATE, _SIGHAND_TEMPLATE, _SIGHAND_KTHREAD = _templates()
_TS_SIGNAL, _TS_SIGHAND, _TS_PENDING = (TaskStruct.signal.offset, TaskStruct.sighand.offset,
                                        TaskStruct.pending.offset)
_SIG_CURR_TARGET, _SIG_FLAGS = SignalStruct.curr_target.offset, SignalStruct.flags.offset
_SIG_HEADS = (SignalStruct.thread_head.offset, SignalStruct.shared_pending.offset,
              SignalStruct.wait_chldexit.offset + WaitQueueHead.head.offset)
_SH_HEAD = SighandStruct.signalfd_wqh.offset + WaitQueueHead.head.offset
_TS_PENDING_SIGNAL = TaskStruct.pending.offset + SigPending.signal.offset
_TS_BLOCKED = TaskStruct.blocked.offset
_SIG_SHARED_SIGNAL = SignalStruct.shared_pending.offset + SigPending.signal.offset


def _sighand_cache(k: "Kernel") -> "KmemCache":
    """sighand_cachep: sighand_structs come from a cache of their own, as 4.19's fork_init()
    makes it (SLAB_HWCACHE_ALIGN | SLAB_TYPESAFE_BY_RCU ...: 2112-byte objects in order-3
    slabs), not from kmalloc-4096, which would take twice the memory per task."""
    c = k.slab.sighand_cache
    if c is None:
        c = k.slab.sighand_cache = kernel_cache("sighand_cache", SighandStruct.size,
                                                SLAB_HWCACHE_ALIGN | SLAB_TYPESAFE_BY_RCU)
    return c


def free_task_signals(k: "Kernel", task: "Task") -> None:
    """__cleanup_sighand()/free_signal_struct() of a reaped task."""
    if task.sigobjs:
        sig, sh = task.sigobjs
        k.heap.free(sig)
        cache_free(k, _sighand_cache(k), sh)
    task.sigobjs = ()
    task.siginfo.clear()


# --- sending ---------------------------------------------------------------------------------
def sig_ignored(k: "Kernel", task: "Task", sig: int, force: bool) -> bool:
    """sig_ignored(): a blocked signal is never ignored (it may be unblocked later)."""
    ts = _ts(k, task)
    if (blocked(k, task) | k.mem.u64(ts + TaskStruct.real_blocked.offset)) & sigmask(sig):
        return False
    h = handler(k, task, sig)
    if _flags(k, task) & SIGNAL_UNKILLABLE and h == SIG_DFL and not (force and sigmask(sig) & KERNEL_ONLY):
        return True
    if not task.is_kthread and sigmask(sig) & KERNEL_STOP and h == SIG_DFL:
        return True                      # job control is not modelled
    return h == SIG_IGN or (h == SIG_DFL and bool(sigmask(sig) & KERNEL_IGNORE))


def _fatal_default(k: "Kernel", task: "Task", sig: int) -> bool:
    """sig_fatal(): the default action of SIG, with SIG_DFL, ends a user task."""
    bit = sigmask(sig)
    return (not task.is_kthread and handler(k, task, sig) == SIG_DFL
            and not bit & (KERNEL_IGNORE | KERNEL_STOP))


def send_signal(k: "Kernel", task: "Task", sig: int, info: Info | None = None,
                force: bool = False, group: bool = False) -> int:
    """__send_signal() + complete_signal(): queue SIG on TASK (its thread group's shared
    pending set if GROUP) and wake it; 0, or -EINVAL for a bad number, -ESRCH for a task
    that is gone."""
    if not task.alive:
        return -Errno.ESRCH
    if sig == 0:
        return 0
    if not valid_signal(sig):
        return -Errno.EINVAL
    if sig_ignored(k, task, sig, force):
        return 0
    bit = sigmask(sig)
    at = _shared_at(k, task) if group else 0
    at = at or _private_at(k, task)
    already = k.mem.u64(at) & bit
    if sig < 32 and already:
        return 0                         # legacy signals queue once
    k.mem.set_u64(at, k.mem.u64(at) | bit)
    task.siginfo.setdefault(sig, []).append(info or Info(sig))
    if blocked(k, task) & bit:
        return 0
    fatal = sig == SIGKILL
    if _fatal_default(k, task, sig) and not bit & KERNEL_COREDUMP:
        sig_s = signal_struct(k, task)
        if sig_s and not _flags(k, task) & SIGNAL_GROUP_EXIT:
            k.mem.set_u32(sig_s + SignalStruct.flags.offset, SIGNAL_GROUP_EXIT)
            k.mem.set_u32(sig_s + SignalStruct.group_exit_code.offset, sig)
            priv = _private_at(k, task)
            k.mem.set_u64(priv, k.mem.u64(priv) | sigmask(SIGKILL))
    if not task.is_kthread and task._thread is None and _fatal_default(k, task, sig):
        kill_sleeping(k, task)           # a daemon asleep in user space: it dies now
        return 0
    # SIGKILL also ends a killable sleep (TASK_WAKEKILL); D and killable are one state here
    states = (TaskState.INTERRUPTIBLE, TaskState.UNINTERRUPTIBLE) if fatal else (TaskState.INTERRUPTIBLE,)
    wake_up_state(k, task, states)
    return 0


def kill_sleeping(k: "Kernel", task: "Task") -> None:
    """A user task that runs no kernel code (a daemon in epoll_wait) dies of its signal."""
    if task is k.shell:
        return
    k.sched.exit_task(task)


def force_sig_info(k: "Kernel", task: "Task", sig: int, info: Info | None = None) -> int:
    """force_sig_info(): unblock and un-ignore SIG first, then send it."""
    if not valid_signal(sig) or not task.alive:
        return -Errno.EINVAL if task.alive else -Errno.ESRCH
    bit = sigmask(sig)
    if handler(k, task, sig) == SIG_IGN or blocked(k, task) & bit:
        set_handler(k, task, sig, SIG_DFL)
        set_blocked(k, task, blocked(k, task) & ~bit)
    sig_s = signal_struct(k, task)
    if sig_s and handler(k, task, sig) == SIG_DFL:
        k.mem.set_u32(sig_s + SignalStruct.flags.offset, _flags(k, task) & ~SIGNAL_UNKILLABLE)
    return send_signal(k, task, sig, info, force=True)


# --- taking them -----------------------------------------------------------------------------
def dequeue(k: "Kernel", task: "Task", mask: int) -> tuple[int, Info | None]:
    """dequeue_signal(): the lowest signal pending and not in MASK, private ones first;
    (0, None) if there is none."""
    for at in (_private_at(k, task), _shared_at(k, task)):
        if not at:
            continue
        avail = k.mem.u64(at) & ~mask
        if not avail:
            continue
        sig = (avail & -avail).bit_length()
        infos = task.siginfo.get(sig) or []
        info = infos.pop(0) if infos else None
        if not infos:
            task.siginfo.pop(sig, None)
            k.mem.set_u64(at, k.mem.u64(at) & ~sigmask(sig))
        return sig, info
    return 0, None


def write_info(k: "Kernel", addr: int, info: Info) -> None:
    """copy_siginfo() of a taken signal into a guest siginfo_t."""
    if not k.mem.valid(addr, Siginfo.size):
        return
    k.mem.zero(addr, Siginfo.size)
    k.mem.set_u32(addr + Siginfo.si_signo.offset, info.signo)
    k.mem.set_u32(addr + Siginfo.si_code.offset, info.code & 0xFFFF_FFFF)
    k.mem.set_u32(addr + Siginfo.si_pid.offset, info.pid)
    k.mem.set_u32(addr + Siginfo.si_uid.offset, info.uid)
    k.mem.set_u64(addr + Siginfo.si_value.offset, info.value)


def read_info(k: "Kernel", sig: int, addr: int) -> Info:
    """The siginfo a module passed to send_sig_info() (SEND_SIG_* or a pointer)."""
    if addr == SEND_SIG_NOINFO:
        return Info(sig, SI_USER, k.sched.current.pid if k.sched.current else 0)
    if addr in (SEND_SIG_PRIV, SEND_SIG_FORCED) or not k.mem.valid(addr, Siginfo.size):
        return Info(sig, SI_KERNEL)
    mem = k.mem
    code = mem.u32(addr + Siginfo.si_code.offset)
    return Info(sig, code - (1 << 32) if code & 0x8000_0000 else code,
                mem.u32(addr + Siginfo.si_pid.offset), mem.u32(addr + Siginfo.si_uid.offset),
                mem.u64(addr + Siginfo.si_value.offset))


def flush(k: "Kernel", task: "Task") -> None:
    """flush_signals(): forget every pending signal (TIF_SIGPENDING too)."""
    _clear(k, task, ALL)
    task.tif_sigpending = False


def flush_mask(k: "Kernel", task: "Task", mask: int) -> None:
    _clear(k, task, mask)


def fatal_pending(k: "Kernel", task: "Task") -> bool:
    """__fatal_signal_pending(): SIGKILL in the task's own pending set."""
    return bool(task.guest_struct and k.mem.u64(_private_at(k, task)) & sigmask(SIGKILL))


def fatal_signal(k: "Kernel", task: "Task") -> int:
    """get_signal() on the way back to user space: the signal the task dies of (0: none).
    Signals it ignores are taken and dropped; a group exit under way gives its code."""
    # (task.sigpending, inline: the property imports this module at every call)
    if task.is_kthread or not task.guest_struct or not (
            task.tif_sigpending or unblocked_pending(k, task)):
        return 0                         # no TIF_SIGPENDING: get_signal() is not reached
    sig_s = signal_struct(k, task)
    if sig_s and _flags(k, task) & SIGNAL_GROUP_EXIT:
        return k.mem.u32(sig_s + SignalStruct.group_exit_code.offset) or SIGKILL
    for _ in range(NSIG):
        sig, _info = dequeue(k, task, blocked(k, task))
        if not sig:
            return 0
        if handler(k, task, sig) == SIG_DFL and _fatal_default(k, task, sig):
            return sig
    return 0
