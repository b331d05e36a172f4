"""Workqueues (kernel/workqueue.c): workqueue_structs feeding pools of kworkers.

A workqueue (system_wq, or one a module allocates) owns the accounting: max_active, the
inactive list of an ordered queue, which queued items a flush_workqueue() waits for. Its items
run in a worker pool: the per-CPU pool (kworker/0:N), its high-priority twin (kworker/0:NH),
or the unbound pool (kworker/u4:N). A work item that sleeps
keeps its kworker; the pool hands further items to another (idle or new) kworker, as the
kernel's concurrency management does, and never runs one work item on two workers at once.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Callable

from kernel import cost
from kernel.abi import WorkStruct
from kernel.cpu import GuestBug, GuestFault
from kernel.fork import kernel_thread
from kernel.mm import GuestMemory
from kernel.record import record
from kernel.sched import Task, TaskExit, TaskKind, TaskState
from kernel.time import Event
from kernel.wait import WaitQueue
from kernel.bug import WarnSite

if TYPE_CHECKING:
    from kernel.machine import Kernel

# __queue_work()'s WARN_ON_ONCE(!is_chained_work(wq)) on a draining workqueue (4.19)
WARN_QUEUE_DRAINING = WarnSite("kernel/workqueue.c", 1384, "__queue_work", once=True)

_FUNC_OFF = WorkStruct.func.offset
_DATA_OFF = WorkStruct.data.offset

# alloc_workqueue() flags (include/linux/workqueue.h, 4.19)
WQ_UNBOUND = 1 << 1
WQ_FREEZABLE = 1 << 2
WQ_MEM_RECLAIM = 1 << 3
WQ_HIGHPRI = 1 << 4
WQ_CPU_INTENSIVE = 1 << 5
WQ_SYSFS = 1 << 6
WQ_POWER_EFFICIENT = 1 << 7
WQ_DRAINING = 1 << 16
WQ_ORDERED = 1 << 17
WQ_LEGACY = 1 << 18
WQ_ORDERED_EXPLICIT = 1 << 19
WQ_MAX_ACTIVE = 512
WQ_DFL_ACTIVE = WQ_MAX_ACTIVE // 2
WQ_NAME_LEN = 24
DRAIN_COMPLAINT_TRIES = 10          # drain_workqueue() complains after this many flushes

# workqueue_init_early(): the system workqueues (vmlinux symbol -> name, flags)
SYSTEM_WORKQUEUES = {
    "system_wq": ("events", 0),
    "system_highpri_wq": ("events_highpri", WQ_HIGHPRI),
    "system_long_wq": ("events_long", 0),
    "system_unbound_wq": ("events_unbound", WQ_UNBOUND),
    "system_freezable_wq": ("events_freezable", WQ_FREEZABLE),
    "system_power_efficient_wq": ("events_power_efficient", WQ_POWER_EFFICIENT),
    "system_freezable_power_efficient_wq": ("events_freezable_power_",     # WQ_NAME_LEN cut
                                            WQ_FREEZABLE | WQ_POWER_EFFICIENT),
}


@record(eq=False)
class Work:
    """Host-side state of one work_struct (keyed by guest address) or a host work function."""

    key: int
    host_fn: Callable[[], None] | None = None
    name: str = ""
    mem: GuestMemory | None = None  # where the work_struct lives (None: a host work)
    _pending: bool = False
    running: Task | None = None
    timer: Event | None = None
    queued: bool = False            # on a pool's worklist or a workqueue's inactive list
    wq: "WorkqueueStruct | None" = None   # where it was last queued (delayed_work.wq)
    color: int = 0                  # its flush sequence number while queued
    done: int = 0                   # executions finished (or queued instances cancelled)

    @property
    def pending(self) -> bool:
        """WORK_STRUCT_PENDING: queued, or its timer armed (bit 0 of work->data, which
        work_pending() reads)."""
        return self._pending

    @pending.setter
    def pending(self, v: bool) -> None:
        self._pending = v
        if self.mem is not None:
            data = self.mem.u64(self.key + _DATA_OFF)
            self.mem.set_u64(self.key + _DATA_OFF, data | 1 if v else data & ~1)


class WorkerPool:
    """worker_pool: kworkers taking active work items in order."""

    def __init__(self, kernel: "Kernel", comm: Callable[[int], str], max_workers: int = 64,
                 base: str = "kworker", frames: tuple[str, ...] = ("process_one_work",)) -> None:
        self.kernel = kernel
        self.comm, self.max_workers, self.base, self.frames = comm, max_workers, base, frames
        self.items: deque[Work] = deque()
        self.workers: list[Task] = []
        self.idle: list[Task] = []
        self.current: dict[Task, Work] = {}     # worker -> the work it executes
        self.done = WaitQueue()                 # woken whenever an execution ends
        self._next_id = 0

    def boot(self, n: int) -> None:
        for _ in range(n):
            self._spawn_worker()

    def insert(self, w: Work) -> None:
        self.items.append(w)
        cur = self.kernel.sched.current
        if cur is not None and cur in self.workers and cur not in self.current:
            return                  # a worker between two items: it takes this one next
        if self.idle:
            self.kernel.sched.wake(self.idle.pop())
        elif len(self.workers) < self.max_workers:
            self._spawn_worker()

    def _spawn_worker(self) -> Task:
        t = kernel_thread(self.kernel, self.comm(self._next_id), base=self.base, sleep_on=self.base)
        self._next_id += 1
        t.state = TaskState.IDLE
        self.workers.append(t)
        self.kernel.sched.start(t, lambda: self._worker_thread(t))
        return t

    def _next(self) -> Work | None:
        """The first item no other worker is executing (work items are non-reentrant: the
        worker running one picks its next queueing up when it is done)."""
        for w in self.items:
            if w.running is None:
                self.items.remove(w)
                return w
        return None

    def _worker_thread(self, me: Task) -> None:
        sched = self.kernel.sched
        while True:
            w = self._next()
            if w is None:
                self.idle.append(me)
                sched.block(TaskState.IDLE)
                if me in self.idle:
                    self.idle.remove(me)
                continue
            wq, color = w.wq, w.color
            w.queued = w.pending = False
            w.running = me
            self.current[me] = w
            if wq is not None:
                me.wq_desc, me.wq_busy = wq.name, True     # process_one_work(): worker->desc
            try:
                self._process_one_work(me, w)
            except TaskExit:
                self._finish(me, w, wq, color)
                if me in self.workers:
                    self.workers.remove(me)
                raise
            self._finish(me, w, wq, color)

    def _finish(self, me: Task, w: Work, wq: "WorkqueueStruct | None", color: int) -> None:
        w.running = None
        w.done += 1
        self.current.pop(me, None)
        me.wq_busy = False
        if wq is not None:
            wq.work_done(w, color)
        self.done.wake_up(self.kernel)

    def _process_one_work(self, me: Task, w: Work) -> None:
        cost.spend(self.kernel, "work_dispatch")
        if w.host_fn is not None:
            me.host_stack.extend(self.frames)
            try:
                w.host_fn()
            finally:
                del me.host_stack[-len(self.frames):]
            return
        k = self.kernel
        fn = k.mem.u64(w.key + _FUNC_OFF)
        try:
            # the call's return sentinel is process_one_work() itself
            k.cpu.call(me, fn, (w.key,), via="process_one_work")
        except (GuestFault, GuestBug) as e:
            k.oops(me, e)
            raise TaskExit() from None


class WorkqueueStruct:
    """struct workqueue_struct: its name, flags and max_active, the items it has queued."""

    def __init__(self, subsys: "Workqueues", addr: int, name: str, flags: int, max_active: int,
                 pool: WorkerPool) -> None:
        self.subsys, self.kernel = subsys, subsys.kernel
        self.addr, self.name, self.flags, self.max_active, self.pool = addr, name, flags, max_active, pool
        self.active: set[int] = set()           # colors of items active (queued in the pool or running)
        self.inactive: deque[Work] = deque()    # waiting for max_active to allow them
        self.inflight: set[int] = set()         # colors of items queued and not yet done
        self._color = 0
        self.rescuer: Task | None = None
        self.draining = 0
        self.destroyed = False
        self.flushed = WaitQueue()

    # --- the system workqueue's conveniences (the kernel's own callers) ------------------
    def work(self, key: int) -> Work:
        return self.subsys.work(key)

    def host_work(self, name: str, fn: Callable[[], None]) -> Work:
        return self.subsys.host_work(name, fn)

    def cancel(self, w: Work) -> bool:
        return self.subsys.cancel(w)

    def cancel_sync(self, w: Work) -> bool:
        return self.subsys.cancel_sync(w)

    def flush_all(self) -> None:
        self.flush()

    # --- queueing ------------------------------------------------------------------------
    def queue_work(self, w: Work) -> bool:
        """queue_work(): False if W is already pending."""
        if w.pending:
            return False
        w.pending = True
        self._insert(w)
        return True

    def queue_delayed_work(self, w: Work, delay: int) -> bool:
        if w.pending:
            return False
        w.pending = True
        self._delay(w, delay)
        return True

    def mod_delayed_work(self, w: Work, delay: int) -> bool:
        """Queue W DELAY jiffies from now whatever its state; True if it was pending."""
        was = self.subsys.grab_pending(w)
        w.pending = True
        self._delay(w, delay)
        return was

    def _delay(self, w: Work, delay: int) -> None:
        w.wq = self
        if delay <= 0:
            self._insert(w)
        else:
            w.timer = self.kernel.clock.after_jiffies(delay, lambda: self._timer_fn(w))

    def _timer_fn(self, w: Work) -> None:
        """delayed_work_timer_fn(): the timer queues the work on the workqueue it was given."""
        w.timer = None
        self._insert(w)

    def _insert(self, w: Work) -> None:
        """__queue_work(): count it in flight, then activate it or hold it back."""
        k = self.kernel
        if self.destroyed:
            k.unchecked(f"work queued on destroyed workqueue {self.name}",
                        "destroy_workqueue() freed it; __queue_work() uses the freed memory")
            w.pending = False
            return
        if self.draining and not self._chained():
            # WARN_ON_ONCE(!is_chained_work(wq)) in __queue_work: only the workqueue's own
            # items may queue more while it drains
            if f"drain:{self.name}" not in k.printk.once:
                k.printk.once.add(f"drain:{self.name}")
                k.warn_at(WARN_QUEUE_DRAINING)
            w.pending = False
            return
        w.wq = self
        self._color += 1
        w.color = self._color
        self.inflight.add(w.color)
        w.queued = True
        if len(self.active) < self.max_active:
            self._activate(w)
        else:
            self.inactive.append(w)

    @property
    def nr_active(self) -> int:
        return len(self.active)

    def set_max_active(self, n: int) -> None:
        """workqueue_set_max_active(): a higher limit lets held-back items run now."""
        self.max_active = max(n, 1)
        self._activate_inactive()

    def _activate_inactive(self) -> None:
        while self.inactive and len(self.active) < self.max_active:
            self._activate(self.inactive.popleft())

    def _activate(self, w: Work) -> None:
        self.active.add(w.color)
        self.pool.insert(w)

    def _chained(self) -> bool:
        cur = self.kernel.sched.current
        w = self.pool.current.get(cur) if cur is not None else None
        return w is not None and w.wq is self

    def work_done(self, w: Work, color: int) -> None:
        """pwq_dec_nr_in_flight(): one execution ended; let the next inactive item run."""
        self.active.discard(color)
        self.inflight.discard(color)
        self._activate_inactive()
        self.flushed.wake_up(self.kernel)

    def unqueue(self, w: Work) -> None:
        """Take a queued W off its pool's list or the inactive list (try_to_grab_pending)."""
        if w in self.inactive:
            self.inactive.remove(w)
        elif w in self.pool.items:
            self.pool.items.remove(w)
        w.queued = False
        w.done += 1
        self.work_done(w, w.color)
        self.pool.done.wake_up(self.kernel)

    # --- flushing ------------------------------------------------------------------------
    def flush(self) -> None:
        """flush_workqueue(): wait for every item queued before the call."""
        upto = self._color
        self.flushed.wait_event(self.kernel, lambda: not any(c <= upto for c in self.inflight))

    def drain(self) -> None:
        """drain_workqueue(): flush until nothing is in flight, chained requeues included."""
        self.draining += 1
        tries = 0
        while self.inflight:
            self.flush()
            tries += 1
            if tries == DRAIN_COMPLAINT_TRIES:
                self.kernel.log.warn(f"workqueue {self.name}: drain_workqueue() isn't complete "
                                     f"after {tries} tries")
        self.draining -= 1


class Workqueues:
    """The workqueue subsystem of one Kernel: pools, workqueues by guest address, work items."""

    def __init__(self, kernel: "Kernel") -> None:
        self.kernel = kernel
        self.percpu = WorkerPool(kernel, lambda i: f"kworker/0:{i}")
        self.highpri = WorkerPool(kernel, lambda i: f"kworker/0:{i}H")
        # unbound pools are numbered after the per-CPU ones (2 per CPU): u4 on 2 CPUs
        self.unbound = WorkerPool(kernel, lambda i: f"kworker/u4:{i}")
        self.by_addr: dict[int, WorkqueueStruct] = {}
        self.works: dict[int, Work] = {}
        self._host_keys = 0
        self.system = self.create("events", 0, 0)

    def boot(self) -> None:
        """workqueue_init(): the system workqueues (vmlinux gives them addresses) and the
        first kworkers of CPU 0."""
        vmlinux = self.kernel.vmlinux
        mem = self.kernel.mem
        for sym, (name, flags) in SYSTEM_WORKQUEUES.items():
            ptr = vmlinux.symbol(sym) if vmlinux is not None else None
            addr = mem.u64(ptr) if ptr else 0
            if not addr:
                continue
            if sym == "system_wq":
                self.system.addr = addr
                self.by_addr[addr] = self.system
            else:
                self.create(name, flags, 0, addr)
        self.percpu.boot(2)

    def pool_for(self, flags: int) -> WorkerPool:
        if flags & WQ_UNBOUND:
            return self.unbound
        return self.highpri if flags & WQ_HIGHPRI else self.percpu

    def create(self, name: str, flags: int, max_active: int, addr: int = 0) -> WorkqueueStruct:
        """__alloc_workqueue_key() without the guest side (see kernel/api/workqueue.py)."""
        if flags & WQ_UNBOUND and max_active == 1:
            flags |= WQ_ORDERED                  # an unbound queue of one is ordered
        limit = max(WQ_MAX_ACTIVE, 4 * 2) if flags & WQ_UNBOUND else WQ_MAX_ACTIVE
        max_active = max_active or WQ_DFL_ACTIVE
        if max_active < 1 or max_active > limit:
            self.kernel.log.warn(f"workqueue: max_active {max_active} requested for {name} is out "
                                 f"of range, clamping between 1 and {limit}")
            max_active = min(max(max_active, 1), limit)
        wq = WorkqueueStruct(self, addr, name, flags, max_active, self.pool_for(flags))
        if addr:
            self.by_addr[addr] = wq
        return wq

    def work(self, key: int) -> Work:
        w = self.works.get(key)
        if w is None:
            w = self.works[key] = Work(key, mem=self.kernel.mem)
        return w

    def host_work(self, name: str, fn: Callable[[], None]) -> Work:
        """A work item whose function is kernel (Python) code, e.g. klp_transition_work."""
        self._host_keys += 1
        return Work(-self._host_keys, fn, name)

    # --- per-work operations (work_struct knows no workqueue) ---------------------------
    def grab_pending(self, w: Work) -> bool:
        """try_to_grab_pending(): stop its timer or take it off its queue; True if pending."""
        if not w.pending:
            return False
        if w.timer is not None:
            w.timer.cancel()
            w.timer = None
        if w.queued and w.wq is not None:
            w.wq.unqueue(w)
        w.pending = False
        return True

    def cancel(self, w: Work) -> bool:
        return self.grab_pending(w)

    def cancel_sync(self, w: Work) -> bool:
        was = self.grab_pending(w)
        self.flush_work(w)
        return was

    def flush_work(self, w: Work) -> bool:
        """Wait for the queued instance of W (and the one running) to finish; False if idle."""
        if not w.queued and w.running is None:
            return False
        if w.running is not None and w.running is self.kernel.sched.current:
            return True                          # flushing itself would never end
        target = w.done + (1 if w.running is not None else 0) + (1 if w.queued else 0)
        pool = w.wq.pool if w.wq is not None else self.percpu
        pool.done.wait_event(self.kernel, lambda: w.done >= target)
        return True

    def flush_delayed_work(self, w: Work) -> bool:
        """A pending timer fires now, then the work is flushed."""
        if w.timer is not None:
            w.timer.cancel()
            w.timer = None
            (w.wq or self.system)._insert(w)
        return self.flush_work(w)

    def worker_info(self, task: Task) -> tuple[str, Work] | None:
        """(workqueue name, work) that TASK is executing as a kworker, for print_worker_info()."""
        for pool in (self.percpu, self.highpri, self.unbound):
            w = pool.current.get(task)
            if w is not None:
                return (w.wq.name if w.wq is not None else ""), w
        return None
