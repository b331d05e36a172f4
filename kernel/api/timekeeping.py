"""linux/timekeeping.h: the clocks modules read (kernel/time/timekeeping.c).

CLOCK_MONOTONIC is the machine's virtual time since boot (what printk's timestamps show);
CLOCK_REALTIME adds the wall time at boot (Kernel.wall_boot_ns), CLOCK_TAI 37 leap seconds more.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import kapi
from kernel.time import NSEC_PER_SEC

if TYPE_CHECKING:
    from kernel.machine import Kernel

TK_OFFS_REAL, TK_OFFS_BOOT, TK_OFFS_TAI = 0, 1, 2
TAI_OFFSET_NS = 37 * NSEC_PER_SEC


def _mono(k: "Kernel") -> int:
    return k.clock.now


def _real(k: "Kernel") -> int:
    return k.wall_boot_ns + k.clock.now


def _put_ts64(k: "Kernel", ts: int, ns: int) -> None:
    sec, nsec = divmod(ns, NSEC_PER_SEC)
    k.mem.set_u64(ts, sec)
    k.mem.set_u64(ts + 8, nsec)


@kapi()
def ktime_get(k: "Kernel") -> int:
    return _mono(k)


@kapi()
def ktime_get_with_offset(k: "Kernel", offs: int) -> int:
    offset = {TK_OFFS_REAL: k.wall_boot_ns, TK_OFFS_BOOT: 0,
              TK_OFFS_TAI: k.wall_boot_ns + TAI_OFFSET_NS}.get(offs & 0xFFFFFFFF, 0)
    return _mono(k) + offset


@kapi()
def ktime_get_raw(k: "Kernel") -> int:
    return _mono(k)


@kapi()
def ktime_get_mono_fast_ns(k: "Kernel") -> int:
    return _mono(k)


@kapi()
def ktime_get_raw_fast_ns(k: "Kernel") -> int:
    return _mono(k)


@kapi()
def ktime_get_boot_fast_ns(k: "Kernel") -> int:
    return _mono(k)


@kapi()
def ktime_get_seconds(k: "Kernel") -> int:
    return _mono(k) // NSEC_PER_SEC


@kapi()
def ktime_get_real_seconds(k: "Kernel") -> int:
    return _real(k) // NSEC_PER_SEC


@kapi()
def get_seconds(k: "Kernel") -> int:
    return _real(k) // NSEC_PER_SEC


@kapi()
def ktime_get_ts64(k: "Kernel", ts: int) -> None:
    _put_ts64(k, ts, _mono(k))


@kapi()
def ktime_get_raw_ts64(k: "Kernel", ts: int) -> None:
    _put_ts64(k, ts, _mono(k))


@kapi()
def ktime_get_real_ts64(k: "Kernel", ts: int) -> None:
    _put_ts64(k, ts, _real(k))


@kapi()
def ktime_get_coarse_real_ts64(k: "Kernel", ts: int) -> None:
    """The time of the last tick: jiffy granularity."""
    now = _real(k)
    tick = NSEC_PER_SEC // 1000
    _put_ts64(k, ts, now - now % tick)


@kapi()
def getboottime64(k: "Kernel", ts: int) -> None:
    """The wall time of boot (nothing suspends: CLOCK_BOOTTIME is CLOCK_MONOTONIC)."""
    _put_ts64(k, ts, k.wall_boot_ns)


@kapi()
def do_gettimeofday(k: "Kernel", tv: int) -> None:
    sec, nsec = divmod(_real(k), NSEC_PER_SEC)
    k.mem.set_u64(tv, sec)
    k.mem.set_u64(tv + 8, nsec // 1000)
