"""Softirqs (kernel/softirq.c): the ten vectors of 4.19, raised by kernel code and run by
__do_softirq() in softirq context.

raise_softirq() marks a vector pending. Raised outside interrupt context it wakes ksoftirqd/0,
which runs the pending vectors (run_ksoftirqd -> __do_softirq); raised in a hard interrupt it
runs at irq_exit() on the interrupted task, as invoke_softirq() does; local_bh_enable() runs
what was raised while bottom halves were disabled. While a vector's handler runs, the task's
preempt count holds SOFTIRQ_OFFSET: in_softirq() and in_interrupt() are true, sleeping is
"scheduling while atomic", and an Oops there panics ("Fatal exception in interrupt").

Each vector's work is a queue of host callables (a timer's callback, an hrtimer's, RCU's
batch, the tasklet lists of kernel/api/interrupt.py), run in the order raised.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Callable

from kernel import cost
from kernel.sched import TaskExit, TaskState

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.sched import Task

# enum of include/linux/interrupt.h (4.19), and softirq_to_name[]
HI_SOFTIRQ, TIMER_SOFTIRQ, NET_TX_SOFTIRQ, NET_RX_SOFTIRQ, BLOCK_SOFTIRQ, IRQ_POLL_SOFTIRQ, \
    TASKLET_SOFTIRQ, SCHED_SOFTIRQ, HRTIMER_SOFTIRQ, RCU_SOFTIRQ = range(10)
NR_SOFTIRQS = 10
SOFTIRQ_NAMES = ("HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL", "TASKLET", "SCHED",
                 "HRTIMER", "RCU")

# include/linux/preempt.h: the parts of preempt_count()
SOFTIRQ_OFFSET = 1 << 8
SOFTIRQ_DISABLE_OFFSET = 2 * SOFTIRQ_OFFSET
HARDIRQ_OFFSET = 1 << 16
SOFTIRQ_MASK = 0xFF << 8
HARDIRQ_MASK = 0xF << 16
NMI_MASK = 1 << 20
PREEMPT_NEED_RESCHED = 0x8000_0000       # x86: set while no reschedule is needed (inverted)
MAX_SOFTIRQ_RESTART = 10                 # __do_softirq() restarts at most this often
SOFTIRQ_NOW_MASK = (1 << HI_SOFTIRQ) | (1 << TASKLET_SOFTIRQ)   # run at irq_exit even so


def in_interrupt(task: "Task") -> bool:
    """irq_count() != 0: hardirq, softirq (serving or bottom halves disabled) or NMI."""
    return bool(task.irq_count & (HARDIRQ_MASK | SOFTIRQ_MASK | NMI_MASK))


class Softirq:
    """The softirq state of one machine (one CPU runs guest code): pending mask, each
    vector's queued work, the per-vector counts /proc/softirqs shows, ksoftirqd/0."""

    def __init__(self, k: "Kernel", ksoftirqd: "Task") -> None:
        self.k = k
        self.pending = 0
        self.work: list[deque[Callable[[], None]]] = [deque() for _ in range(NR_SOFTIRQS)]
        self.count = [0] * NR_SOFTIRQS
        self.ksoftirqd = ksoftirqd
        self.polls: list[Callable[[], bool]] = []   # re-raise a vector on the next tick if true
        self._poll_armed = False

    def show(self, ncpus: int) -> str:
        """/proc/softirqs (show_softirqs()): each vector's count per CPU (all run on CPU 0)."""
        out = [" " * 20 + "".join(f"CPU{c:<8d}" for c in range(ncpus)) + "\n"]
        for nr, name in enumerate(SOFTIRQ_NAMES):
            counts = [self.count[nr]] + [0] * (ncpus - 1)
            out.append(f"{name:>12s}:" + "".join(f" {c:10d}" for c in counts) + "\n")
        return "".join(out)

    # --- preempt_count --------------------------------------------------------------------
    def preempt_add(self, task: "Task", n: int) -> None:
        """preempt_count_add()/_sub() on TASK; guest code reads it as __preempt_count."""
        task.irq_count = max(task.irq_count + n, 0)
        self.k.sync_preempt_count(task)

    # --- raising --------------------------------------------------------------------------
    def raise_softirq(self, nr: int) -> None:
        """raise_softirq(): mark NR pending; outside interrupt context wake ksoftirqd."""
        self.pending |= 1 << nr
        cur = self.k.sched.current
        if cur is None or not in_interrupt(cur):
            self.wakeup_softirqd()

    def raise_work(self, nr: int, fn: Callable[[], None]) -> None:
        """Queue FN on vector NR's handler and raise it."""
        self.work[nr].append(fn)
        self.raise_softirq(nr)

    def wakeup_softirqd(self) -> None:
        t = self.ksoftirqd
        if t._thread is None:
            self.k.sched.start(t, self._run_ksoftirqd)
        else:
            self.k.sched.wake(t)

    def poll_next_tick(self, check: Callable[[], bool]) -> None:
        """Work that stays queued (a disabled tasklet): ksoftirqd looks again a jiffy later,
        as the thread of a busy CPU would after its cond_resched()."""
        self.polls.append(check)
        if not self._poll_armed:
            self._poll_armed = True
            self.k.clock.after_jiffies(1, self._poll)

    def _poll(self) -> None:
        self._poll_armed = False
        checks, self.polls = self.polls, []
        if any(c() for c in checks):
            self.wakeup_softirqd()

    # --- running --------------------------------------------------------------------------
    def _run_ksoftirqd(self) -> None:
        """smpboot_thread_fn() of ksoftirqd/0: run_ksoftirqd() while softirqs are pending."""
        sched, me = self.k.sched, self.ksoftirqd
        while True:
            if self.pending:
                me.host_stack.append("run_ksoftirqd")
                try:
                    self.do_softirq(me)
                finally:
                    me.host_stack.pop()
                continue
            sched.block(TaskState.INTERRUPTIBLE)

    def do_softirq(self, task: "Task") -> None:
        """__do_softirq() in TASK: each pending vector's work, up to MAX_SOFTIRQ_RESTART
        rounds while more is raised; what is left wakes ksoftirqd."""
        if in_interrupt(task):
            return
        task.host_stack.append("__do_softirq")
        self.preempt_add(task, SOFTIRQ_OFFSET)
        try:
            for _ in range(MAX_SOFTIRQ_RESTART):
                pending, self.pending = self.pending, 0
                if not pending:
                    break
                for nr in range(NR_SOFTIRQS):
                    if pending >> nr & 1:
                        self._action(nr)
        finally:
            self.preempt_add(task, -SOFTIRQ_OFFSET)
            task.host_stack.pop()
        if self.pending and task is not self.ksoftirqd:
            self.wakeup_softirqd()

    def _action(self, nr: int) -> None:
        """Vector NR's handler: the work queued on it when it started."""
        self.count[nr] += 1
        cost.spend(self.k, "work_dispatch")
        batch, self.work[nr] = self.work[nr], deque()
        while batch:
            fn = batch.popleft()
            try:
                fn()
            except TaskExit:
                self.work[nr].extendleft(reversed(batch))
                raise

    def irq_exit(self, task: "Task") -> None:
        """irq_exit(): leave hardirq context; pending softirqs run now (invoke_softirq)."""
        self.preempt_add(task, -HARDIRQ_OFFSET)
        if not in_interrupt(task) and self.pending:
            self.do_softirq(task)

    def tick(self, task: "Task") -> None:
        """The local timer interrupt on the CPU TASK keeps busy (a busy wait: the kernel is
        not preemptible, ksoftirqd/0 cannot run there): its irq_exit() runs what is pending
        in TASK, unless ksoftirqd is already runnable and none of it is HI or TASKLET work
        (invoke_softirq() and ksoftirqd_running())."""
        if not self.pending or in_interrupt(task) or task is self.ksoftirqd:
            return
        if not self.pending & SOFTIRQ_NOW_MASK and self.ksoftirqd in self.k.sched.runqueue:
            return
        task.host_stack.extend(("apic_timer_interrupt", "smp_apic_timer_interrupt", "irq_exit"))
        self.preempt_add(task, HARDIRQ_OFFSET)
        try:
            self.irq_exit(task)
        finally:
            del task.host_stack[-3:]

    def local_bh_enable(self, task: "Task", cnt: int) -> None:
        """__local_bh_enable_ip(): drop CNT; pending softirqs run unless still in interrupt."""
        self.preempt_add(task, -(cnt - 1))
        if not in_interrupt(task) and self.pending:
            self.do_softirq(task)
        self.preempt_add(task, -1)
