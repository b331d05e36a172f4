"""linux/kprobes.h: kprobes and kretprobes (kernel/kprobes.py has the machinery)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

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


def _array(k: "Kernel", arr: int, num: int) -> list[int]:
    return [k.mem.u64(arr + 8 * i) for i in range(num)]


def _s32(v: int) -> int:
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v >> 31 else v


@kapi()
def register_kprobe(k: "Kernel", p: int) -> int:
    return _ret(lambda: kprobes_of(k).register_kprobe(p))


@kapi()
def unregister_kprobe(k: "Kernel", p: int) -> None:
    kprobes_of(k).unregister_kprobes([p])


@kapi()
def register_kprobes(k: "Kernel", kps: int, num: int) -> int:
    """Each in turn; on a failure the ones registered so far are unregistered."""
    num = _s32(num)
    if num <= 0:
        return errret(22)
    probes = _array(k, kps, num)
    kp = kprobes_of(k)
    for i, p in enumerate(probes):
        ret = _ret(lambda p=p: kp.register_kprobe(p))
        if ret < 0:
            if i > 0:
                kp.unregister_kprobes(probes[:i])
            return ret
    return 0


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
    num = _s32(num)
    if num <= 0:
        return errret(22)
    probes = _array(k, rps, num)
    kp = kprobes_of(k)
    for i, rp in enumerate(probes):
        ret = _ret(lambda rp=rp: kp.register_kretprobe(rp))
        if ret < 0:
            if i > 0:
                kp.unregister_kretprobes(probes[:i])
            return ret
    return 0


@kapi()
def unregister_kretprobes(k: "Kernel", rps: int, num: int) -> None:
    num = _s32(num)
    if num > 0:
        kprobes_of(k).unregister_kretprobes(_array(k, rps, num))


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
