"""The soft-lockup detector (kernel/watchdog.c) over the virtual CPU time of running tasks.

A task on a CPU spends virtual time: each guest instruction and each call into a Python kernel
function costs some (the table below). What a run (the time since the task last scheduled)
has spent shows on the clock in steps of RUN_CLOCK_STEP, so a command's ordinary work takes no
visible time, while a task that keeps its CPU moves the machine's time as it goes.

Each CPU's watchdog hrtimer fires every sample_period (a fifth of the soft-lockup threshold, 4 s
for watchdog_thresh 10) on the clock's grid. A CPU that schedules (or idles) lets its stopper
thread run after the tick, which records touch_ts; a CPU that has not scheduled for more than
2 * watchdog_thresh seconds, counted in get_timestamp()'s units (2^30 ns), is soft locked up:
watchdog_timer_fn() reports it once (`watchdog: BUG: soft lockup - CPU#N stuck for 22s!`).
Linux leaves the task spinning; klpsh then kills it (the report says so), as nothing else
could ever end its run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.record import RecordTuple, record

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.sched import Task

NSEC_PER_SEC = 1_000_000_000
WATCHDOG_THRESH = 10             # /proc/sys/kernel/watchdog_thresh (seconds)
# The virtual cost of running code (a slow CPU, so that a stuck task is found in a second or
# two of host work). Kernel functions that print pay for the console as well.
NS_PER_INSN = 250
HOST_CALL_NS = 100_000
HOST_CALL_COST = {name: 500_000 for name in ("printk", "vprintk", "dump_stack", "warn_slowpath_fmt",
                                             "warn_slowpath_null")}
SLICE_INSNS = 1_000_000          # guest code runs in slices of this many instructions
RUN_CLOCK_STEP = 100_000_000     # a run's CPU time shows on the clock in steps of 100 ms


def get_timestamp(ns: int) -> int:
    """watchdog.c get_timestamp(): running_clock() >> 30, about seconds."""
    return ns >> 30


@record(eq=False)
class CpuWatch:
    """The per-CPU state of watchdog.c and of the current run on that CPU."""

    touch_ts: int = 0        # watchdog_touch_ts, in get_timestamp() units
    warned: bool = False     # soft_watchdog_warn
    run_ns: int = 0          # virtual CPU time of the current run
    shown_ns: int = 0        # the part of run_ns already added to the clock


class SoftLockup(RecordTuple):
    """What watchdog_timer_fn() found: the CPU and how long it has been stuck (seconds)."""

    cpu: int
    duration: int


class Watchdog:
    """The lockup detector of one Kernel."""

    def __init__(self, k: "Kernel", ncpus: int) -> None:
        self.k = k
        self.thresh = WATCHDOG_THRESH
        self.cpus = [CpuWatch() for _ in range(ncpus)]
        self.cpu_ns = 0          # all virtual CPU time spent since boot (a command's budget)
        self.costs = False       # kernel/cost.py's model in force (from the end of boot)
        self.pending: SoftLockup | None = None   # found while spending, reported at the next charge

    @property
    def sample_period(self) -> int:
        """set_sample_period(): the hrtimer period, a fifth of the soft-lockup threshold."""
        return self.softlockup_thresh * (NSEC_PER_SEC // 5)

    @property
    def softlockup_thresh(self) -> int:
        return self.thresh * 2

    def set_thresh(self, secs: int) -> None:
        """Writing /proc/sys/kernel/watchdog_thresh (0 turns the detector off)."""
        self.thresh = secs

    def touch(self, cpu: int) -> None:
        """CPU went through a schedule point: its stopper thread ran after the last tick and
        stamped touch_ts (softlockup_fn)."""
        c = self.cpus[cpu]
        period = self.thresh * 2 * (NSEC_PER_SEC // 5)     # sample_period, inline (every switch)
        now = self.k.clock.now
        c.touch_ts = get_timestamp(now - now % period if period else now)
        c.warned = False

    def new_run(self, cpu: int) -> None:
        """Another task (or the same one, woken) got CPU: a new run starts."""
        self.touch(cpu)
        c = self.cpus[cpu]
        c.run_ns = c.shown_ns = 0
        if self.pending is not None and self.pending.cpu == cpu:
            self.pending = None     # it scheduled before its next charge: nothing to report

    def charge(self, task: "Task", ns: int) -> SoftLockup | None:
        """TASK spent NS of CPU time in its run; move the clock by whole steps, taking the
        watchdog hrtimer ticks on the way. A soft lockup found on a tick is returned."""
        if self.pending is not None and self.pending.cpu == task.cpu:
            found, self.pending = self.pending, None
            return found
        c = self.cpus[task.cpu]
        c.run_ns += ns
        self.cpu_ns += ns
        due = c.run_ns - c.run_ns % RUN_CLOCK_STEP
        if due <= c.shown_ns:
            return None
        end = self.k.clock.now + due - c.shown_ns
        c.shown_ns = due
        return self._run_to(task.cpu, end)

    def spend(self, ns: int) -> None:
        """The current task spent NS in kernel work the cost model prices (kernel/cost.py):
        CPU time that shows on the clock at once, as lines of one command are spread apart.
        A soft lockup found on a tick on the way is reported by the task's next charge()."""
        if not self.costs or ns <= 0:
            return
        self.cpu_ns += ns
        task = self.k.sched.current
        clock = self.k.clock
        if task is None or self.pending is not None:
            clock.advance_to(clock.now + ns)
            return
        self.pending = self._run_to(task.cpu, clock.now + ns)

    def _run_to(self, cpu: int, end: int) -> SoftLockup | None:
        """Move the clock to END, taking CPU's watchdog hrtimer ticks on the way; a soft lockup
        found on a tick stops it there."""
        clock = self.k.clock
        thresh = self.thresh
        if thresh:
            period = thresh * 2 * (NSEC_PER_SEC // 5)      # sample_period, inline (every charge)
            tick = clock.now - clock.now % period + period
            while tick <= end:
                clock.advance_to(tick)
                found = self._timer_fn(cpu, tick)
                if found is not None:
                    return found        # reported at the tick; the task goes no further
                tick += period
        clock.advance_to(end)
        return None

    def _timer_fn(self, cpu: int, now: int) -> SoftLockup | None:
        """watchdog_timer_fn() on CPU at NOW while a task holds it (is_softlockup())."""
        c = self.cpus[cpu]
        ts = get_timestamp(now)
        if c.warned or ts - c.touch_ts <= self.softlockup_thresh:
            return None
        c.warned = True
        return SoftLockup(cpu, ts - c.touch_ts)
