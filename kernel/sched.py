"""Tasks and the scheduler: pids, comms, states, patch_state, and the context switch
(kernel/sched/).

Tasks that never run code here (idle tasks, sleeping daemons) are plain objects. A task
that runs kernel or guest code gets an execution context of its own, a greenlet (its own
Python and C stack, so it can block in the middle of a guest call made from a Unicorn hook),
for as long as that code runs. Everything runs on the driver's OS thread: a task switches
back to the driver whenever it blocks, and the driver switches to it when it is woken. A
switch is a stack swap, never an OS thread handoff, so runs cost the same on a busy machine.
"""

from __future__ import annotations

import itertools
from collections import deque
from enum import Enum
from typing import TYPE_CHECKING, Any, Callable

from greenlet import GreenletExit, getcurrent, greenlet

from kernel.abi import KLP_UNDEFINED, TASK_COMM_LEN, TaskStruct
from kernel.cpu import GuestContext
from kernel.record import MISSING, field, record

if TYPE_CHECKING:
    from kernel.machine import Kernel


class TaskState(str, Enum):
    """ps letters: R running, S interruptible, D uninterruptible, I idle kthread, P parked
    kthread, Z dead."""

    RUNNING = "R"
    INTERRUPTIBLE = "S"
    UNINTERRUPTIBLE = "D"
    IDLE = "I"
    PARKED = "P"        # TASK_PARKED: a kthread in kthread_parkme()
    DEAD = "X"


class TaskKind(str, Enum):
    IDLE = "idle"
    KTHREAD = "kthread"
    USER = "user"


# Host frames each kind of task sleeps on, outermost last (what /proc/<pid>/stack shows
# below the code it is running).
BASE_FRAMES: dict[str, tuple[str, ...]] = {
    "idle": ("do_idle", "cpu_startup_entry", "start_secondary", "secondary_startup_64"),
    "kworker": ("worker_thread", "kthread", "ret_from_fork"),
    "kthread": ("kthread", "ret_from_fork"),
    # a kthread_create()d thread running its function: kthread() is the return sentinel
    # of that guest call (cpu.call via="kthread"), so only what lies below it remains
    "kthread_fn": ("ret_from_fork",),
    "kthreadd": ("kthreadd", "ret_from_fork"),
    "ksoftirqd": ("smpboot_thread_fn", "kthread", "ret_from_fork"),
    "rescuer": ("rescuer_thread", "kthread", "ret_from_fork"),
    "user": ("do_syscall_64", "entry_SYSCALL_64_after_hwframe"),
}
SLEEP_FRAMES: dict[str, tuple[str, ...]] = {
    "idle": (),
    "kworker": ("worker_thread",),
    "user": ("do_wait", "kernel_wait4", "__do_sys_wait4"),
    "daemon": ("ep_poll", "do_epoll_wait", "__x64_sys_epoll_wait"),
    "kthread": ("schedule_timeout",),
}


PROC_COMM_LEN = 64       # fs/proc/array.c: tcomm[64]

NSEC_PER_SEC = 1_000_000_000
# How long a command waits for the task running it: machine time, CPU time its tasks may
# spend, timer events. Past any of them the shell gets control back; the task stays as it is.
WAIT_LIMIT_NS = 300 * NSEC_PER_SEC
WAIT_CPU_NS = 30 * NSEC_PER_SEC
WAIT_EVENTS = 200_000
WALL_SLICE_NS = 50_000_000   # real-time mode: how often a wait looks at Ctrl-C
SHUTDOWN_ROUNDS = 8      # Scheduler.shutdown(): passes over contexts started while unwinding


class TaskExit(BaseException):
    """Unwinds a task's execution context when the task is killed (Oops) or stopped."""


SIGKILL, SIGSEGV = 9, 11
# what bash prints for a job a signal ended (glibc's strsignal); nothing for SIGINT and SIGPIPE
_SIGNAL_TEXT = {1: "Hangup", 2: "", 3: "Quit", 4: "Illegal instruction", 5: "Trace/breakpoint trap",
                6: "Aborted", 7: "Bus error", 8: "Floating point exception", 9: "Killed",
                10: "User defined signal 1", 11: "Segmentation fault", 12: "User defined signal 2",
                13: "", 14: "Alarm clock", 15: "Terminated", 16: "Stack fault",
                24: "CPU time limit exceeded", 25: "File size limit exceeded",
                26: "Virtual timer expired", 27: "Profiling timer expired", 29: "I/O possible",
                30: "Power failure", 31: "Bad system call"}


class TaskKilled(Exception):
    """A user task died inside a system call (an Oops in code it ran): the call never
    returns to it, and its shell reports the signal (`Killed`, `Segmentation fault`)."""

    def __init__(self, comm: str, signo: int) -> None:
        super().__init__(f"{comm}: {_SIGNAL_TEXT.get(signo, f'signal {signo}')}")
        self.comm, self.signo = comm, signo

    @property
    def text(self) -> str:
        """What bash prints for a foreground job that died of this signal."""
        if 32 <= self.signo <= 64:
            return f"Real-time signal {self.signo - 32}"
        return _SIGNAL_TEXT.get(self.signo, f"Unknown signal {self.signo}")


@record(eq=False)
class Task:
    """task_struct: identity, scheduling state and the livepatch per-task state."""

    pid: int
    comm: str
    kind: TaskKind
    base: str = "user"
    sleep_on: str = "user"
    cpu: int = 0
    state: TaskState = TaskState.INTERRUPTIBLE
    patch_state: int = KLP_UNDEFINED
    patch_pending: bool = False      # TIF_PATCH_PENDING
    tif_sigpending: bool = False     # TIF_SIGPENDING set with no signal queued (livepatch's fake one)
    siginfo: dict = field(default_factory=dict)   # queued siginfo of each pending signal (signal.py)
    sigobjs: tuple = ()             # its guest signal_struct and sighand_struct
    ctx: GuestContext = field(default_factory=GuestContext)
    guest_struct: int = 0
    usage: int = 0                  # get_task_struct() references guest code holds (api/task.py)
    struct_orphaned: bool = False   # the kernel let go of guest_struct while those were held
    parent: "Task | None" = None
    kthread_data: dict = field(default_factory=dict)
    _thread: "_TaskThread | None" = None   # its execution context while it runs code
    host_stack: list[str] = field(default_factory=list)  # host functions currently active
    sleep_deadline: object = None
    set_state: int = 0              # what set_current_state() asked for
    kernel: "Kernel | None" = None
    wq_desc: str = ""               # a kworker's worker->desc: the workqueue it last ran for
    wq_busy: bool = False           # ... and whether it runs a work item now (current_work)
    nvcsw: int = 0                  # voluntary context switches (it blocked)
    nivcsw: int = 0                 # involuntary ones (it was preempted)
    last_switch_count: int = 0      # hung_task.c: nvcsw + nivcsw at its last check
    last_switch_time: int = 0       # ... and the jiffies then
    parked: bool = False            # left running when its command was given up (kept off the CPU)
    irq_count: int = 0              # preempt_count()'s softirq/hardirq part: in_interrupt()

    @property
    def is_kthread(self) -> bool:
        return self.kind is not TaskKind.USER

    @property
    def sigpending(self) -> bool:
        """signal_pending(): a signal not blocked is pending (its task_struct's pending and
        signal->shared_pending against blocked), or TIF_SIGPENDING was set without one."""
        if self.tif_sigpending:
            return True
        import kernel.signal  # (kernel.signal imports this module; a from-import here would
        # probe kernel.signal for __path__ at every call: an AttributeError made and dropped)
        return self.kernel is not None and kernel.signal.unblocked_pending(self.kernel, self) != 0

    @sigpending.setter
    def sigpending(self, on: bool) -> None:
        self.tif_sigpending = on

    @property
    def alive(self) -> bool:
        return self.state is not TaskState.DEAD

    @property
    def ppid(self) -> int:
        """task_pid_nr(real_parent): 0 for those the boot made with no parent (init,
        kthreadd: swapper's children)."""
        return self.parent.pid if self.parent is not None else 0

    @property
    def proc_comm(self) -> str:
        """The name /proc/PID/{comm,stat,status} and ps show: a kworker's comm with
        wq_worker_comm()'s "+wq" (running its work) or "-wq" (the last it ran)."""
        if not self.wq_desc:
            return self.comm
        return f"{self.comm}{'+' if self.wq_busy else '-'}{self.wq_desc}"[:PROC_COMM_LEN - 1]

    def host_frames(self, depth: int | None = None) -> list[int]:
        """Addresses of the host functions below any guest code of this task (the first
        DEPTH of its host frames: those below its outermost guest call)."""
        assert self.kernel is not None
        cpu = self.kernel.cpu
        names: list[str] = []
        if not self.ctx.frames and self._thread is None:
            names.extend(SLEEP_FRAMES.get(self.sleep_on, ()))
        names.extend(reversed(self.host_stack[:depth]))
        names.extend(BASE_FRAMES.get(self.base, ()))
        return [cpu.host_addr(n) for n in names]


def _task_defaults() -> tuple[dict[str, Any], tuple[tuple[str, Callable[[], Any]], ...]]:
    """A Task's fields as a new one has them, in order (those without a default None), and
    those a default_factory makes."""
    fields = Task.__record_fields__.values()     # type: ignore[attr-defined]
    defaults = {f.name: None if f.default is MISSING else f.default for f in fields}
    factories = tuple((f.name, f.default_factory) for f in fields if f.default_factory is not MISSING)
    return defaults, factories


_TASK_DEFAULTS, _TASK_FACTORIES = _task_defaults()


def new_task_record(pid: int, comm: str, kind: TaskKind, base: str, sleep_on: str,
                    parent: Task | None, kernel: "Kernel | None") -> Task:
    """Task(pid, comm, kind, base, sleep_on, parent=parent, kernel=kernel): its fields copied
    from _TASK_DEFAULTS in one update, those given and the factories' then stored (the 31
    attribute stores of Task.__init__ on a fresh instance cost twice as much)."""
    t = object.__new__(Task)
    d = t.__dict__
    d.update(_TASK_DEFAULTS)
    d["pid"], d["comm"], d["kind"], d["base"], d["sleep_on"] = pid, comm, kind, base, sleep_on
    d["parent"], d["kernel"] = parent, kernel
    for name, factory in _TASK_FACTORIES:
        d[name] = factory()
    return t


class _TaskThread:
    """The execution context (a greenlet) that carries one task's kernel code while it runs."""

    __slots__ = ("sched", "task", "fn", "glet", "done", "killed", "error")

    def __init__(self, sched: "Scheduler", task: Task, fn: Callable[[], None]) -> None:
        self.sched, self.task, self.fn = sched, task, fn
        self.glet: greenlet | None = None   # the scheduler's runner that carries it (Scheduler._run)
        self.done = False
        self.killed = False     # the machine is shutting down: unwind instead of running on
        self.error: BaseException | None = None

    def _main(self) -> None:
        try:
            if not self.killed:
                self.fn()
        except TaskExit:
            pass
        except BaseException as e:  # handed to the driver, which re-raises it
            self.error = e
        finally:
            self.done = True
            self.fn = None          # type: ignore[assignment]  (what it ran may hold the machine)
            self.task._thread = None
            self.sched._threads.pop(self, None)
            self.sched.current = None
        # returning switches to the parent: the driver that switched to this task last


class Scheduler:
    """Run queue, pids, and the driver loop that moves virtual time between events."""

    def __init__(self, kernel: "Kernel") -> None:
        self.kernel = kernel
        self.tasks: dict[int, Task] = {}
        self.idle: list[Task] = []
        self.runqueue: deque[Task] = deque()
        self.current: Task | None = None
        self._pids = itertools.count(1)
        self._driver: greenlet | None = None             # who switched to the current task
        self._threads: dict[_TaskThread, None] = {}      # contexts not yet ended, in start order
        # greenlets whose thread ended, idle until the next thread (starting a greenlet and
        # ending it cost ~6 us, most of a system call's own cost; a switch ~0.5 us)
        self._runners: list[greenlet] = []
        self.errors: list[BaseException] = []
        self.bound: "WaitBound | None" = None     # the wait of the command being run

    # --- tasks -----------------------------------------------------------------------
    def new_task(self, comm: str, kind: TaskKind, base: str = "user", sleep_on: str = "user",
                 pid: int | None = None, parent: Task | None = None) -> Task:
        t = self.add_task(comm, kind, base, sleep_on, pid, parent)
        if getattr(self.kernel, "vmlinux", None) is not None:
            self.kernel.task_struct(t)       # on init_task.tasks from the start
        return t

    def add_task(self, comm: str, kind: TaskKind, base: str = "user", sleep_on: str = "user",
                 pid: int | None = None, parent: Task | None = None) -> Task:
        """new_task() but for the guest task_struct: the Task, its pid, its place among the
        tasks and its patch state (klp_copy_process())."""
        t = new_task_record(next(self._pids) if pid is None else pid, comm[:TASK_COMM_LEN - 1],
                            kind, base, sleep_on, parent, self.kernel)
        if kind is TaskKind.IDLE:
            t.state = TaskState.RUNNING
            self.idle.append(t)
        else:
            self.tasks[t.pid] = t
        lp = self.kernel.livepatch
        if lp is not None:
            lp.copy_process(t, parent)
        return t

    def exit_task(self, task: Task) -> None:
        task.state = TaskState.DEAD
        self.tasks.pop(task.pid, None)
        self.kernel.on_task_exit(task)

    def all_tasks(self) -> list[Task]:
        return list(self.tasks.values())

    def on_cpu(self) -> list[Task]:
        """The tasks on a CPU now: the one whose code runs, then any other that is running
        (not queued, not sleeping), at most one per CPU; the idle tasks fill the rest."""
        cur = self.current
        running = [cur] if cur is not None else []
        # only a task with an execution context can be on a CPU: look at those, not every task
        others = [th.task for th in self._threads]
        running += sorted((t for t in others if t is not cur and t.state is TaskState.RUNNING
                           and t._thread is not None and t not in self.runqueue),
                          key=lambda t: t.pid)
        return running[:len(self.idle) or 1]

    def nr_on_cpu(self) -> int:
        """How many tasks on_cpu() gives, without putting them in order (each clock tick asks)."""
        cur = self.current
        n = 0 if cur is None else 1
        runqueue = self.runqueue
        for th in self._threads:
            t = th.task
            if t is not cur and t.state is TaskState.RUNNING and t._thread is not None and t not in runqueue:
                n += 1
        return min(n, len(self.idle) or 1)

    # --- context switches ------------------------------------------------------------
    def start(self, task: Task, fn: Callable[[], None]) -> None:
        """Give TASK an execution context that will run FN once the task is scheduled."""
        assert task._thread is None, f"{task.comm} already runs code"
        th = _TaskThread(self, task, fn)
        task._thread = th
        self._threads[th] = None
        self.wake(task)

    def wake(self, task: Task) -> bool:
        """Make a blocked task runnable; False if it was not blocked."""
        if task._thread is None or task.parked or task in self.runqueue or task is self.current:
            return False
        task.state = TaskState.RUNNING
        self.runqueue.append(task)
        return True

    def block(self, state: TaskState) -> None:
        """Called in the current task: sleep until someone wakes it."""
        task = self.current
        assert task is not None and task._thread is not None
        th = task._thread
        if th.killed:
            raise TaskExit()  # shutting down: code unwinding a killed task does not sleep again
        spin = state is TaskState.RUNNING     # mdelay()/udelay(): a busy wait, no schedule()
        if task.irq_count and not spin:
            self._schedule_bug(task)
        task.state = state
        if not spin:
            task.nvcsw += 1
            self._sync_switches(task)
        hung = self.kernel.hung_task
        if hung is not None and state is TaskState.UNINTERRUPTIBLE:
            hung.task_blocked(task)
        self._back_to_driver()
        if task.state is TaskState.DEAD or th.killed:
            raise TaskExit()

    def _sync_switches(self, task: Task) -> None:
        """task_struct.nvcsw/nivcsw as the guest reads them (for_each_process walks, rusage)."""
        addr = task.guest_struct
        if addr:
            mem = self.kernel.mem
            mem.set_u64(addr + TaskStruct.nvcsw.offset, task.nvcsw)
            mem.set_u64(addr + TaskStruct.nivcsw.offset, task.nivcsw)

    def _schedule_bug(self, task: Task) -> None:
        """__schedule_bug(): a task sleeps with a preempt count (in a softirq, a hard
        interrupt, or with bottom halves disabled); 4.19 says so and schedules anyway."""
        k = self.kernel
        k.log.err(f"BUG: scheduling while atomic: {task.comm}/{task.pid}/0x{task.irq_count & 0xFFFF_FFFF:08x}")
        k.dumpstack.print_modules()
        k.dump_stack(task, ("dump_stack", "__schedule_bug", "__schedule", "schedule"))
        k.add_taint("W")

    def need_resched(self) -> bool:
        """Someone else wants the CPU: a runnable task, a due timer, or the driver (a
        command's wait has run out of budget)."""
        due = self.kernel.clock.next_event_time()
        return bool(self.runqueue) or (due is not None and due <= self.kernel.clock.now) \
            or self.preempt_requested

    def preempt(self) -> None:
        """Called in the current task's thread: give up the CPU but stay runnable."""
        task = self.current
        assert task is not None and task._thread is not None
        th = task._thread
        if th.killed:
            raise TaskExit()
        task.nivcsw += 1
        self._sync_switches(task)
        task.state = TaskState.RUNNING
        self.runqueue.append(task)
        self._back_to_driver()
        if task.state is TaskState.DEAD or th.killed:
            raise TaskExit()

    def cond_preempt(self, task: Task) -> None:
        """A point where a task that keeps its CPU lets the driver look at the time: only
        when its command's budget of CPU time has run out (the kernel is not preemptible)."""
        if self.preempt_requested and task is self.current and task._thread is not None:
            self.preempt()      # (not a task lending its context to a call: kernel/fork.py)

    @property
    def preempt_requested(self) -> bool:
        bound = self.bound
        return bound is not None and bound.exceeded(self.kernel)

    def park(self, task: Task) -> None:
        """Keep a runnable task off the CPU for good: its command was given up while it ran
        (on Linux it would hold a CPU forever; here it stops costing host work)."""
        task.parked = True
        if task in self.runqueue:
            self.runqueue.remove(task)

    def _back_to_driver(self) -> None:
        self.current = None
        driver = self._driver
        assert driver is not None
        driver.switch()

    def _switch_to(self, task: Task) -> None:
        th = task._thread
        assert th is not None
        self.kernel.watchdog.new_run(task.cpu)
        self.current = task
        self.kernel.sync_preempt_count(task)
        task.state = TaskState.RUNNING
        self._run(th)
        if th.done and th.error is not None:
            err, th.error = th.error, None
            raise err

    def _run(self, th: _TaskThread) -> None:
        """Switch to TH until it blocks or ends; then this driver runs on."""
        me = getcurrent()
        outer, self._driver = self._driver, me
        try:
            glet = th.glet
            if glet is None:            # its first run: an idle runner (or a new one) carries it
                runners = self._runners
                glet = th.glet = runners.pop() if runners else greenlet(self._runner)
                glet.parent = me
                glet.switch(th)
            else:
                glet.parent = me
                glet.switch()
        finally:
            self._driver = outer

    def _runner(self, th: _TaskThread | None) -> None:
        """A greenlet's life: run thread after thread (_TaskThread._main), idle in between in
        the scheduler's runners; it ends with a thread that was killed or ended by
        GreenletExit, or when the scheduler ends its runners (None)."""
        while th is not None:
            th._main()
            th.glet = None
            if th.killed or isinstance(th.error, GreenletExit):
                return
            me = getcurrent()
            self._runners.append(me)
            th = me.parent.switch()     # back to the driver that ran TH: as if TH's greenlet ended

    def _end_runners(self) -> None:
        """The idle runners end (power off: nothing is left suspended)."""
        runners, self._runners = self._runners, []
        me = getcurrent()
        for glet in runners:
            glet.parent = me
            glet.switch(None)

    def shutdown(self) -> None:
        """Power off: every task's context unwinds (TaskExit where it sleeps) and ends.
        Called by the driver, never from a task. Contexts started while others unwind are
        ended too."""
        for _ in range(SHUTDOWN_ROUNDS):
            if not self._threads:
                break
            self.runqueue.clear()
            for th in sorted(self._threads, key=lambda t: t.task.pid):
                th.killed = True
                if not th.done:     # suspended: unwinds; never run: ends at once
                    self.current = th.task
                    self._run(th)
                th.error = None
                self._threads.pop(th, None)
        self.runqueue.clear()
        self.current = None
        self._end_runners()

    # --- driving ---------------------------------------------------------------------
    def run_pending(self, stop: Callable[[], bool] = lambda: False) -> None:
        """Run every runnable task until all are blocked or done (or STOP() holds)."""
        while self.runqueue and not stop():
            self._switch_to(self.runqueue.popleft())

    def run_until(self, done: Callable[[], bool], limit: int | None = None,
                  bound: "WaitBound | None" = None) -> bool:
        """Drive the machine until DONE() holds or virtual time would pass LIMIT (ns).

        BOUND, if given, also ends the drive (False) once it is exceeded: too much virtual
        time, CPU time or events, or the user interrupted the wait.
        """
        clock = self.kernel.clock
        outer, self.bound = self.bound, bound if bound is not None else self.bound
        stop = (lambda: False) if bound is None else (lambda: bound.exceeded(self.kernel))
        try:
            while True:
                self.run_pending(stop)
                if done():
                    return True
                if stop():
                    return False
                horizon = limit
                if bound is not None:
                    horizon = bound.deadline if horizon is None else min(horizon, bound.deadline)
                if clock.pacer is not None and not self._follow_wall(horizon, stop):
                    return done()
                ev = clock.pop_due(horizon if horizon is not None else 1 << 62)
                if ev is None:
                    if horizon is not None:
                        clock.advance_to(horizon)
                    return done()
                if bound is not None:
                    bound.events += 1
                ev.fn()
        finally:
            self.bound = outer

    def _follow_wall(self, horizon: int | None, stop: Callable[[], bool]) -> bool:
        """Real-time mode: let the wall clock reach the next event (or HORIZON) a slice at a
        time, so that STOP() (Ctrl-C) is seen while waiting; False if it was."""
        clock = self.kernel.clock
        target = clock.next_event_time()
        if horizon is not None:
            target = horizon if target is None else min(target, horizon)
        if target is None:
            return True             # nothing to wait for
        while clock.now < target:
            if stop():
                return False
            clock.advance_to(min(target, clock.now + WALL_SLICE_NS))
        return True


@record
class WaitBound:
    """How long a command may wait for the machine: virtual time, virtual CPU time spent by
    its tasks, timer events run, and whether the user interrupted (Ctrl-C)."""

    deadline: int                   # clock time (ns)
    cpu_ns: int                     # watchdog.cpu_ns at which it is used up
    max_events: int
    interrupted: Callable[[], bool] = lambda: False
    events: int = 0

    def exceeded(self, k: "Kernel") -> bool:
        return (k.clock.now >= self.deadline or k.watchdog.cpu_ns > self.cpu_ns
                or self.events > self.max_events or self.interrupted())

    def why(self, k: "Kernel") -> str:
        """What ran out, in words for the user."""
        if self.interrupted():
            return "interrupted"
        if k.watchdog.cpu_ns > self.cpu_ns:
            return "cpu"
        if self.events > self.max_events:
            return "events"
        return "time"


class SyscallAbandoned(Exception):
    """The shell stopped waiting for a task: WHY is 'time', 'cpu', 'events' or 'interrupted'."""

    def __init__(self, task: "Task", why: str) -> None:
        super().__init__(f"{task.comm}:{task.pid} {why}")
        self.task, self.why = task, why

    def message(self) -> str:
        """What the shell says about it."""
        t = self.task
        state = "running" if t.state is TaskState.RUNNING else f"in state {t.state.value}"
        if self.why == "interrupted":
            head = f"stopped waiting for {t.comm} (pid {t.pid})"
        elif self.why == "cpu":
            head = (f"{t.comm} (pid {t.pid}) has used {WAIT_CPU_NS // NSEC_PER_SEC} s of CPU "
                    "time without returning")
        elif self.why == "events":
            head = f"{t.comm} (pid {t.pid}) has not returned after {WAIT_EVENTS} timer events"
        else:
            head = (f"{t.comm} (pid {t.pid}) has not returned after "
                    f"{WAIT_LIMIT_NS // NSEC_PER_SEC} s of machine time")
        return f"klpsh: {head}; it stays in the kernel, {state} (see ps)"
