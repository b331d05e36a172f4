"""linux/signal.h, linux/sched/signal.h: the signal calls modules make (kernel/signal.c).

The pending and blocked sets are the guest task_struct's (kernel/signal.py). A kernel thread
ignores every signal until it calls allow_signal(); a signal it takes is pending
(signal_pending() is true) and wakes it from an interruptible sleep, or from any sleep for
SIGKILL. flush_signals() forgets them. Every argument is a guest value: a task or pid
pointer that names nothing is -ESRCH (or nothing, for the void calls).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel import signal as sg
from kernel.api import errret, kapi, s32
from kernel.errno import Errno

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.sched import Task

# kernel threads may take this as the handler of an allowed signal (kernel_sigaction(sig, 2))
ALLOWED_HANDLER = 2


def send_signal(k: "Kernel", task: "Task", sig: int, forced: bool = False) -> int:
    """SIG to TASK as send_sig() sends it (kept for callers of the older name)."""
    return sg.send_signal(k, task, sig, force=forced)


def _task(k: "Kernel", tsk: int) -> "Task | None":
    task = k.task_by_struct(tsk)
    return task if task is not None and task.alive else None


@kapi()
def allow_signal(k: "Kernel", sig: int) -> None:
    sig = s32(sig)
    me = k.sched.current
    if me is not None and sg.valid_signal(sig):
        sg.set_handler(k, me, sig, ALLOWED_HANDLER)


@kapi()
def disallow_signal(k: "Kernel", sig: int) -> None:
    """kernel_sigaction(sig, SIG_IGN): ignored again, and forgotten if pending."""
    sig = s32(sig)
    me = k.sched.current
    if me is not None and sg.valid_signal(sig):
        sg.set_handler(k, me, sig, sg.SIG_IGN)
        sg.flush_mask(k, me, sg.sigmask(sig))


@kapi()
def send_sig_info(k: "Kernel", sig: int, info: int, tsk: int) -> int:
    sig = s32(sig)
    if not sg.valid_signal(sig) and sig != 0:
        return errret(Errno.EINVAL)
    task = _task(k, tsk)
    if task is None:
        return errret(Errno.ESRCH)
    force = info in (sg.SEND_SIG_PRIV, sg.SEND_SIG_FORCED)
    return sg.send_signal(k, task, sig, sg.read_info(k, sig, info), force=force)


@kapi()
def send_sig(k: "Kernel", sig: int, tsk: int, priv: int) -> int:
    return send_sig_info(k, sig, sg.SEND_SIG_PRIV if s32(priv) else sg.SEND_SIG_NOINFO, tsk)


@kapi()
def force_sig_info(k: "Kernel", sig: int, info: int, tsk: int) -> int:
    task = _task(k, tsk)
    if task is None:
        return errret(Errno.ESRCH)
    sig = s32(sig)
    return sg.force_sig_info(k, task, sig, sg.read_info(k, sig, info) if sg.valid_signal(sig) else None)


@kapi()
def force_sig(k: "Kernel", sig: int, tsk: int) -> None:
    force_sig_info(k, sig, sg.SEND_SIG_PRIV, tsk)


@kapi()
def kill_pid_info(k: "Kernel", sig: int, info: int, pid: int) -> int:
    """To the thread group a struct pid names (its shared pending set)."""
    from kernel.api.pid import pid_task_of
    task = pid_task_of(k, pid)
    if task is None or not task.alive:
        return errret(Errno.ESRCH)
    sig = s32(sig)
    if not sg.valid_signal(sig) and sig != 0:
        return errret(Errno.EINVAL)
    force = info in (sg.SEND_SIG_PRIV, sg.SEND_SIG_FORCED)
    return sg.send_signal(k, task, sig, sg.read_info(k, sig, info), force=force, group=True)


@kapi()
def kill_pid(k: "Kernel", pid: int, sig: int, priv: int) -> int:
    return kill_pid_info(k, sig, sg.SEND_SIG_PRIV if s32(priv) else sg.SEND_SIG_NOINFO, pid)


@kapi()
def flush_signals(k: "Kernel", tsk: int) -> None:
    task = _task(k, tsk)
    if task is not None:
        sg.flush(k, task)


@kapi()
def recalc_sigpending(k: "Kernel") -> None:
    """TIF_SIGPENDING again from what is pending and not blocked."""
    me = k.sched.current
    if me is not None:
        me.tif_sigpending = False


@kapi()
def dequeue_signal(k: "Kernel", tsk: int, mask: int, info: int) -> int:
    """The lowest pending signal not in *MASK, taken off (its siginfo written to INFO)."""
    task = _task(k, tsk)
    if task is None or not k.mem.valid(mask, 8):
        return 0
    sig, got = sg.dequeue(k, task, k.mem.u64(mask))
    if sig and info:
        sg.write_info(k, info, got or sg.Info(sig))
    return sig


@kapi()
def sigprocmask(k: "Kernel", how: int, newset: int, oldset: int) -> int:
    me = k.sched.current
    if me is None:
        return errret(Errno.EINVAL)
    old = sg.blocked(k, me)
    if oldset:
        if not k.mem.valid(oldset, 8):
            return errret(Errno.EFAULT)
        k.mem.set_u64(oldset, old)
    if not newset:
        return 0
    if not k.mem.valid(newset, 8):
        return errret(Errno.EFAULT)
    new = k.mem.u64(newset)
    how = s32(how)
    if how == sg.SIG_BLOCK:
        new = old | new
    elif how == sg.SIG_UNBLOCK:
        new = old & ~new
    elif how != sg.SIG_SETMASK:
        return errret(Errno.EINVAL)
    sg.set_blocked(k, me, new)
    return 0


@kapi("__fatal_signal_pending")
def fatal_signal_pending(k: "Kernel", tsk: int) -> int:
    task = k.task_by_struct(tsk)
    return int(task is not None and sg.fatal_pending(k, task))


@kapi("__get_task_comm")
def get_task_comm(k: "Kernel", buf: int, size: int, tsk: int) -> int:
    task = k.task_by_struct(tsk)
    if task is not None and size and k.mem.valid(buf, min(size, 16)):
        data = task.comm.encode()[:size - 1]
        k.mem.write(buf, data + b"\0")
    return buf
