"""The hung-task detector (kernel/hung_task.c): khungtaskd and its sysctls.

khungtaskd sleeps check_interval (default: the timeout, 120 s) at a time, on the timer wheel,
and then looks at every task in TASK_UNINTERRUPTIBLE: one that has not been switched since the
previous check, and not for a whole timeout, is reported with its stack. Here it sleeps as
an event of the clock, and only while some task is in D state: a check with none has no
effect but to move the next one, so a long `sleep` does not wake it every two minutes; when a
task blocks again, the next wake-up is the one khungtaskd would have had all along.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.abi import HZ
from kernel.fs import Attr, Dir
from kernel.printk import KERN_ERR, KERN_INFO
from kernel.time import Event, wheel_expiry

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.sched import Task

DEFAULT_TIMEOUT_SECS = 120          # CONFIG_DEFAULT_HUNG_TASK_TIMEOUT
DEFAULT_WARNINGS = 10
PID_MAX_LIMIT = 4 * 1024 * 1024     # sysctl_hung_task_check_count
LONG_MAX = (1 << 63) - 1
TIMEOUT_MAX = LONG_MAX // HZ        # hung_task_timeout_max (kernel/sysctl.c)
TIF_FSCHECK = 1 << 31               # set for kthreads (set_fs(KERNEL_DS))
SCHED_FRAMES = ("__schedule", "schedule")


class HungTask:
    """khungtaskd's state and sysctls for one Kernel."""

    def __init__(self, k: "Kernel") -> None:
        self.k = k
        self.timeout_secs = DEFAULT_TIMEOUT_SECS
        self.check_interval_secs = 0
        self.warnings = DEFAULT_WARNINGS
        self.panic = 0
        self.check_count = PID_MAX_LIMIT
        self.last_checked = k.clock.jiffies       # hung_last_checked, at khungtaskd's start
        self._wake: Event | None = None

    # --- khungtaskd --------------------------------------------------------------------
    def _interval(self) -> int:
        interval = self.check_interval_secs or self.timeout_secs
        return min(interval, self.timeout_secs)

    def _next_wake(self, woken: bool = False) -> int | None:
        """The jiffy of khungtaskd's next check, or None while the timeout is 0 (it then
        sleeps until a sysctl write wakes it). WOKEN: a sysctl write woke it just now."""
        interval = self._interval() * HZ
        if not interval:
            return None
        now = self.k.clock.jiffies
        if woken:
            t = self.last_checked + interval - now
            return now if t <= 0 else wheel_expiry(now + t, now)
        # It slept INTERVAL at a time since its last check; the checks it made while nobody
        # was in D state changed nothing but the time of the next one.
        last, step = self.last_checked, 0
        while True:
            wake = wheel_expiry(last + interval, last)
            if wake > now:
                return wake
            if wake - last == step:
                last += (now - last) // step * step   # the same period again and again
            else:
                step, last = wake - last, wake

    def task_blocked(self, task: "Task") -> None:
        """TASK went into TASK_UNINTERRUPTIBLE: make sure khungtaskd will look at it."""
        if self._wake is None:
            self._arm()

    def _arm(self, woken: bool = False) -> None:
        if self._wake is not None:
            self._wake.cancel()
            self._wake = None
        wake = self._next_wake(woken)
        if wake is not None:
            self._wake = self.k.clock.at(self.k.clock.jiffy_time(wake), self._watchdog)

    def _watchdog(self) -> None:
        """khungtaskd woke up: check, remember when, and sleep again if anyone is in D."""
        self._wake = None
        if self.timeout_secs:
            self.check_hung_uninterruptible_tasks(self.timeout_secs)
        self.last_checked = self.k.clock.jiffies
        if any(t.state == "D" for t in self.k.sched.all_tasks()):     # (a str enum: no .value lookup)
            self._arm()

    def check_hung_uninterruptible_tasks(self, timeout: int) -> None:
        k = self.k
        if "D" in k.taints:     # the system crashed already: all bets are off
            return
        for count, t in enumerate(k.sched.all_tasks()):
            if count >= self.check_count:
                break
            if t.state == "D":
                self.check_hung_task(t, timeout)

    def check_hung_task(self, t: "Task", timeout: int) -> None:
        switch_count = t.nvcsw + t.nivcsw
        now = self.k.clock.jiffies
        if not switch_count:
            return      # never switched out since it was created: not checked
        if switch_count != t.last_switch_count:
            t.last_switch_count = switch_count
            t.last_switch_time = now
            return
        if t.last_switch_time + timeout * HZ > now:
            return
        if not self.warnings:
            return
        if self.warnings > 0:
            self.warnings -= 1
        k = self.k
        log = k.printk.log
        log(KERN_ERR, f"INFO: task {t.comm}:{t.pid} blocked for more than {timeout} seconds.")
        log(KERN_ERR, f"      {k.tainted_string()} {k.release} #1")
        log(KERN_ERR, '"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.')
        self.sched_show_task(t)

    def sched_show_task(self, t: "Task") -> None:
        """kernel/sched/core.c sched_show_task(): comm, state, stack free, pid, ppid, flags,
        the worker it is (if a kworker), and its stack."""
        k = self.k
        flags = TIF_FSCHECK if t.is_kthread else 0
        k.printk.log(KERN_INFO, f"{t.comm[:15]:<15} {t.state.value}    0 {t.pid:5d} {t.ppid:6d} "
                                f"0x{flags:08x}")
        cpu = k.cpu
        trace = [cpu.host_addr(f) for f in SCHED_FRAMES] + (cpu.stack_trace(t) or [])
        k.dumpstack.show_trace(trace)

    # --- /proc/sys/kernel --------------------------------------------------------------
    def set_timeout(self, secs: int) -> None:
        """proc_dohung_task_timeout_secs(): store, then wake khungtaskd to look again."""
        self.timeout_secs = secs
        self._rearm()

    def set_interval(self, secs: int) -> None:
        self.check_interval_secs = secs
        self._rearm()

    def _rearm(self) -> None:
        if any(t.state == "D" for t in self.k.sched.all_tasks()) or self._wake is not None:
            self._arm(woken=True)


def _ulong(text: str, hi: int) -> int:
    """proc_doulongvec_minmax(): one unsigned number (leading blanks, a newline after)."""
    from kernel.errno import Errno, KernelError
    s = text.strip(" \t\n")
    if not s.isdigit() or not s.isascii():
        raise KernelError(Errno.EINVAL)
    v = int(s)
    if v > hi:
        raise KernelError(Errno.EINVAL)
    return v


def _int(text: str, lo: int, hi: int) -> int:
    """proc_dointvec_minmax()."""
    from kernel.errno import Errno, KernelError
    s = text.strip(" \t\n")
    body = s[1:] if s[:1] == "-" else s
    if not body.isdigit() or not body.isascii():
        raise KernelError(Errno.EINVAL)
    v = int(s)
    if not lo <= v <= hi:
        raise KernelError(Errno.EINVAL)
    return v


def hung_task_sysctl_init(k: "Kernel", kernel_dir: Dir) -> None:
    """The sysctls of hung_task.c and watchdog.c under /proc/sys/kernel."""
    h = k.hung_task
    assert h is not None
    int_max = (1 << 31) - 1

    def setter(name: str):
        def store(s: str) -> None:
            setattr(h, name, _int(s, -1 if name == "warnings" else 0,
                                  1 if name == "panic" else int_max))
        return store
    kernel_dir.children.update({
        "hung_task_timeout_secs": Attr(0o644, lambda: f"{h.timeout_secs}\n",
                                       lambda s: h.set_timeout(_ulong(s, TIMEOUT_MAX))),
        "hung_task_check_interval_secs": Attr(0o644, lambda: f"{h.check_interval_secs}\n",
                                              lambda s: h.set_interval(_ulong(s, TIMEOUT_MAX))),
        "hung_task_warnings": Attr(0o644, lambda: f"{h.warnings}\n", setter("warnings")),
        "hung_task_panic": Attr(0o644, lambda: f"{h.panic}\n", setter("panic")),
        "hung_task_check_count": Attr(0o644, lambda: f"{h.check_count}\n", setter("check_count")),
        "watchdog_thresh": Attr(0o644, lambda: f"{k.watchdog.thresh}\n",
                                lambda s: k.watchdog.set_thresh(_int(s, 0, 60))),
    })
