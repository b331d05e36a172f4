"""What every transition did, task by task, for `timeline` (klpsh's own; the kernel keeps none).

transition.py reports each step here: init, start, each klp_try_switch_task() attempt and its
outcome, signals, force, reverse, cancel and completion. Memory stays bounded: the last
KEEP_TRANSITIONS transitions are kept; within one, consecutive identical results of a task's
attempts are one run (first, last, count), consecutive attempts that switched nobody are one
event, and past MAX_RECORDS runs and events a transition only counts what it drops. Each step
costs a few attribute updates, so recording is always on and nobody pays for a picture they
do not ask for.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Callable, Iterator

from kernel.abi import KLP_PATCHED, KLP_UNPATCHED
from kernel.record import field, record
from kernel.sched import TaskKind

if TYPE_CHECKING:
    from kernel.sched import Task

__all__ = ["TransitionHistory", "TransitionRecord", "TaskTrack", "Blocked", "Event",
           "KEEP_TRANSITIONS", "MAX_RECORDS"]

KEEP_TRANSITIONS = 32        # transitions remembered (the oldest are forgotten)
MAX_RECORDS = 2000           # runs + events kept per transition
STATE_NAME = {KLP_UNPATCHED: "unpatched", KLP_PATCHED: "patched"}
WORD = {KLP_PATCHED: "patching", KLP_UNPATCHED: "unpatching"}
_KIND_NAMES = {kind: kind.value for kind in TaskKind}   # (Enum's .value is a descriptor call)


@record(eq=False)
class Blocked:
    """A run of a task's failed switch attempts with the same reason."""

    first: int               # ns of the first attempt of the run
    last: int                # ns of the last one
    count: int
    reporter: str            # klp_try_switch_task / klp_check_stack
    why: str                 # "is running", "is sleeping on function X", ...

    @property
    def func(self) -> str | None:
        """The patched function the task was sleeping in, if that was the reason."""
        prefix = "is sleeping on function "
        return self.why[len(prefix):] if self.why.startswith(prefix) else None


@record(eq=False)
class TaskTrack:
    """One task during one transition: its states over time and why it was held up."""

    pid: int
    comm: str
    kind: str                # idle / kthread / user
    cpu: int
    states: list[tuple[int, int, str]] = field(default_factory=list)  # (ns, state, how)
    blocked: list[Blocked] = field(default_factory=list)

    def state_at(self, ns: int) -> int | None:
        """The patch state the task had at NS (None before it was seen)."""
        cur = None
        for when, state, _ in self.states:
            if when > ns:
                break
            cur = state
        return cur


@record(eq=False)
class Event:
    """A transition-wide step: init, start, attempt, signal, force, reverse, cancel, complete."""

    kind: str
    first: int
    last: int = -1
    count: int = 1
    text: str = ""           # details (patch state words, tasks pending)
    pending: int = 0         # tasks not yet switched after it (attempts)

    def __post_init__(self) -> None:
        if self.last < 0:
            self.last = self.first


@record(eq=False)
class TransitionRecord:
    """One transition of one patch, from klp_init_transition() to complete or cancel."""

    number: int              # 1 for the first transition since boot
    patch: str
    target: int              # the target state it started with (reverse flips the current one)
    init_at: int
    end_at: int | None = None
    outcome: str = ""        # "", "complete", "cancelled"
    events: list[Event] = field(default_factory=list)
    tasks: dict[tuple[int, int], TaskTrack] = field(default_factory=dict)  # by (pid, idle's CPU)
    attempts: int = 0
    dropped: int = 0         # runs and events not kept (over MAX_RECORDS)
    _records: int = 0

    @property
    def title(self) -> str:
        return f"transition {self.number}: '{self.patch}' {WORD[self.target]}"

    @property
    def reversed(self) -> bool:
        return any(e.kind == "reverse" for e in self.events)

    def rows(self) -> list[TaskTrack]:
        """The tasks, by pid (the idle tasks, all pid 0, by CPU)."""
        return sorted(self.tasks.values(), key=lambda t: (t.pid, t.cpu))

    def _room(self) -> bool:
        if self._records >= MAX_RECORDS:
            self.dropped += 1
            return False
        self._records += 1
        return True


class TransitionHistory:
    """The transitions of one Kernel's livepatch core, newest last."""

    def __init__(self, now: Callable[[], int]) -> None:
        self._now = now
        self.records: deque[TransitionRecord] = deque(maxlen=KEEP_TRANSITIONS)
        self.count = 0
        self.current: TransitionRecord | None = None

    def __iter__(self) -> Iterator[TransitionRecord]:
        return iter(self.records)

    # --- what transition.py reports ---------------------------------------------------
    def init(self, patch: str, target: int, tasks: list["Task"]) -> None:
        """klp_init_transition(): every task starts in the state opposite to TARGET."""
        self.count += 1
        now = self._now()
        rec = TransitionRecord(self.count, patch, target, now)
        rec.events.append(Event("init", now, text=f"initializing {WORD[target]} transition"))
        self.records.append(rec)
        self.current = rec
        for i, task in enumerate(tasks):
            if i >= MAX_RECORDS:                 # a row per task up to the limit, then counted
                rec.dropped += len(tasks) - i
                break
            rec._records += 1
            self._track(rec, task).states.append((now, task.patch_state, "init"))

    def event(self, kind: str, text: str = "") -> None:
        """A transition-wide step (start, signal, force, reverse, cancel, complete)."""
        rec = self.current
        if rec is None:
            return
        now = self._now()
        if rec._room():
            rec.events.append(Event(kind, now, text=text))
        if kind == "complete":
            rec.end_at = now
            rec.outcome = "cancelled" if any(e.kind == "cancel" for e in rec.events) else "complete"
            self.current = None

    def attempt_failed(self, task: "Task", reporter: str, why: str) -> None:
        """klp_try_switch_task() could not switch TASK, for WHY."""
        rec = self.current
        if rec is None:
            return
        now = self._now()
        track = self._track(rec, task)
        runs = track.blocked
        if runs and runs[-1].why == why and runs[-1].reporter == reporter:
            run = runs[-1]
            run.last, run.count = now, run.count + 1
        elif rec._room():
            runs.append(Blocked(now, now, 1, reporter, why))

    def switched(self, task: "Task", state: int, how: str) -> None:
        """TASK took STATE: at an attempt, on its way to user space, in the idle loop, forced."""
        rec = self.current
        if rec is None:
            return
        if rec._records >= MAX_RECORDS and (task.pid, -1) not in rec.tasks:
            rec.dropped += 1                     # no room for a new row either
            return
        track = self._track(rec, task)
        if track.states and track.states[-1][1] == state:
            return
        if rec._room():
            track.states.append((self._now(), state, how))

    def switched_many(self, tasks: list["Task"], state: int, how: str) -> None:
        """TASKS (no idle task among them) took STATE at once; past MAX_RECORDS only counted."""
        rec = self.current
        if rec is None or not tasks:
            return
        now, rows = self._now(), rec.tasks
        for i, task in enumerate(tasks):
            if rec._records >= MAX_RECORDS:
                rec.dropped += len(tasks) - i
                return
            track = rows.get((task.pid, -1))
            if track is None:
                track = self._track(rec, task)
            if not track.states or track.states[-1][1] != state:
                rec._records += 1
                track.states.append((now, state, how))

    def attempted(self, pending: int) -> None:
        """klp_try_complete_transition() ran once; PENDING tasks are left to switch."""
        rec = self.current
        if rec is None:
            return
        rec.attempts += 1
        now = self._now()
        last = rec.events[-1] if rec.events else None
        if last is not None and last.kind == "attempt" and last.pending == pending:
            last.last, last.count = now, last.count + 1
        elif rec._room():
            rec.events.append(Event("attempt", now, pending=pending))

    # --- lookups ------------------------------------------------------------------------
    def find(self, which: str | None) -> TransitionRecord | None:
        """The last transition; the N-th since boot (`N`); the last of patch NAME."""
        if not self.records:
            return None
        if which is None:
            return self.records[-1]
        if which.isdigit():
            n = int(which)
            return next((r for r in self.records if r.number == n), None)
        want = which.replace("-", "_")
        return next((r for r in reversed(self.records) if r.patch.replace("-", "_") == want), None)

    def _track(self, rec: TransitionRecord, task: "Task") -> TaskTrack:
        key = (task.pid, task.cpu if task.kind == "idle" else -1)    # (a str enum: no .value lookup)
        track = rec.tasks.get(key)
        if track is None:
            track = TaskTrack(task.pid, task.proc_comm, _KIND_NAMES[task.kind], task.cpu)
            rec.tasks[key] = track
        return track
