"""Virtual clock, jiffies and the timer wheel (kernel/time/timer.c granularity)."""

from __future__ import annotations

import heapq
import itertools
import time
from typing import Callable

from kernel.abi import HZ
from kernel.record import record

NSEC_PER_SEC = 1_000_000_000
NSEC_PER_JIFFY = NSEC_PER_SEC // HZ
# include/linux/jiffies.h: jiffies start 300 s before wrapping a 32-bit counter.
INITIAL_JIFFIES = (-300 * HZ) & 0xFFFFFFFF
# The printk clock (local_clock(), the timestamps) starts counting a jiffy after jiffies does:
# jiffies ticks over 1 ms before each whole millisecond of the timestamps. (Fitted to the
# document's boot, callbacks.txt: a transition's retries, timers on the 64-jiffy wheel level,
# fire at e.g. 37.727 s and 39.711 s, a jiffy before the same multiples counted from 0.)
JIFFIES_AHEAD_NS = NSEC_PER_JIFFY
MAX_JIFFY_OFFSET = ((1 << 63) - 1) // 2 - 1
KTIME_MAX = (1 << 63) - 1       # the clock never goes past this (ns)

# Timer wheel geometry of 4.19 (LVL_CLK_SHIFT 3, LVL_BITS 6).
_LVL_CLK_SHIFT = 3
_LVL_SIZE = 64
_LVL_DEPTH = 9 if HZ > 100 else 8


def msecs_to_jiffies(ms: int) -> int:
    """HZ=1000: one jiffy per millisecond, rounded up like the kernel's helper."""
    if ms < 0:
        return MAX_JIFFY_OFFSET
    return (ms * HZ + 999) // 1000


def jiffies_to_msecs(j: int) -> int:
    return j * 1000 // HZ


def _lvl_start(n: int) -> int:
    return (_LVL_SIZE - 1) << ((n - 1) * _LVL_CLK_SHIFT)


def wheel_expiry(expires: int, clk: int) -> int:
    """The jiffy at which the wheel really fires a timer due at EXPIRES (calc_wheel_index)."""
    delta = expires - clk
    if delta < 0:
        return clk
    if delta < _lvl_start(1):
        return expires
    lvl = 1
    while lvl < _LVL_DEPTH - 1 and delta >= _lvl_start(lvl + 1):
        lvl += 1
    shift = lvl * _LVL_CLK_SHIFT
    return ((expires + (1 << shift)) >> shift) << shift


def round_jiffies_common(j: int, cpu: int, now: int, force_up: bool) -> int:
    """round_jiffies(): to a whole second, skewed per CPU, never into the past."""
    original = j
    j += cpu * 3
    rem = j % HZ
    if rem < HZ // 4 and not force_up:
        j -= rem
    else:
        j = j - rem + HZ
    j -= cpu * 3
    return j if j > now else original


@record(eq=False)
class Event:
    """A host-side callback due at a virtual time; cancelled events stay in the heap, inert."""

    when: int
    seq: int
    fn: Callable[[], None]
    cancelled: bool = False

    def __lt__(self, other: "Event") -> bool:
        """Heap order: by time, then in the order they were set up."""
        return (self.when, self.seq) < (other.when, other.seq)

    def cancel(self) -> None:
        self.cancelled = True


_PACE_SLICE = NSEC_PER_SEC // 20


class WallClockPacer:
    """`--clock real`: machine time may not run ahead of the wall clock.

    Anchored at (virtual ANCHOR, wall time of creation): virtual time T is due when the wall
    clock has moved T - ANCHOR since then. Waiting never changes the machine; it only sleeps.
    """

    def __init__(self, anchor: int = 0, monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.anchor = anchor
        self._monotonic, self._sleep = monotonic, sleep
        self._wall0 = monotonic()
        self.stop: Callable[[], bool] = lambda: False   # give up waiting (Ctrl-C)

    def wall_now(self) -> int:
        """The virtual time the wall clock has reached."""
        return self.anchor + int((self._monotonic() - self._wall0) * NSEC_PER_SEC)

    def wait_until(self, when: int) -> None:
        """Sleep until the wall clock reaches virtual time WHEN (or STOP() says not to)."""
        while (ahead := when - self.wall_now()) > 0:
            if self.stop():
                return
            self._sleep(min(ahead, _PACE_SLICE) / NSEC_PER_SEC)


class Clock:
    """Virtual time in ns since boot; moves only when the scheduler runs to the next event.

    With a PACER (real-time mode), moving to a time first waits for the wall clock to get there.
    """

    def __init__(self, pacer: WallClockPacer | None = None) -> None:
        self.now = 0
        self._events: list[Event] = []
        self._seq = itertools.count()
        self.on_advance: list[Callable[[int], None]] = []
        self.pacer = pacer

    @property
    def jiffies(self) -> int:
        return INITIAL_JIFFIES + (self.now + JIFFIES_AHEAD_NS) // NSEC_PER_JIFFY

    def jiffy_time(self, j: int) -> int:
        """Virtual ns at which jiffy J begins."""
        return (j - INITIAL_JIFFIES) * NSEC_PER_JIFFY - JIFFIES_AHEAD_NS

    def at(self, when: int, fn: Callable[[], None]) -> Event:
        ev = Event(min(max(when, self.now), KTIME_MAX), next(self._seq), fn)
        heapq.heappush(self._events, ev)
        return ev

    def after_jiffies(self, delay: int, fn: Callable[[], None]) -> Event:
        """Arm a wheel timer DELAY jiffies from now, with the wheel's granularity."""
        now_j = self.jiffies
        fire = wheel_expiry(now_j + max(delay, 0), now_j)
        return self.at(self.jiffy_time(fire), fn)

    def next_event_time(self) -> int | None:
        while self._events and self._events[0].cancelled:
            heapq.heappop(self._events)
        return self._events[0].when if self._events else None

    def pop_due(self, limit: int) -> Event | None:
        """The next live event due at or before LIMIT, with the clock moved to it."""
        when = self.next_event_time()
        if when is None or when > limit:
            return None
        ev = heapq.heappop(self._events)
        self.advance_to(ev.when)
        return ev

    def advance_to(self, when: int) -> None:
        when = min(when, KTIME_MAX)
        if when > self.now:
            self._pace(when)
            self.now = when
            for cb in self.on_advance:
                cb(when)

    def _pace(self, when: int) -> None:
        """Real-time mode: wait for the wall clock before the machine reaches WHEN."""
        if self.pacer is not None:
            self.pacer.wait_until(when)
