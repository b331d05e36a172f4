"""linux/kthread.h: kernel threads running guest functions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import errret, kapi, s64
from kernel.api.vsprintf import vsnprintf
from kernel.cpu import VarArgs
from kernel.errno import Errno
from kernel.fork import kernel_thread
from kernel.sched import TaskExit, TaskKilled, TaskKind, TaskState
from kernel.bug import WarnSite

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.wait import WaitQueue
    from kernel.sched import Task

# kthread_park()'s WARN_ON(k->flags & PF_EXITING) and WARN_ON_ONCE(KTHREAD_SHOULD_PARK) (4.19)
WARN_PARK_EXITING = WarnSite("kernel/kthread.c", 498, "kthread_park")
WARN_PARK_PARKING = WarnSite("kernel/kthread.c", 501, "kthread_park", once=True)


class DoExit(TaskExit):
    """do_exit() in a kernel thread: its function never returns; CODE is its exit code."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _kthread_main(k: "Kernel", task: "Task") -> None:
    data = task.kthread_data
    try:
        if not data.get("stop"):
            _parkme(k, task)      # kthread(): a thread parked before its first run parks first
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
    task = kernel_thread(k, comm)
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


def _parkme(k: "Kernel", task: "Task") -> None:
    """__kthread_parkme(): sleep in TASK_PARKED while asked to park, telling kthread_park()."""
    data = task.kthread_data
    while data.get("park"):
        if not data.get("parked"):
            data["parked"] = True
            _parkq(task).wake_up(k)
        k.sched.block(TaskState.PARKED)
    data["parked"] = False


def _parkq(task: "Task") -> "WaitQueue":
    from kernel.wait import WaitQueue
    return task.kthread_data.setdefault("parkq", WaitQueue())


def _kthread_of(k: "Kernel", tsk: int) -> "Task | None":
    task = k.task_by_struct(tsk)
    return task if task is not None and "fn" in task.kthread_data else None


@kapi()
def kthread_should_park(k: "Kernel") -> int:
    return int(bool(k.sched.current.kthread_data.get("park")))


@kapi()
def __kthread_should_park(k: "Kernel", tsk: int) -> int:
    task = _kthread_of(k, tsk)
    return int(task is not None and bool(task.kthread_data.get("park")))


@kapi()
def kthread_parkme(k: "Kernel") -> None:
    _parkme(k, k.sched.current)


@kapi()
def kthread_park(k: "Kernel", tsk: int) -> int:
    """Ask the kthread to park and wait until it has (kernel/kthread.c): 0, -ENOSYS once it
    is exiting, -EBUSY if it is asked already (both WARN on 4.19)."""
    task = _kthread_of(k, tsk)
    if task is None:
        return errret(Errno.EINVAL)
    data = task.kthread_data
    if data.get("exited") or not task.alive:
        k.warn_at(WARN_PARK_EXITING)
        return errret(Errno.ENOSYS)
    if data.get("park"):
        k.warn_at(WARN_PARK_PARKING)
        return errret(Errno.EBUSY)
    data["park"] = True
    if task is not k.sched.current:
        from kernel.api.sched import wake_up_process
        wake_up_process(k, tsk)
        _parkq(task).wait_event(k, lambda: data.get("parked") or data.get("exited"))
    return 0


@kapi()
def kthread_unpark(k: "Kernel", tsk: int) -> None:
    from kernel.wait import wake_up_state
    task = _kthread_of(k, tsk)
    if task is None:
        return
    task.kthread_data["park"] = False
    wake_up_state(k, task, (TaskState.PARKED,))


@kapi()
def kthread_stop(k: "Kernel", tsk: int) -> int:
    from kernel.wait import WaitQueue, wake_up_state
    task = k.task_by_struct(tsk)
    if task is None or "fn" not in task.kthread_data:
        return errret(Errno.EINVAL)
    data = task.kthread_data
    data["stop"] = True
    data["park"] = False                        # kthread_unpark(k) first, as 4.19 does
    if not data["started"]:
        data["started"] = True
        data["exited"] = True
        k.sched.exit_task(task)
        k.put_task_struct(task)
        return errret(Errno.EINTR)
    wake_up_state(k, task, (TaskState.INTERRUPTIBLE, TaskState.UNINTERRUPTIBLE, TaskState.IDLE,
                            TaskState.PARKED))
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
