"""linux/smp.h cross-CPU calls (kernel/smp.c, 4.19): smp_call_function_single,
smp_call_function, on_each_cpu, on_each_cpu_mask.

Guest code runs as CPU 0. A call for another CPU runs at once on the calling task as that
CPU's call-function IPI would (hardirq context, smp_processor_id() reporting that CPU: vmlinux's
klpsh_cpu_number), so per-CPU data the function touches is that CPU's; the local call is a plain
call. The calls are synchronous whatever WAIT says:
a remote CPU may run them that soon.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import kapi, s32
from kernel.errno import Errno
from kernel.softirq import HARDIRQ_OFFSET

if TYPE_CHECKING:
    from kernel.machine import Kernel

_IPI = ("call_function_single_interrupt", "smp_call_function_single_interrupt",
        "generic_smp_call_function_single_interrupt", "flush_smp_call_function_queue")
_CALLERS = ("flush_smp_call_function_queue", "smp_call_function_single", "smp_call_function",
            "smp_call_function_many", "on_each_cpu", "on_each_cpu_mask")
MAX_NESTING = 16


def _nr_cpus(k: "Kernel") -> int:
    addr = k.vmlinux.symbol("nr_cpu_ids") if k.vmlinux is not None else 0
    return k.mem.u32(addr) if addr else 1


def _cpu_number_addr(k: "Kernel") -> int:
    return k.vmlinux.symbol("klpsh_cpu_number") if k.vmlinux is not None else 0


def _this_cpu(k: "Kernel") -> int:
    addr = _cpu_number_addr(k)
    return k.mem.u32(addr) if addr else 0


def _run_on(k: "Kernel", cpu: int, func: int, info: int, via: str) -> None:
    """FUNC(INFO) as CPU CPU runs it: the local CPU directly, another from its IPI handler.
    A cross-CPU call made from kernel functions nested MAX_NESTING deep is not made (a
    function pointer at these functions themselves would recurse in Python without end)."""
    task = k.current
    if sum(task.host_stack.count(f) for f in _CALLERS) >= MAX_NESTING:
        return
    if cpu == _this_cpu(k):
        k.call_fn(func, (info,), via)
        return
    addr = _cpu_number_addr(k)
    before = _this_cpu(k)
    task.host_stack.extend(_IPI)
    k.softirq.preempt_add(task, HARDIRQ_OFFSET)
    if addr:
        k.mem.set_u32(addr, cpu)
    try:
        k.call_fn(func, (info,), "flush_smp_call_function_queue")
    finally:
        if addr:
            k.mem.set_u32(addr, before)
        k.softirq.preempt_add(task, -HARDIRQ_OFFSET)
        del task.host_stack[-len(_IPI):]


def _others(k: "Kernel", mask: int = 0) -> list[int]:
    """The online CPUs but this one (of the cpumask at MASK, if given)."""
    n, me = _nr_cpus(k), _this_cpu(k)
    bits = k.mem.u64(mask) if mask else (1 << n) - 1
    return [c for c in range(min(n, 64)) if c != me and bits >> c & 1]


@kapi()
def smp_call_function_single(k: "Kernel", cpu: int, func: int, info: int, wait: int) -> int:
    """FUNC(INFO) on CPU; -ENXIO for a CPU that is not online."""
    cpu = s32(cpu)
    if not 0 <= cpu < _nr_cpus(k):
        return -Errno.ENXIO
    _run_on(k, cpu, func, info, "smp_call_function_single")
    return 0


@kapi()
def smp_call_function(k: "Kernel", func: int, info: int, wait: int) -> int:
    """FUNC(INFO) on every other online CPU."""
    for cpu in _others(k):
        _run_on(k, cpu, func, info, "smp_call_function")
    return 0


@kapi()
def smp_call_function_many(k: "Kernel", mask: int, func: int, info: int, wait: int) -> None:
    """FUNC(INFO) on the online CPUs of MASK but this one."""
    for cpu in _others(k, mask):
        _run_on(k, cpu, func, info, "smp_call_function_many")


@kapi()
def on_each_cpu(k: "Kernel", func: int, info: int, wait: int) -> int:
    """FUNC(INFO) on the other online CPUs, then on this one."""
    smp_call_function(k, func, info, wait)
    _run_on(k, _this_cpu(k), func, info, "on_each_cpu")
    return 0


@kapi()
def on_each_cpu_mask(k: "Kernel", mask: int, func: int, info: int, wait: int) -> None:
    """FUNC(INFO) on the online CPUs of MASK, this one last if it is in it."""
    smp_call_function_many(k, mask, func, info, wait)
    me = _this_cpu(k)
    if k.mem.u64(mask) >> me & 1:
        _run_on(k, me, func, info, "on_each_cpu_mask")
