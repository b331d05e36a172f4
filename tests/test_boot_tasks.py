"""The boot tasks' and the boot's forks' guest objects (task_structs, signal and sighand structs,
the heap and sighand cache that hold them) are recorded at the first boot of an image in a
process and laid down by later boots (kernel.boottasks): a machine booted so has the same
memory, allocator state, tasks and /proc as one that made them one by one."""

from __future__ import annotations

import hashlib

import pytest

from conftest import needs_kernel

pytestmark = needs_kernel


def _slabs(slabs) -> dict:
    return {page: (s.page, list(s.free)) for page, s in slabs.items()}


def _state(k) -> tuple:
    """What the boot tasks touch: guest memory where boot writes (the stub page, the first MiB
    of module space with vmlinux and init_task, 8 MiB of heap), the heap allocator, the sighand
    cache, the tasks and their structs, and what /proc shows of them."""
    from kernel.mm import HEAP_BASE, MEM_BASE, MODULES_BASE, STUB_BASE
    view = memoryview(k.mem.buf)
    memory = [hashlib.sha256(view[a - MEM_BASE:a - MEM_BASE + n]).hexdigest() for a, n in
              ((STUB_BASE, 1 << 20), (MODULES_BASE, 1 << 20), (HEAP_BASE, 8 << 20))]
    heap = k.heap
    allocator = (heap.live, heap.bytes_in_use, heap.pages.order_of, heap.pages._free,
                 heap.pages.pages_in_use, {c: _slabs(p) for c, p in heap._partial.items()},
                 _slabs(heap._slab_of), _slabs(heap._empty))
    c = k.slab.sighand_cache
    cache = (c.name, c.size, c.order, c.slabs, c.free, c.inuse,
             sorted(a for a, owner in k.slab.cache_of.items() if owner is c), len(k.slab.cache_of))
    tasks = [(t.pid, t.comm, t.kind, t.base, t.sleep_on, t.cpu, t.state, t.patch_state,
              t.patch_pending, t.guest_struct, t.sigobjs, t.ppid) for t in k.sched.idle + k.sched.all_tasks()]
    proc = [k.fs.read(f"/proc/{t.pid}/{name}") for t in k.sched.all_tasks()
            for name in ("status", "comm", "patch_state", "stack")]
    return (memory, allocator, cache, k.user_mm, tasks,
            [(addr, t.pid, t.comm) for addr, t in k._structs.items()], proc,
            k.fs.read("/proc/meminfo"), [r.text for r in k.printk.records])


@pytest.mark.parametrize("kernel", ["4.19", "5.4"])
def test_a_boot_from_the_recorded_tasks_is_a_boot_that_made_them(elf_cache, kernel, monkeypatch):
    from kernel import boottasks
    from kernel.machine import Kernel
    Kernel.boot(elf_cache=elf_cache, kernel=kernel).shutdown()      # the image exists
    Kernel.boot(elf_cache=elf_cache, kernel=kernel).shutdown()      # ... and its boot tasks
    made = []
    monkeypatch.setattr(boottasks, "_record", lambda *a: made.append(a) or None)
    later = Kernel.boot(elf_cache=elf_cache, kernel=kernel)
    assert not made and later.sched.idle[0].guest_struct      # laid down, not made
    (_, _, rec), = (e for e in boottasks._RECORDED.values() if e[0] is later.boot_image
                    and e[1] is later.profile)
    forks = {comm: ts for comm, _kind, _pid, _parent, ts, _sig, _sh in rec.forks}
    assert {"kworker/0:0", "kworker/0:1", "bash"} <= set(forks)   # the boot's forks took theirs
    assert later.shell.guest_struct == forks["bash"] and not later.boot_structs
    later_state = _state(later)
    later.shutdown()
    monkeypatch.setattr(boottasks, "_RECORDED", {})
    plain = Kernel.boot(elf_cache=elf_cache, kernel=kernel)         # makes them one by one
    assert made
    assert _state(plain) == later_state
    plain.shutdown()


def test_a_boot_that_does_not_start_fresh_makes_its_tasks(elf_cache, monkeypatch):
    from kernel import boottasks
    from kernel.machine import Kernel
    Kernel.boot(elf_cache=elf_cache).shutdown()
    Kernel.boot(elf_cache=elf_cache).shutdown()
    laid = []
    lay_down = boottasks._lay_down
    monkeypatch.setattr(boottasks, "_lay_down", lambda *a: laid.append(a) or lay_down(*a))
    Kernel.boot(elf_cache=elf_cache).shutdown()
    assert laid
    del laid[:]
    fresh = boottasks._fresh

    def used_heap(k) -> bool:           # something on the heap before the boot tasks
        k.heap.alloc(64)
        return fresh(k)
    monkeypatch.setattr(boottasks, "_fresh", used_heap)
    k = Kernel.boot(elf_cache=elf_cache)
    assert not laid and len(k._structs) == len(k.sched.idle) + len(k.sched.tasks)
    assert k.sched.idle[0].guest_struct and k.sched.tasks[1].sigobjs
    k.shutdown()


def test_a_task_made_from_the_defaults_is_a_task_made_by_its_init():
    from kernel.record import fields
    from kernel.sched import Task, TaskKind, new_task_record
    parent = Task(1, "init", TaskKind.USER)
    made = new_task_record(7, "kworker/0:1", TaskKind.KTHREAD, "kworker", "kworker", parent, None)
    plain = Task(7, "kworker/0:1", TaskKind.KTHREAD, "kworker", "kworker", parent=parent, kernel=None)
    names = [f.name for f in fields(Task)]
    assert list(vars(made)) == list(vars(plain)) == names
    assert [getattr(made, n) for n in names if n != "ctx"] == [getattr(plain, n) for n in names if n != "ctx"]
    assert vars(made.ctx) == vars(plain.ctx)
    other = new_task_record(8, "x", TaskKind.USER, "user", "user", None, None)
    for name in ("siginfo", "ctx", "kthread_data", "host_stack"):     # each its own
        assert getattr(made, name) is not getattr(other, name)


def test_a_fork_that_is_not_the_recorded_one_makes_its_own_structs(kernel):
    from kernel.sched import TaskKind
    kernel.boot_structs = [("kworker/9:9", TaskKind.KTHREAD, 999, 0, 1, 2, 3)]   # (nonsense)
    t = kernel.sched.new_task("other", TaskKind.KTHREAD, parent=kernel.kthreadd)
    assert not kernel.boot_structs
    assert t.guest_struct not in (0, 1) and kernel.task_by_struct(t.guest_struct) is t
    assert len(t.sigobjs) == 2 and 2 not in t.sigobjs
