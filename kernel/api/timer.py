"""linux/timer.h: timer_list timers; callbacks run in softirq context (ksoftirqd)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.abi import TimerList
from kernel.api import kapi
from kernel.softirq import TIMER_SOFTIRQ

if TYPE_CHECKING:
    from kernel.machine import Kernel

_FN = TimerList.function.offset
_EXPIRES = TimerList.expires.offset


def _arm(k: "Kernel", timer: int, expires: int) -> int:
    was = _del(k, timer)
    k.mem.set_u64(timer + _EXPIRES, expires)
    delay = expires - k.clock.jiffies

    def fire() -> None:
        k.timers.pop(timer, None)
        if not k.pagetable.present(timer):
            # the timer_list is gone with the memory holding it (a module unloaded with its
            # timer armed): the timer softirq faults on it, in interrupt context
            k.softirq.raise_work(TIMER_SOFTIRQ, lambda: _in_timer_softirq(
                k, lambda: k.kernel_page_fault(timer, "read", "run_timer_softirq")))
            return
        fn = k.mem.u64(timer + _FN)
        if fn:
            k.softirq.raise_work(TIMER_SOFTIRQ, lambda: k.run_guest(
                k.sched.current, fn, (timer,), via="call_timer_fn", host=("run_timer_softirq",)))
    k.timers[timer] = k.clock.after_jiffies(delay, fire)
    return was


def _in_timer_softirq(k: "Kernel", fn) -> None:
    """Run FN as run_timer_softirq() (the host frame a fault there is reported in)."""
    task = k.current
    task.host_stack.append("run_timer_softirq")
    try:
        fn()
    finally:
        task.host_stack.pop()


def _del(k: "Kernel", timer: int) -> int:
    ev = k.timers.pop(timer, None)
    if ev is None:
        return 0
    ev.cancel()
    return 1


@kapi()
def timer_setup(k: "Kernel", timer: int, fn: int, flags: int) -> None:
    _del(k, timer)
    k.mem.zero(timer, TimerList.size)
    k.mem.set_u64(timer + _FN, fn)
    k.mem.set_u32(timer + TimerList.flags.offset, flags)


@kapi()
def add_timer(k: "Kernel", timer: int) -> None:
    _arm(k, timer, k.mem.u64(timer + _EXPIRES))


@kapi()
def mod_timer(k: "Kernel", timer: int, expires: int) -> int:
    return _arm(k, timer, expires)


@kapi()
def del_timer(k: "Kernel", timer: int) -> int:
    return _del(k, timer)


@kapi()
def del_timer_sync(k: "Kernel", timer: int) -> int:
    return _del(k, timer)


@kapi()
def timer_pending(k: "Kernel", timer: int) -> int:
    return int(timer in k.timers)
