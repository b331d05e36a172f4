"""linux/rcupdate.h: grace periods and RCU callbacks (kernel/rcu/tree.c, simplified).

One CPU runs guest code and readers never sleep inside rcu_read_lock(), so a grace period ends
at the next tick. Callbacks (call_rcu, kfree_rcu) run then in softirq context, in the order they
were queued; rcu_barrier() waits for them. synchronize_rcu() is 4.19's wait_rcu_gp(): it queues a
callback of its own and sleeps until it runs, so the callbacks queued before it have run when it
returns.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from kernel.api import kapi
from kernel.record import field, record
from kernel.softirq import RCU_SOFTIRQ
from kernel.wait import WaitQueue

if TYPE_CHECKING:
    from kernel.machine import Kernel

KFREE_OFFSET_MAX = 4096           # __is_kfree_rcu_offset(): a "function" below this is an offset
GRACE_PERIOD_JIFFIES = 1


@record(eq=False)
class RcuState:
    """Callbacks waiting for their grace period (head, func), and who waits for them all."""

    pending: deque[tuple[int, int]] = field(default_factory=deque)
    barrier: WaitQueue = field(default_factory=WaitQueue)
    armed: bool = False
    grace_periods: int = 0      # synchronize_rcu() waits that have ended


def _state(k: "Kernel") -> RcuState:
    if k.rcu is None:
        k.rcu = RcuState()
    return k.rcu


def _process_callbacks(k: "Kernel") -> None:
    """rcu_process_callbacks() -> rcu_do_batch(): invoke every callback queued so far."""
    st = _state(k)
    st.armed = False
    batch, st.pending = st.pending, deque()
    for head, func in batch:
        if head == 0:                   # wakeme_after_rcu() of a synchronize_rcu() caller
            st.grace_periods += 1
        elif func < KFREE_OFFSET_MAX:
            k.slab.kfree(head - func)
        else:
            k.run_guest(k.sched.current, func, (head,), via="rcu_process_callbacks")
    st.barrier.wake_up(k)


def _queue(k: "Kernel", head: int, func: int) -> None:
    st = _state(k)
    if head:
        k.mem.set_u64(head, 0)        # callback_head: next, func
        k.mem.set_u64(head + 8, func)
    st.pending.append((head, func))
    if not st.armed:
        st.armed = True
        k.clock.after_jiffies(GRACE_PERIOD_JIFFIES, lambda: k.softirq.raise_work(
            RCU_SOFTIRQ, lambda: _process_callbacks(k)))


@kapi()
def call_rcu(k: "Kernel", head: int, func: int) -> None:
    _queue(k, head, func)


@kapi()
def call_rcu_sched(k: "Kernel", head: int, func: int) -> None:
    _queue(k, head, func)


@kapi()
def kfree_call_rcu(k: "Kernel", head: int, func: int) -> None:
    _queue(k, head, func)


def _wait_rcu_gp(k: "Kernel") -> None:
    """Queue a wake-up behind the callbacks queued so far and sleep until it has run."""
    st = _state(k)
    _queue(k, 0, 0)
    ends = sum(1 for head, _ in st.pending if head == 0)      # ours is the last one queued
    target = st.grace_periods + ends
    st.barrier.wait_event(k, lambda: st.grace_periods >= target)


@kapi()
def synchronize_rcu(k: "Kernel") -> None:
    _wait_rcu_gp(k)


@kapi()
def synchronize_sched(k: "Kernel") -> None:
    _wait_rcu_gp(k)


@kapi()
def synchronize_rcu_expedited(k: "Kernel") -> None:
    pass


@kapi()
def rcu_barrier(k: "Kernel") -> None:
    st = _state(k)
    st.barrier.wait_event(k, lambda: not st.pending)


@kapi()
def rcu_barrier_sched(k: "Kernel") -> None:
    rcu_barrier(k)
