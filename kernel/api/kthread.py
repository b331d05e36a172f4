"""linux/kthread.h: kernel threads running guest functions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import errret, kapi, s64
from kernel.api.vsprintf import vsnprintf
from kernel.cpu import VarArgs
from kernel.errno import Errno
from kernel.sched import TaskExit, TaskKilled, TaskKind, TaskState

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.sched import Task


class DoExit(TaskExit):
    """do_exit() in a kernel thread: its function never returns; CODE is its exit code."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _kthread_main(k: "Kernel", task: "Task") -> None:
    data = task.kthread_data
    try:
        data["ret"] = k.run_guest(task, data["fn"], (data["arg"],), via="kthread", host=())
    except DoExit as e:
        data["ret"] = e.code
    data["exited"] = True
    exitq = data.get("exitq")
    if exitq is not None:
        exitq.wake_up(k)
    k.sched.exit_task(task)


@kapi(variadic=True)
def kthread_create_on_node(k: "Kernel", fn: int, arg: int, node: int, namefmt: int, va: VarArgs) -> int:
    comm = vsnprintf(k, k.mem.cstr(namefmt), va.next)
    task = k.sched.new_task(comm, TaskKind.KTHREAD, base="kthread", sleep_on="kthread",
                            parent=k.kthreadd)
    task.state = TaskState.UNINTERRUPTIBLE
    task.kthread_data.update(fn=fn, arg=arg, started=False, stop=False, exited=False)
    return k.task_struct(task)


def start_kthread(k: "Kernel", task: "Task") -> bool:
    """First wake-up of a created kthread: give it a thread that runs its function."""
    data = task.kthread_data
    if "fn" not in data or data["started"]:
        return False
    data["started"] = True
    task.base = "kthread_fn"
    k.sched.start(task, lambda: _kthread_main(k, task))
    return True


@kapi()
def kthread_should_stop(k: "Kernel") -> int:
    return int(bool(k.sched.current.kthread_data.get("stop")))


@kapi()
def kthread_stop(k: "Kernel", tsk: int) -> int:
    from kernel.wait import WaitQueue, wake_up_state
    task = k.task_by_struct(tsk)
    if task is None or "fn" not in task.kthread_data:
        return errret(Errno.EINVAL)
    data = task.kthread_data
    data["stop"] = True
    if not data["started"]:
        data["started"] = True
        data["exited"] = True
        k.sched.exit_task(task)
        k.put_task_struct(task)
        return errret(Errno.EINTR)
    wake_up_state(k, task, (TaskState.INTERRUPTIBLE, TaskState.UNINTERRUPTIBLE, TaskState.IDLE))
    q = data.setdefault("exitq", WaitQueue())
    q.wait_event(k, lambda: data["exited"])
    if not task.alive:
        k.put_task_struct(task)
    return data.get("ret", 0)


@kapi()
def do_exit(k: "Kernel", code: int) -> None:
    """The calling task ends here (kernel/exit.c): a kthread's kthread_stop() gets CODE."""
    me = k.sched.current
    if "fn" in me.kthread_data:
        raise DoExit(s64(code))
    raise TaskKilled(me.comm, 9)


@kapi()
def complete_and_exit(k: "Kernel", comp: int, code: int) -> None:
    if comp:
        from kernel.api.wait import complete
        complete(k, comp)
    do_exit(k, code)
