"""linux/kprobes.h: kprobes and kretprobes (kernel/kprobes.py has the machinery)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterator

from kernel import cost
from kernel.api import errret, kapi
from kernel.errno import KernelError
from kernel.kprobes import kprobes_of

if TYPE_CHECKING:
    from kernel.machine import Kernel


def _ret(fn: Callable[[], None]) -> int:
    try:
        fn()
        return 0
    except KernelError as e:
        return errret(e.errno)


def _array(k: "Kernel", arr: int, num: int) -> Iterator[int]:
    """ARR[0..NUM), each read when the loop reaches it, as 4.19's loops read kps[i]: a bad
    entry faults there, not after the rest were read. The loop's time passes on the clock;
    past _MAX_ENTRIES the rest of it is charged at once and no more entries are taken (a loop
    that long keeps its CPU until the soft-lockup report, as seq_list_start's endless walk)."""
    for i in range(num):
        if i == _MAX_ENTRIES:
            left = num - i
            while left > 0 and k.watchdog.pending is None and k.watchdog.costs:
                cost.spend(k, "list_step", min(left, _SPIN_BATCH))
                left -= _SPIN_BATCH
            return
        if i and not i % _BATCH:
            cost.spend(k, "list_step", _BATCH)
        yield k.mem.u64(arr + 8 * i)


_BATCH = 1 << 12            # entries charged at once
_SPIN_BATCH = 1 << 20       # ... and past _MAX_ENTRIES
_MAX_ENTRIES = 1 << 16      # entries a loop takes before the rest of its time is charged at once


def _s32(v: int) -> int:
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v >> 31 else v


@kapi()
def register_kprobe(k: "Kernel", p: int) -> int:
    return _ret(lambda: kprobes_of(k).register_kprobe(p))


@kapi()
def unregister_kprobe(k: "Kernel", p: int) -> None:
    kprobes_of(k).unregister_kprobes([p])


def _register_each(k: "Kernel", arr: int, num: int, register: Callable[[int], None],
                   unregister: Callable[[list[int]], None]) -> int:
    """register_kprobes()/register_kretprobes(): each of ARR[0..NUM) in turn; on a failure
    the ones registered so far are unregistered and its error returned."""
    num = _s32(num)
    if num <= 0:
        return errret(22)
    done: list[int] = []
    for p in _array(k, arr, num):
        ret = _ret(lambda p=p: register(p))
        if ret < 0:
            if done:
                unregister(done)
            return ret
        done.append(p)
    return 0


@kapi()
def register_kprobes(k: "Kernel", kps: int, num: int) -> int:
    kp = kprobes_of(k)
    return _register_each(k, kps, num, kp.register_kprobe, kp.unregister_kprobes)


@kapi()
def unregister_kprobes(k: "Kernel", kps: int, num: int) -> None:
    num = _s32(num)
    if num > 0:
        kprobes_of(k).unregister_kprobes(_array(k, kps, num))


@kapi()
def register_kretprobe(k: "Kernel", rp: int) -> int:
    return _ret(lambda: kprobes_of(k).register_kretprobe(rp))


@kapi()
def unregister_kretprobe(k: "Kernel", rp: int) -> None:
    kprobes_of(k).unregister_kretprobes([rp])


@kapi()
def register_kretprobes(k: "Kernel", rps: int, num: int) -> int:
    kp = kprobes_of(k)
    return _register_each(k, rps, num, kp.register_kretprobe, kp.unregister_kretprobes)


@kapi()
def unregister_kretprobes(k: "Kernel", rps: int, num: int) -> None:
    num = _s32(num)
    if num > 0:
        kprobes_of(k).unregister_kretprobes(list(_array(k, rps, num)))


@kapi()
def disable_kprobe(k: "Kernel", p: int) -> int:
    return _ret(lambda: kprobes_of(k).disable_kprobe(p))


@kapi()
def enable_kprobe(k: "Kernel", p: int) -> int:
    return _ret(lambda: kprobes_of(k).enable_kprobe(p))


@kapi()
def kprobe_running(k: "Kernel") -> int:
    """current_kprobe of this CPU: the probe whose handler runs, 0 if none."""
    kp = k.kprobes
    return kp.current.get(k.current.cpu, 0) if kp is not None else 0


@kapi()
def get_kprobe(k: "Kernel", addr: int) -> int:
    """The kprobe registered at ADDR (the aggregate of several), 0 if none."""
    kp = k.kprobes
    site = kp.table.get(addr) if kp is not None else None
    return (site.aggr or site.probes[0]) if site is not None and site.probes else 0


@kapi()
def arch_deref_entry_point(k: "Kernel", entry: int) -> int:
    return entry


@kapi()
def dump_kprobe(k: "Kernel", p: int) -> None:
    """dump_kprobe(): the probe's symbol name, offset and address (%pS), at KERN_ERR."""
    from kernel.abi import Kprobe
    mem = k.mem
    name = mem.u64(p + Kprobe.symbol_name.offset)
    text = mem.cstr(name, 128) if name else "(null)"
    addr = mem.u64(p + Kprobe.addr.offset)
    k.printk.log(3, "Dumping kprobe:")
    k.printk.log(3, f"Name: {text}\nOffset: {mem.u32(p + Kprobe.offset.offset):x}\n"
                 f"Address: {k.kallsyms.sprint_symbol(addr)}")
