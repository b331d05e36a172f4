"""Workqueues: the system workqueue served by a pool of kworkers (kernel/workqueue.c).

A work item that sleeps keeps its kworker; the pool then hands further items to another
(idle or new) kworker, as the kernel's concurrency management does.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from kernel.abi import WorkStruct
from kernel.cpu import GuestBug, GuestFault
from kernel.sched import Task, TaskKind, TaskState, TaskExit
from kernel.time import Event
from kernel.wait import WaitQueue

if TYPE_CHECKING:
    from kernel.machine import Kernel

_FUNC_OFF = WorkStruct.func.offset


@dataclass(eq=False)
class Work:
    """Host-side state of one work_struct (guest address) or a host work function."""

    key: int
    host_fn: Callable[[], None] | None = None
    name: str = ""
    pending: bool = False
    running: Task | None = None
    timer: Event | None = None
    queued: bool = False


class Workqueue:
    """system_wq and its worker pool on CPU 0."""

    def __init__(self, kernel: "Kernel", prefix: str = "kworker/0:", max_workers: int = 64) -> None:
        self.kernel = kernel
        self.prefix, self.max_workers = prefix, max_workers
        self.items: deque[Work] = deque()
        self.workers: list[Task] = []
        self.idle: list[Task] = []
        self.by_key: dict[int, Work] = {}
        self.done = WaitQueue()
        self._next_id = 0

    def boot(self, n: int = 2) -> None:
        for _ in range(n):
            self._spawn_worker()

    def work(self, key: int) -> Work:
        w = self.by_key.get(key)
        if w is None:
            w = self.by_key[key] = Work(key)
        return w

    def host_work(self, name: str, fn: Callable[[], None]) -> Work:
        """A work item whose function is kernel (Python) code, e.g. klp_transition_work."""
        key = -(len(self.by_key) + 1)
        w = self.by_key[key] = Work(key, fn, name)
        return w

    # --- queueing --------------------------------------------------------------------
    def queue_work(self, w: Work) -> bool:
        if w.pending:
            return False
        w.pending = True
        self._enqueue(w)
        return True

    def queue_delayed_work(self, w: Work, delay: int) -> bool:
        if w.pending:
            return False
        w.pending = True
        if delay <= 0:
            self._enqueue(w)
        else:
            w.timer = self.kernel.clock.after_jiffies(delay, lambda: self._timer_fn(w))
        return True

    def mod_delayed_work(self, w: Work, delay: int) -> bool:
        was = self._try_cancel(w)
        w.pending = False
        self.queue_delayed_work(w, delay)
        return was

    def _timer_fn(self, w: Work) -> None:
        w.timer = None
        self._enqueue(w)

    def _enqueue(self, w: Work) -> None:
        w.queued = True
        self.items.append(w)
        if self.idle:
            self.kernel.sched.wake(self.idle.pop())
        elif len(self.workers) < self.max_workers:
            self._spawn_worker()

    def _try_cancel(self, w: Work) -> bool:
        """Take W off its timer or the queue; True if it was pending."""
        if not w.pending:
            return False
        if w.timer is not None:
            w.timer.cancel()
            w.timer = None
        if w.queued:
            self.items.remove(w)
            w.queued = False
        w.pending = False
        return True

    def cancel(self, w: Work) -> bool:
        return self._try_cancel(w)

    def cancel_sync(self, w: Work) -> bool:
        was = self._try_cancel(w)
        self.flush(w)
        return was

    def flush(self, w: Work) -> bool:
        """Wait until W is neither queued nor running; True if there was something to wait for."""
        busy = w.queued or w.running is not None
        if w.pending and w.timer is not None:
            w.timer.cancel()
            w.timer = None
            self._enqueue(w)
            busy = True
        me = self.kernel.sched.current
        if busy and w.running is not me:
            self.done.wait_event(self.kernel, lambda: not w.queued and w.running is None)
        return busy

    def flush_all(self) -> None:
        for w in list(self.by_key.values()):
            if w.pending or w.running is not None:
                self.flush(w)

    # --- workers ---------------------------------------------------------------------
    def _spawn_worker(self) -> Task:
        base = "kworker" if self.prefix.startswith("kworker") else "ksoftirqd"
        comm = f"{self.prefix}{self._next_id}" if self.max_workers > 1 else self.prefix.rstrip(":")
        t = self.kernel.sched.new_task(comm, TaskKind.KTHREAD, base=base, sleep_on=base)
        self._next_id += 1
        t.state = TaskState.IDLE
        self.workers.append(t)
        self.kernel.sched.start(t, lambda: self._worker_thread(t))
        return t

    def _worker_thread(self, me: Task) -> None:
        sched = self.kernel.sched
        while True:
            if not self.items:
                self.idle.append(me)
                sched.block(TaskState.IDLE)
                if me in self.idle:
                    self.idle.remove(me)
                continue
            w = self.items.popleft()
            w.queued = False
            w.pending = False
            w.running = me
            try:
                self._process_one_work(me, w)
            except TaskExit:
                w.running = None
                self.done.wake_up(self.kernel)
                if me in self.workers:
                    self.workers.remove(me)
                raise
            w.running = None
            self.done.wake_up(self.kernel)

    def _process_one_work(self, me: Task, w: Work) -> None:
        if w.host_fn is not None:
            me.host_stack.append("process_one_work")
            try:
                w.host_fn()
            finally:
                me.host_stack.pop()
            return
        k = self.kernel
        fn = k.mem.u64(w.key + _FUNC_OFF)
        try:
            k.cpu.call(me, fn, (w.key,), via="process_one_work")
        except (GuestFault, GuestBug) as e:
            k.oops(me, e)
            raise TaskExit() from None
