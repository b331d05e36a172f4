"""Power off without the cycle collector: the references that make a machine a cycle (its parts
pointing back at the Kernel, closures over it, trees that point both ways) are cut when it is shut
down, so a machine nobody holds is freed by reference counting alone (900 replays stay flat with
gc.disable()). What a caller may still read after shutdown (the log, the tasks, the memory
object, the livepatch history) stays in place; only the back-references go."""

from __future__ import annotations

import types
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    from kernel.machine import Kernel

__all__ = ["break_cycles"]


# Functions and bound methods (neither type can be subclassed: a type() test is isinstance())
_CODE = frozenset({types.FunctionType, types.MethodType})


def _cut(obj: Any, k: "Kernel") -> None:
    """OBJ's attributes that point at the machine, or are closures or bound methods over it."""
    d = getattr(obj, "__dict__", None)
    if not isinstance(d, dict):
        return
    # (an attribute's value is replaced while its dict is walked: that changes no key)
    for name, value in d.items():
        if value is k or (type(value) in _CODE and _over(value, k)):
            d[name] = None


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


def _cut_all(objs: Iterable[Any], k: "Kernel") -> None:
    for obj in objs:
        _cut(obj, k)


def _cut_code(obj: Any) -> None:
    """OBJ's functions and bound methods (a sysfs attribute's show/store, a stub's handler):
    nothing calls them once the machine is off, and each may close over what holds OBJ."""
    d = getattr(obj, "__dict__", None)
    if not isinstance(d, dict):
        return
    for name, value in d.items():
        if type(value) in _CODE:
            d[name] = None


def _cut_trees(roots: list[Any]) -> None:
    """Every node of the trees at ROOTS (each node once: a .children dict, as sysfs/procfs/
    devtmpfs nodes have, and a procfs entry's .node) loses its functions and bound methods
    (as _cut_code) and its parent."""
    todo, seen = list(roots), set()
    while todo:
        node = todo.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        d = getattr(node, "__dict__", None)
        if isinstance(d, dict):
            for name, value in d.items():
                if type(value) in _CODE:
                    d[name] = None
        if hasattr(node, "parent"):
            node.parent = None
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            todo.extend(children.values())
        inner = getattr(node, "node", None)       # a procfs entry's file or directory
        if inner is not None:
            todo.append(inner)


def break_cycles(k: "Kernel") -> None:
    """Cut the machine's cycles after Kernel.shutdown() (nothing runs any more)."""
    _cut_all(list(vars(k).values()), k)        # (_cut() passes over those with no __dict__)
    sched = getattr(k, "sched", None)
    if sched is not None:
        tasks = list(sched.tasks.values()) + list(sched.idle)
        _cut_all(tasks, k)
        for task in tasks:                      # a timer's callback wakes the task
            task.sleep_deadline = None
    clock = getattr(k, "clock", None)
    if clock is not None:
        clock.on_advance.clear()
        clock._events.clear()
    cpu = getattr(k, "cpu", None)
    if cpu is not None:                         # stubs of this machine's own handlers (those
        _cut_all(cpu.stubs[cpu.image_stubs:], k)  # of the boot image are shared, over none)
    wqs = getattr(k, "workqueues", None)
    if wqs is not None:                         # workqueues <-> their subsystem and pools
        for obj in [*vars(wqs).values(), *wqs.by_addr.values(), *wqs.works.values()]:
            _cut(obj, k)
            for name in ("subsys", "wq"):
                if hasattr(obj, name):
                    setattr(obj, name, None)
        for pool in (wqs.percpu, wqs.highpri, wqs.unbound):
            _cut(pool, k)
    softirq = getattr(k, "softirq", None)
    if softirq is not None:                     # queued softirq work: closures over the machine
        for queue in softirq.work:
            queue.clear()
        softirq.polls.clear()
    lp = getattr(k, "livepatch", None)
    if lp is not None:
        _cut_all([lp.mutex, lp.history, lp.transition_work], k)
        _cut_code(lp.transition_work)
    # file trees: show/store over their owners
    _cut_trees([getattr(getattr(k, name, None), "root", None) for name in ("vfs", "procfs")])
    devices = getattr(k, "devices", None)
    if devices is not None:
        _cut_all(devices.classes.values(), k)
        for cls in devices.classes.values():
            _cut_code(cls)
    hung = getattr(k, "hung_task", None)
    if hung is not None and getattr(hung, "_wake", None) is not None:
        hung._wake = None
