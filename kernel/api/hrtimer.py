"""linux/hrtimer.h: high-resolution timers (kernel/time/hrtimer.c) on the nanosecond clock.

A started timer is one clock event at its expiry, converted to the monotonic clock the
machine runs on (CLOCK_REALTIME and CLOCK_TAI timers are offset by the wall time at boot).
When it fires, the callback runs in softirq context; HRTIMER_RESTART re-arms it at the
expiry the callback left in the struct (hrtimer_forward).  The clock id of each timer is
kept host-side, keyed by the struct's address.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import kapi, s64
from kernel.api.timekeeping import TAI_OFFSET_NS
from kernel.softirq import HRTIMER_SOFTIRQ

if TYPE_CHECKING:
    from kernel.machine import Kernel

# struct hrtimer (kernel/include/linux/hrtimer.h)
_EXPIRES, _SOFTEXPIRES, _FUNCTION, _STATE, _IS_REL, _IS_SOFT = 24, 32, 40, 56, 57, 58
HRTIMER_SIZE = 64
HRTIMER_MODE_REL = 0x01
HRTIMER_NORESTART, HRTIMER_RESTART = 0, 1
STATE_INACTIVE, STATE_ENQUEUED = 0, 1
CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_TAI = 0, 1, 7, 11
KTIME_MAX = (1 << 63) - 1
_MASK64 = (1 << 64) - 1


def _offset(k: "Kernel", clock: int) -> int:
    """What CLOCK reads minus the monotonic clock."""
    return {CLOCK_REALTIME: k.wall_boot_ns, CLOCK_TAI: k.wall_boot_ns + TAI_OFFSET_NS}.get(clock, 0)


def _clock_of(k: "Kernel", timer: int) -> int:
    return k.hrtimers.get(timer, (CLOCK_MONOTONIC, None))[0]


def _now(k: "Kernel", timer: int) -> int:
    return k.clock.now + _offset(k, _clock_of(k, timer))


def _softirq(k: "Kernel", fn) -> None:
    """Run FN from the hrtimer softirq (HRTIMER_SOFTIRQ)."""
    k.softirq.raise_work(HRTIMER_SOFTIRQ, fn)


def _disarm(k: "Kernel", timer: int) -> bool:
    clock, ev = k.hrtimers.get(timer, (CLOCK_MONOTONIC, None))
    if ev is None:
        return False
    ev.cancel()
    k.hrtimers[timer] = (clock, None)
    k.mem.write(timer + _STATE, bytes([STATE_INACTIVE]))
    return True


def _enqueue(k: "Kernel", timer: int) -> None:
    """Arm an event at the struct's expiry (on TIMER's clock)."""
    clock = _clock_of(k, timer)
    expires = s64(k.mem.u64(timer + _EXPIRES))
    when = min(max(expires - _offset(k, clock), k.clock.now), KTIME_MAX)

    def fire() -> None:
        k.hrtimers[timer] = (clock, None)
        if not k.pagetable.present(timer):
            # freed with the timer armed (a module unloaded without hrtimer_cancel)
            _softirq(k, lambda: k.kernel_page_fault(timer, "read", "__run_hrtimer"))
            return
        k.mem.write(timer + _STATE, bytes([STATE_INACTIVE]))
        fn = k.mem.u64(timer + _FUNCTION)
        if not fn:
            return

        def run() -> None:
            ret = k.run_guest(k.sched.current, fn, (timer,), via="__run_hrtimer",
                              host=("hrtimer_run_softirq",))
            if ret & 0xFFFF_FFFF == HRTIMER_RESTART and k.hrtimers.get(timer, (0, None))[1] is None:
                _enqueue(k, timer)
        _softirq(k, run)

    k.hrtimers[timer] = (clock, k.clock.at(when, fire))
    k.mem.write(timer + _STATE, bytes([STATE_ENQUEUED]))


@kapi()
def hrtimer_init(k: "Kernel", timer: int, clock_id: int, mode: int) -> None:
    _disarm(k, timer)
    k.mem.zero(timer, HRTIMER_SIZE)
    k.hrtimers[timer] = (clock_id & 0xFFFF_FFFF, None)
    k.mem.write(timer + _IS_SOFT, bytes([1 if mode & 0x04 else 0]))


@kapi()
def hrtimer_start_range_ns(k: "Kernel", timer: int, tim: int, range_ns: int, mode: int) -> None:
    _disarm(k, timer)
    tim = s64(tim)
    rel = bool(mode & HRTIMER_MODE_REL)
    expires = min(_now(k, timer) + tim, KTIME_MAX) if rel else tim
    k.mem.set_u64(timer + _EXPIRES, expires & _MASK64)
    k.mem.set_u64(timer + _SOFTEXPIRES, expires & _MASK64)
    k.mem.write(timer + _IS_REL, bytes([int(rel)]))
    _enqueue(k, timer)


@kapi()
def hrtimer_try_to_cancel(k: "Kernel", timer: int) -> int:
    return int(_disarm(k, timer))


@kapi()
def hrtimer_cancel(k: "Kernel", timer: int) -> int:
    return int(_disarm(k, timer))


@kapi()
def hrtimer_forward(k: "Kernel", timer: int, now: int, interval: int) -> int:
    """Move the expiry on by whole INTERVALs until it is after NOW; how many it moved."""
    expires, now, interval = s64(k.mem.u64(timer + _EXPIRES)), s64(now), max(s64(interval), 1)
    delta = now - expires
    if delta < 0:
        return 0
    overruns = delta // interval + 1
    expires = min(expires + overruns * interval, KTIME_MAX)
    k.mem.set_u64(timer + _EXPIRES, expires & _MASK64)
    k.mem.set_u64(timer + _SOFTEXPIRES, expires & _MASK64)
    return overruns


@kapi("__hrtimer_get_remaining")
def hrtimer_get_remaining(k: "Kernel", timer: int, adjust: int) -> int:
    return (s64(k.mem.u64(timer + _EXPIRES)) - _now(k, timer)) & _MASK64


@kapi()
def hrtimer_active(k: "Kernel", timer: int) -> int:
    return int(k.hrtimers.get(timer, (0, None))[1] is not None)


@kapi()
def hrtimer_cb_get_time(k: "Kernel", timer: int) -> int:
    return _now(k, timer) & _MASK64
