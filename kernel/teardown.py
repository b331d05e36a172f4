"""Power off without the cycle collector: the references that make a machine a cycle (its parts
pointing back at the Kernel, closures over it, trees that point both ways) are cut when it is shut
down, so a machine nobody holds is freed by reference counting alone (900 replays stay flat with
gc.disable()). Teardown goes to where the cycles are made, not through every attribute: each
part's back-reference (.k or .kernel), the tasks', the workqueues' links, every file tree node's
code (its power_off(), kernel/fs), procfs parents, the machine's own stubs, queued work and
timers; the closures the machine gives its parts close over the part they serve (the clock, the
watchdog), not over the machine. What a caller may still read after shutdown (the log, the
tasks, the memory object, the livepatch history) stays in place; only the back-references go."""

from __future__ import annotations

import types
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    from kernel.machine import Kernel

__all__ = ["break_cycles"]


# Functions and bound methods (neither type can be subclassed: a type() test is isinstance())
_CODE = frozenset({types.FunctionType, types.MethodType})


def _over(value: Any, k: "Kernel") -> bool:
    """A function whose closure holds the machine, or a bound method of it."""
    if type(value) is types.MethodType:
        return value.__self__ is k
    if type(value) is types.FunctionType and value.__closure__:
        return any(_cell(c) is k for c in value.__closure__)
    return False


def _cell(cell: Any) -> Any:
    try:
        return cell.cell_contents
    except ValueError:          # an empty cell
        return None


def _cut_code(obj: Any) -> None:
    """OBJ's functions and bound methods (a class's devnode(), a host work's function): nothing
    calls them once the machine is off, and each may close over what holds OBJ."""
    d = getattr(obj, "__dict__", None)
    if not isinstance(d, dict):
        return
    for name, value in d.items():
        if type(value) in _CODE:
            d[name] = None


def _gave_up() -> bool:
    """A wait for the wall clock on a machine that is off gives up (WallClockPacer.stop)."""
    return True


def _cut_procfs(procfs: Any) -> None:
    """proc_dir_entries <-> their parents; each entry's file or directory lets go of its code
    (as in the VFS tree, where it is unless its parent was removed before it)."""
    for de in procfs.by_addr.values():
        de.parent = None
        de.node.power_off()


# What holds no machine: the plain values among the machine's attributes
_PLAIN = frozenset({int, bool, str, bytes, dict, list, set, tuple, type(None)})


def _cut_backrefs(objs: Iterable[Any], k: "Kernel") -> None:
    """OBJS let go of the machine, which each part holds as .k or .kernel (the kernel's
    one convention): a lookup or two each, not a walk of every attribute."""
    for obj in objs:
        if type(obj) in _PLAIN:
            continue
        if getattr(obj, "k", None) is k:
            obj.k = None
        elif getattr(obj, "kernel", None) is k:
            obj.kernel = None


def _cut_tasks(tasks: Iterable[Any]) -> None:
    """Every task lets go of the machine and of its sleep's timer (whose callback wakes it)."""
    for task in tasks:
        task.kernel = None
        task.sleep_deadline = None


def _cut_workqueues(wqs: Any) -> None:
    """Workqueues <-> their subsystem, work items <-> the queue they were last queued on,
    the pools' and queues' machine."""
    wqs.kernel = None
    for pool in (wqs.percpu, wqs.highpri, wqs.unbound):
        pool.kernel = None
    for wq in (wqs.system, *wqs.by_addr.values()):
        wq.subsys = wq.kernel = None
    for work in wqs.works.values():
        work.wq = None


def break_cycles(k: "Kernel") -> None:
    """Cut the machine's cycles after Kernel.shutdown() (nothing runs any more)."""
    _cut_backrefs(vars(k).values(), k)          # its parts (tasks and the system wq among them)
    sched = getattr(k, "sched", None)
    if sched is not None:
        _cut_tasks(sched.tasks.values())
        _cut_tasks(sched.idle)
    clock = getattr(k, "clock", None)
    if clock is not None:
        clock.on_advance.clear()
        clock._events.clear()
        if clock.pacer is not None:             # real time: its stop() asked the machine
            clock.pacer.stop = _gave_up
    cpu = getattr(k, "cpu", None)
    if cpu is not None:                         # stubs of this machine's own handlers (those
        for stub in cpu.stubs[cpu.image_stubs:]:  # of the boot image are shared, over none)
            if _over(stub.func, k):
                stub.func = None
    wqs = getattr(k, "workqueues", None)
    if wqs is not None:
        _cut_workqueues(wqs)
    softirq = getattr(k, "softirq", None)
    if softirq is not None:                     # queued softirq work: closures over the machine
        for queue in softirq.work:
            queue.clear()
        softirq.polls.clear()
    lp = getattr(k, "livepatch", None)
    if lp is not None:                          # (its history's clock is the machine's clock)
        lp.mutex.k = None
        _cut_code(lp.transition_work)           # a bound method of lp
    # file trees: show/store over their owners
    vfs = getattr(k, "vfs", None)
    if vfs is not None:
        vfs.root.power_off()                    # (each directory its children: kernel/fs)
    procfs = getattr(k, "procfs", None)
    if procfs is not None:
        _cut_procfs(procfs)
    devices = getattr(k, "devices", None)
    if devices is not None:                     # a class's devnode()
        for cls in devices.classes.values():
            _cut_code(cls)
    hung = getattr(k, "hung_task", None)
    if hung is not None and getattr(hung, "_wake", None) is not None:
        hung._wake = None
