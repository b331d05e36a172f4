"""linux/interrupt.h: tasklets (kernel/softirq.c), bottom-half control, interrupt lines.

A tasklet lives in guest memory (struct tasklet_struct): its SCHED and RUN state bits and its
disable count are what the inline tasklet_schedule()/tasklet_disable()/tasklet_enable() of the
header read and write. __tasklet_schedule() puts it on the CPU's tasklet list (TASKLET_SOFTIRQ,
or HI_SOFTIRQ for the hi list) and raises the vector; tasklet_action() runs each listed tasklet
that is enabled, in softirq context, and keeps a disabled one listed for a later round. The
list is the kernel's, kept host-side; the struct is read afresh each time, so a tasklet freed
with its module while listed faults in the softirq, as on Linux.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from kernel.abi import TaskletStruct
from kernel.errno import KernelError
from kernel.api import errret, kapi
from kernel.record import field, record
from kernel.sched import TaskState
from kernel.softirq import HI_SOFTIRQ, SOFTIRQ_DISABLE_OFFSET, TASKLET_SOFTIRQ, in_interrupt
from kernel.wait import WaitQueue

if TYPE_CHECKING:
    from kernel.machine import Kernel

TASKLET_STATE_SCHED, TASKLET_STATE_RUN = 0, 1
_NEXT, _STATE = TaskletStruct.next.offset, TaskletStruct.state.offset
_COUNT, _FUNC, _DATA = TaskletStruct.count.offset, TaskletStruct.func.offset, TaskletStruct.data.offset
_ACTION = {TASKLET_SOFTIRQ: "tasklet_action", HI_SOFTIRQ: "tasklet_hi_action"}


@record(eq=False)
class Tasklets:
    """tasklet_vec and tasklet_hi_vec of CPU 0, and who waits in tasklet_kill()."""

    lists: dict[int, deque[int]] = field(default_factory=lambda: {TASKLET_SOFTIRQ: deque(),
                                                                  HI_SOFTIRQ: deque()})
    ran: WaitQueue = field(default_factory=WaitQueue)     # woken after each tasklet_action()


def _tasklets(k: "Kernel") -> Tasklets:
    t = getattr(k, "tasklets", None)
    if t is None:
        t = k.tasklets = Tasklets()
    return t


def _schedule(k: "Kernel", t: int, nr: int) -> None:
    """__tasklet_schedule_common(): append T to the list (its next cleared) and raise NR."""
    k.mem.set_u64(t + _NEXT, 0)
    tl = _tasklets(k)
    tl.lists[nr].append(t)
    k.softirq.raise_work(nr, lambda: _action(k, nr))


def _action(k: "Kernel", nr: int) -> None:
    """tasklet_action_common(): run what is listed; a disabled or running tasklet stays."""
    tl = _tasklets(k)
    todo, tl.lists[nr] = tl.lists[nr], deque()
    task = k.current
    task.host_stack.append(_ACTION[nr])
    try:
        while todo:
            t = todo.popleft()
            if not k.pagetable.present(t):
                # freed while listed (its module unloaded without tasklet_kill)
                k.kernel_page_fault(t, "read", _ACTION[nr])
                continue
            state = k.mem.u64(t + _STATE)
            if not state >> TASKLET_STATE_RUN & 1:
                k.mem.set_u64(t + _STATE, state | 1 << TASKLET_STATE_RUN)       # trylock
                if k.mem.u32(t + _COUNT) == 0:
                    state = k.mem.u64(t + _STATE)
                    if not state & 1 << TASKLET_STATE_SCHED:
                        # 4.19's tasklet_action_common() BUG()s here
                        k.unchecked(f"tasklet {k.fmt_ptr(t)} on the list is not scheduled",
                                    "tasklet_action_common() BUG()s")
                    k.mem.set_u64(t + _STATE, state & ~(1 << TASKLET_STATE_SCHED))
                    k.run_guest(task, k.mem.u64(t + _FUNC), (k.mem.u64(t + _DATA),),
                                via="tasklet_action_common")
                    if k.pagetable.present(t):
                        k.mem.set_u64(t + _STATE, k.mem.u64(t + _STATE) & ~(1 << TASKLET_STATE_RUN))
                    continue
                k.mem.set_u64(t + _STATE, k.mem.u64(t + _STATE) & ~(1 << TASKLET_STATE_RUN))
            # still disabled (or running): back on the list for a later round
            k.mem.set_u64(t + _NEXT, 0)
            tl.lists[nr].append(t)
    finally:
        task.host_stack.pop()
        tl.ran.wake_up(k)
    if tl.lists[nr]:
        k.softirq.poll_next_tick(lambda: _requeue(k, nr))


def _requeue(k: "Kernel", nr: int) -> bool:
    """A tick after a round left tasklets listed: raise the vector for them again."""
    tl = _tasklets(k)
    if not tl.lists[nr]:
        return False
    k.softirq.work[nr].append(lambda: _action(k, nr))
    k.softirq.pending |= 1 << nr
    return True


@kapi()
def tasklet_init(k: "Kernel", t: int, func: int, data: int) -> None:
    k.mem.set_u64(t + _NEXT, 0)
    k.mem.set_u64(t + _STATE, 0)
    k.mem.set_u32(t + _COUNT, 0)
    k.mem.set_u64(t + _FUNC, func)
    k.mem.set_u64(t + _DATA, data)


@kapi()
def __tasklet_schedule(k: "Kernel", t: int) -> None:
    _schedule(k, t, TASKLET_SOFTIRQ)


@kapi()
def __tasklet_hi_schedule(k: "Kernel", t: int) -> None:
    _schedule(k, t, HI_SOFTIRQ)


@kapi()
def tasklet_kill(k: "Kernel", t: int) -> None:
    """Wait until T is neither scheduled nor running, and leave it unscheduled."""
    task = k.current
    if in_interrupt(task):
        k.log.notice("Attempt to kill tasklet from interrupt")
    tl = _tasklets(k)
    sched_bit, run_bit = 1 << TASKLET_STATE_SCHED, 1 << TASKLET_STATE_RUN
    state = k.mem.u64(t + _STATE)
    k.mem.set_u64(t + _STATE, state | sched_bit)
    if state & sched_bit:
        # yield() until the softirq has run it
        tl.ran.wait_event(k, lambda: not k.mem.u64(t + _STATE) & sched_bit, TaskState.RUNNING)
        k.mem.set_u64(t + _STATE, k.mem.u64(t + _STATE) | sched_bit)
    tl.ran.wait_event(k, lambda: not k.mem.u64(t + _STATE) & run_bit, TaskState.RUNNING)
    k.mem.set_u64(t + _STATE, k.mem.u64(t + _STATE) & ~sched_bit)


@kapi()
def __local_bh_disable_ip(k: "Kernel", ip: int, cnt: int) -> None:
    k.softirq.preempt_add(k.current, cnt & 0xFFFF_FFFF)


@kapi()
def __local_bh_enable_ip(k: "Kernel", ip: int, cnt: int) -> None:
    k.softirq.local_bh_enable(k.current, cnt & 0xFFFF_FFFF)


@kapi()
def _local_bh_enable(k: "Kernel") -> None:
    """Enable bottom halves without running pending softirqs."""
    k.softirq.preempt_add(k.current, -SOFTIRQ_DISABLE_OFFSET)


# --- interrupt lines (kernel/irq/manage.c; the descriptors are kernel/irq.py's) ----------------
def _irq(v: int) -> int:
    return v & 0xFFFF_FFFF


@kapi()
def request_threaded_irq(k: "Kernel", irq: int, handler: int, thread_fn: int, flags: int,
                         devname: int, dev_id: int) -> int:
    from kernel.irq import irqs
    try:
        irqs(k).request(_irq(irq), handler, thread_fn, flags, devname, dev_id)
    except KernelError as e:
        return errret(e.errno)
    return 0


@kapi()
def request_any_context_irq(k: "Kernel", irq: int, handler: int, flags: int, devname: int,
                            dev_id: int) -> int:
    """No line here nests in a threaded parent: a hard handler, IRQC_IS_HARDIRQ (0)."""
    return request_threaded_irq(k, irq, handler, 0, flags, devname, dev_id)


@kapi()
def irq_set_irq_wake(k: "Kernel", irq: int, on: int) -> int:
    from kernel.irq import irqs
    return irqs(k).set_wake(_irq(irq), bool(on & 0xFFFF_FFFF))


@kapi()
def free_irq(k: "Kernel", irq: int, dev_id: int) -> int:
    """The devname the line was requested with (NULL if DEV_ID had none on it)."""
    from kernel.irq import irqs
    return irqs(k).free(_irq(irq), dev_id)


@kapi()
def disable_irq_nosync(k: "Kernel", irq: int) -> None:
    from kernel.irq import irqs
    irqs(k).disable(_irq(irq), sync=False)


@kapi()
def disable_irq(k: "Kernel", irq: int) -> None:
    from kernel.irq import irqs
    irqs(k).disable(_irq(irq), sync=True)


@kapi()
def disable_hardirq(k: "Kernel", irq: int) -> int:
    """Disable without waiting for threads: true (the hard handlers are never left running)."""
    from kernel.irq import irqs
    irqs(k).disable(_irq(irq), sync=False)
    return 1


@kapi()
def enable_irq(k: "Kernel", irq: int) -> None:
    from kernel.irq import irqs
    irqs(k).enable(_irq(irq))


@kapi()
def synchronize_irq(k: "Kernel", irq: int) -> None:
    from kernel.irq import irqs
    desc = irqs(k).descs.get(_irq(irq))
    if desc is not None:
        irqs(k).synchronize(desc)


@kapi()
def synchronize_hardirq(k: "Kernel", irq: int) -> int:
    """True: no hard handler is left running (they run to completion where they interrupt)."""
    return 1
