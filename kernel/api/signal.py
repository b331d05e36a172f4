"""linux/signal.h, linux/sched/signal.h: signals sent to tasks, as a kernel thread sees them.

A kernel thread ignores every signal until it calls allow_signal(); a signal it takes is made
pending (TIF_SIGPENDING: signal_pending() is true) and wakes it from an interruptible sleep,
or from any sleep for SIGKILL.  flush_signals() forgets them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import errret, kapi, s32
from kernel.errno import Errno
from kernel.sched import TaskState
from kernel.wait import wake_up_state

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.sched import Task

SIGKILL, SIGSTOP, NSIG = 9, 19, 64
SEND_SIG_FORCED = 2


def _bit(sig: int) -> int:
    return 1 << (sig - 1)


def _valid(sig: int) -> bool:
    return 1 <= sig <= NSIG


def send_signal(k: "Kernel", task: "Task", sig: int, forced: bool = False) -> int:
    """Deliver SIG to TASK (kernel/signal.c send_signal/complete_signal); 0 or -EINVAL."""
    if sig == 0:
        return 0
    if not _valid(sig):
        return errret(Errno.EINVAL)
    if task.is_kthread and not forced and not task.allowed_signals & _bit(sig):
        return 0                            # kthreads ignore what they have not allowed
    task.signals |= _bit(sig)
    task.sigpending = True
    states = (TaskState.INTERRUPTIBLE, TaskState.UNINTERRUPTIBLE) if sig == SIGKILL \
        else (TaskState.INTERRUPTIBLE,)
    wake_up_state(k, task, states)
    return 0


@kapi()
def allow_signal(k: "Kernel", sig: int) -> None:
    sig = s32(sig)
    if _valid(sig):
        k.sched.current.allowed_signals |= _bit(sig)


@kapi()
def disallow_signal(k: "Kernel", sig: int) -> None:
    sig = s32(sig)
    if _valid(sig):
        me = k.sched.current
        me.allowed_signals &= ~_bit(sig)
        me.signals &= ~_bit(sig)
        if not me.signals:
            me.sigpending = False


@kapi()
def send_sig(k: "Kernel", sig: int, tsk: int, priv: int) -> int:
    task = k.task_by_struct(tsk)
    if task is None or not task.alive:
        return errret(Errno.ESRCH)
    return send_signal(k, task, s32(sig))


@kapi()
def send_sig_info(k: "Kernel", sig: int, info: int, tsk: int) -> int:
    task = k.task_by_struct(tsk)
    if task is None or not task.alive:
        return errret(Errno.ESRCH)
    return send_signal(k, task, s32(sig), forced=info == SEND_SIG_FORCED)


@kapi()
def force_sig(k: "Kernel", sig: int, tsk: int) -> None:
    task = k.task_by_struct(tsk)
    if task is not None and task.alive:
        send_signal(k, task, s32(sig), forced=True)


@kapi()
def kill_pid(k: "Kernel", pid: int, sig: int, priv: int) -> int:
    from kernel.api.pid import pid_task_of
    task = pid_task_of(k, pid)
    if task is None:
        return errret(Errno.ESRCH)
    return send_signal(k, task, s32(sig))


@kapi()
def flush_signals(k: "Kernel", tsk: int) -> None:
    task = k.task_by_struct(tsk)
    if task is not None:
        task.signals = 0
        task.sigpending = False


@kapi("__fatal_signal_pending")
def fatal_signal_pending(k: "Kernel", tsk: int) -> int:
    task = k.task_by_struct(tsk)
    return int(task is not None and bool(task.signals & _bit(SIGKILL)))


@kapi("__get_task_comm")
def get_task_comm(k: "Kernel", buf: int, size: int, tsk: int) -> int:
    task = k.task_by_struct(tsk)
    if task is not None and size:
        data = task.comm.encode()[:size - 1]
        k.mem.write(buf, data + b"\0")
    return buf
