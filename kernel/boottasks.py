"""The tasks a booted system has from the start (rest_init(): the idle tasks, init and kthreadd,
then the kthreads and daemons of a booted system), and what later boots of a process take from
the first one that made them.

Every boot of one boot image, profile and clock mode makes these tasks with the same pids and
the same guest objects at the same addresses: a task_struct each (init_task for swapper/0),
linked on init_task.tasks and their parents' children, a signal_struct and a sighand_struct
each, the mm the user tasks share, and the heap and sighand cache state those allocations
leave. The same holds for the forks the rest of the boot makes before anything else uses the heap
(the first kworkers, the shell's bash). The first such boot of the process makes them one by
one (Scheduler.new_task) and is recorded once its forks are made (boot_forks_made(); BootTasks,
a cache of the process like kernel.bootimage's images). A later boot makes the host Tasks of
the boot tasks only (Scheduler.add_task), gives them the recorded structs, takes a copy of the
recorded heap allocator and sighand cache, and writes the recorded bytes at once; its forks
then find their structs made (take_boot_struct(), from alloc_task_struct()). A boot that does
not start as the recorded one did (something on the heap, tasks, a transition, a clock that
moved) makes them one by one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from kernel.abi import TaskStruct
from kernel.cpu import merged_ranges
from kernel.mm import PAGE_SIZE
from kernel.sched import TaskKind

if TYPE_CHECKING:
    from kernel.api.slab import KmemCache
    from kernel.machine import Kernel
    from kernel.mm import Allocator
    from kernel.sched import Task

# Long-running tasks of a booted system: (comm, kind, base frames, what they sleep on).
BOOT_TASKS = (
    ("systemd", TaskKind.USER, "user", "daemon"),
    ("kthreadd", TaskKind.KTHREAD, "kthreadd", "kthread"),
    ("rcu_gp", TaskKind.KTHREAD, "kworker", "kworker"),
    ("ksoftirqd/0", TaskKind.KTHREAD, "ksoftirqd", "kthread"),
    ("rcu_sched", TaskKind.KTHREAD, "kthread", "kthread"),
    ("migration/0", TaskKind.KTHREAD, "ksoftirqd", "kthread"),
    ("ksoftirqd/1", TaskKind.KTHREAD, "ksoftirqd", "kthread"),
    ("migration/1", TaskKind.KTHREAD, "ksoftirqd", "kthread"),
    ("khungtaskd", TaskKind.KTHREAD, "kthread", "kthread"),
    ("systemd-journal", TaskKind.USER, "user", "daemon"),
    ("systemd-udevd", TaskKind.USER, "user", "daemon"),
    ("sshd", TaskKind.USER, "user", "daemon"),
    ("agetty", TaskKind.USER, "user", "daemon"),
)


class BootTasks:
    """What the boot tasks and forks of one (image, profile, clock mode) left: each boot
    task's task_struct, signal_struct and sighand_struct (in creation order) and the order the
    kernel's struct index got them in; each fork's (comm, kind, pid, parent's task_struct) and
    structs; the heap allocator and sighand cache (templates: a boot takes copies), the sighand
    objects, the user tasks' mm and the guest bytes [(address, bytes)]."""

    __slots__ = ("structs", "order", "forks", "heap", "sighand", "sighand_objs", "user_mm", "writes")

    def __init__(self, structs: tuple[tuple[int, int, int], ...], order: tuple[int, ...],
                 forks: tuple[tuple, ...], heap: "Allocator", sighand: "KmemCache",
                 sighand_objs: tuple[int, ...], user_mm: int, writes: tuple[tuple[int, bytes], ...]) -> None:
        self.structs, self.order, self.forks = structs, order, forks
        self.heap, self.sighand, self.sighand_objs = heap, sighand, sighand_objs
        self.user_mm, self.writes = user_mm, writes


# (id of the boot image, id of the profile, clock mode, CPUs) -> (image, profile, BootTasks):
# the image and profile are held, so their ids stay theirs. A cache of the process.
_RECORDED: dict[tuple[int, int, str, int], tuple[object, object, BootTasks]] = {}


def boot_tasks(k: "Kernel", nr_cpus: int) -> dict[str, "Task"]:
    """Make the idle tasks of NR_CPUS CPUs and BOOT_TASKS (kernel.boottasks' doc): the latter
    by comm."""
    image = k.boot_image
    if image is None or not _fresh(k):
        return _make(k, k.sched.new_task, nr_cpus)
    key = (id(image), id(k.profile), k.clock_mode, nr_cpus)
    entry = _RECORDED.get(key)
    if entry is not None and entry[0] is image and entry[1] is k.profile:
        return _lay_down(k, entry[2], nr_cpus)
    tasks = _make(k, k.sched.new_task, nr_cpus)
    k.boot_record = (key, image, k.profile, _created(k, tasks), nr_cpus)
    return tasks


def boot_forks_made(k: "Kernel") -> None:
    """The boot's forks are made (kernel.machine's boot, once the shell is): a boot that made
    its tasks one by one from a fresh start is recorded; what a laid down boot's forks did not
    take is given up (kept as it is)."""
    k.boot_structs = []
    pending, k.boot_record = k.boot_record, None
    if pending is None:
        return
    key, image, profile, made, nr_cpus = pending
    rec = _record(k, made, nr_cpus)
    if rec is not None:
        _RECORDED[key] = (image, profile, rec)


def take_boot_struct(k: "Kernel", task: "Task") -> bool:
    """TASK, forked while K's boot_structs are pending, is the fork they were recorded for
    next: it takes its structs (its parent's patch state synced, as alloc_task_struct()
    does); False (and none is pending any more) if it is another."""
    pending = k.boot_structs
    comm, kind, pid, parent, ts, sig, sh = pending[-1]
    if (task.comm != comm or task.kind is not kind or task.pid != pid or task.parent is None
            or task.parent.guest_struct != parent):
        pending.clear()
        return False
    pending.pop()
    k.task_struct(task.parent)
    task.guest_struct = ts
    task.sigobjs = (sig, sh)
    k._structs[ts] = task
    return True


def _make(k: "Kernel", new: Callable[..., "Task"], nr_cpus: int) -> dict[str, "Task"]:
    """The tasks, each made by NEW (Scheduler.new_task or add_task)."""
    for cpu in range(nr_cpus):
        t = new(f"swapper/{cpu}", TaskKind.IDLE, base="idle", sleep_on="idle", pid=0)
        t.cpu = cpu
    tasks: dict[str, "Task"] = {}
    for comm, kind, base, sleep_on in BOOT_TASKS:
        # rest_init(): init and kthreadd are swapper's; kthreads kthreadd's, daemons init's
        parent = None if comm in ("systemd", "kthreadd") else tasks.get(
            "kthreadd" if kind is TaskKind.KTHREAD else "systemd")
        tasks[comm] = new(comm, kind, base=base, sleep_on=sleep_on, parent=parent)
    return tasks


def _fresh(k: "Kernel") -> bool:
    """K is where every boot is when it makes its boot tasks: vmlinux in, nothing on the heap,
    no task, no struct, pids from 1, no transition, the clock at 0."""
    heap, lp = k.heap, k.livepatch
    return (k.vmlinux is not None and not heap.live and not heap.pages.order_of
            and k.slab.sighand_cache is None and not k.slab.cache_of and not k.user_mm
            and not k.sched.tasks and not k.sched.idle and not k._structs
            and not k.boot_structs and k.boot_record is None
            and k.sched._pids.__reduce__()[1] == (1,) and k.clock.now == 0
            and lp is not None and lp.transition_patch is None and k.kprobes is None)


def _created(k: "Kernel", tasks: dict[str, "Task"]) -> list["Task"]:
    """The boot tasks in the order they were made."""
    return k.sched.idle + list(tasks.values())


def _record(k: "Kernel", made: list["Task"], nr_cpus: int) -> BootTasks | None:
    """What the boot tasks MADE and the forks after them left in K (None if K holds anything
    else: another struct or cache object, or a heap object none of them holds)."""
    structs = list(k._structs.values())
    n = len(made)
    forks = structs[n:]
    index = {t.guest_struct: i for i, t in enumerate(made)}
    cache = k.slab.sighand_cache
    if (len(index) != n or set(structs[:n]) != set(made) or len(k.sched.idle) != nr_cpus
            or not all(t.guest_struct in index for t in structs[:n])
            or not all(t.parent is not None and t.parent.guest_struct and k.sched.tasks.get(t.pid) is t
                       for t in forks)
            or cache is None or any(c is not cache for c in k.slab.cache_of.values())
            or not all(len(t.sigobjs) == 2 for t in structs)):
        return None
    heap = k.heap
    held = {a for t in structs for a in (t.guest_struct, *t.sigobjs)} | set(cache.slabs) | {k.user_mm}
    if not set(heap.live) <= held:
        return None
    head = k.vmlinux.symbol("init_task") if k.vmlinux is not None else 0
    writes = [(head, k.mem.read(head, TaskStruct.size))] if head in index else []
    for lo, hi in _blocks(heap):
        data = _trimmed(k.mem.read(lo, hi - lo))
        if data:
            writes.append((lo, data))
    return BootTasks(tuple((t.guest_struct, *t.sigobjs) for t in made),
                     tuple(index[t.guest_struct] for t in structs[:n]),
                     tuple((t.comm, t.kind, t.pid, t.parent.guest_struct, t.guest_struct, *t.sigobjs)
                           for t in reversed(forks)),
                     heap.copy(), cache.copy(), tuple(k.slab.cache_of), k.user_mm, tuple(writes))


def _trimmed(data: bytes) -> bytes:
    """DATA, whole pages, without the pages at its end that are all zero (as a fresh
    machine's are). (Page by page: rstrip() of a slab's empty tail took ~15 instructions a
    byte.)"""
    end = len(data)
    while end >= PAGE_SIZE and data[end - PAGE_SIZE:end] == _ZERO_PAGE:
        end -= PAGE_SIZE
    return data[:end]


_ZERO_PAGE = bytes(PAGE_SIZE)


def _blocks(heap: "Allocator") -> list[tuple[int, int]]:
    """The heap's allocated page blocks, those that touch merged: [(start, end)]."""
    return merged_ranges({addr: PAGE_SIZE << order for addr, order in heap.pages.order_of.items()})


def _lay_down(k: "Kernel", rec: BootTasks, nr_cpus: int) -> dict[str, "Task"]:
    """The boot tasks as REC recorded them: host Tasks made, guest objects written (the
    forks' too: theirs wait in K's boot_structs, last first)."""
    k.heap = rec.heap.copy()
    cache = k.slab.sighand_cache = rec.sighand.copy()
    k.slab.cache_of.update(dict.fromkeys(rec.sighand_objs, cache))
    k.user_mm = rec.user_mm
    write = k.mem.write
    for addr, data in rec.writes:
        write(addr, data)
    tasks = _make(k, k.sched.add_task, nr_cpus)
    made = _created(k, tasks)
    for t, (ts, sig, sh) in zip(made, rec.structs):
        t.guest_struct = ts
        t.sigobjs = (sig, sh)
    structs = k._structs
    for i in rec.order:
        structs[rec.structs[i][0]] = made[i]
    k.boot_structs = list(rec.forks)
    return tasks
