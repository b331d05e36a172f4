"""The per-task consistency model (kernel/livepatch/transition.c; 4.19 and 5.4 as the
kernel profile's livepatch part says: automatic signals, freeing, atomic replace)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel import cost
from kernel.abi import HZ, KLP_PATCHED, KLP_UNDEFINED, KLP_UNPATCHED
from kernel.bug import WarnSite
from kernel.livepatch import core
from kernel.livepatch.patch import klp_unpatch_objects
from kernel.record import RecordTuple
from kernel.sched import Task, TaskKind, TaskState
from kernel.time import round_jiffies_common
from kernel.wait import wake_up_state

if TYPE_CHECKING:
    from kernel.livepatch import Livepatch
    from kernel.livepatch.core import KlpPatch

__all__ = ["klp_init_transition", "klp_start_transition", "klp_try_complete_transition",
           "klp_complete_transition", "klp_cancel_transition", "klp_reverse_transition",
           "klp_update_patch_state", "klp_send_signals", "klp_force_transition",
           "klp_transition_work_fn", "klp_transition_status", "TransitionStatus"]

# kernel/livepatch/transition.c's WARN_ON_ONCE()s (4.19)
WARN_COMPLETE_PENDING = WarnSite("kernel/livepatch/transition.c", 116, "klp_complete_transition", once=True)
WARN_COMPLETE_IDLE_PENDING = WarnSite("kernel/livepatch/transition.c", 123, "klp_complete_transition",
                                      once=True)      # an idle task's TIF_PATCH_PENDING
WARN_CANCEL_STATE = WarnSite("kernel/livepatch/transition.c", 158, "klp_cancel_transition", once=True)
WARN_TRY_COMPLETE_STATE = WarnSite("kernel/livepatch/transition.c", 364, "klp_try_complete_transition",
                                   once=True)
WARN_INIT_STATE = WarnSite("kernel/livepatch/transition.c", 464, "klp_init_transition", once=True)
MAX_STACK_ENTRIES = 100                # kernel/livepatch/transition.c: klp_check_stack()'s buffer
_WORD = {KLP_PATCHED: "patching", KLP_UNPATCHED: "unpatching"}


def _all_tasks(lp: "Livepatch") -> list[Task]:
    return lp.k.sched.all_tasks() + lp.k.sched.idle


def klp_update_patch_state(lp: "Livepatch", task: Task, how: str = "") -> None:
    """On the way to user space and in the idle loop: adopt the target state if pending.

    HOW names the occasion for the history (default: the idle loop or the way to user space).
    """
    if task.patch_pending:
        task.patch_pending = False
        task.patch_state = lp.target_state
        lp.history.switched(task, task.patch_state,
                            how or ("idle loop" if task.kind is TaskKind.IDLE else "exit to user space"))


def klp_init_transition(lp: "Livepatch", patch: "KlpPatch", state: int) -> None:
    if lp.target_state != KLP_UNDEFINED:
        lp.k.warn_at(WARN_INIT_STATE)
    lp.transition_patch = patch
    lp.target_state = state
    lp.log.debug("klp_init_transition", f"'{patch.name}': initializing {_WORD[state]} transition")
    initial = KLP_UNPATCHED if state == KLP_PATCHED else KLP_PATCHED
    tasks = _all_tasks(lp)
    cost.spend(lp.k, "task", len(tasks))
    for task in tasks:
        task.patch_state = initial
    lp.history.init(patch.name, state, tasks)
    for obj in patch.objs:
        for func in obj.funcs:
            func.transition = True


def klp_start_transition(lp: "Livepatch") -> None:
    patch = lp.transition_patch
    assert patch is not None
    lp.log.notice(f"'{patch.name}': starting {_WORD[lp.target_state]} transition")
    pending = 0
    tasks = _all_tasks(lp)
    cost.spend(lp.k, "task", len(tasks))
    for task in tasks:
        if task.patch_state != lp.target_state:
            task.patch_pending = True
            pending += 1
    lp.history.event("start", f"starting {_WORD[lp.target_state]} transition, {pending} tasks pending")
    lp.signals_cnt = 0


def _task_running(lp: "Livepatch", task: Task, on_cpu: frozenset[Task]) -> bool:
    """task_running(): on a CPU right now (not merely runnable); ON_CPU is Scheduler.on_cpu(),
    taken once an attempt (nothing runs while the attempt looks at the tasks)."""
    k = lp.k
    if task is k.sched.current:
        return True
    if task.kind is TaskKind.IDLE:
        return k.cpu_idle(task.cpu)
    return task in on_cpu


def _relevant_ranges(lp: "Livepatch") -> list[tuple[int, int, str]]:
    """[start, end) of every function a switching task must not be sleeping in."""
    patch = lp.transition_patch
    assert patch is not None
    out = []
    for obj in patch.objs:
        if not obj.patched:
            continue
        for func in obj.funcs:
            if lp.target_state == KLP_UNPATCHED:
                out.append((func.new_func, func.new_func + func.new_size, func.old_name))
                continue
            ops = lp.ops.get(func.old_addr)
            if ops is None or len(ops.func_stack) <= 1 or ops.func_stack[0] is not func:
                out.append((func.old_addr, func.old_addr + func.old_size, func.old_name))
            else:
                prev = ops.func_stack[1]
                out.append((prev.new_func, prev.new_func + prev.new_size, func.old_name))
    return out


def _switch_blocker(lp: "Livepatch", task: Task, ranges: list[tuple[int, int, str]],
                    on_cpu: frozenset[Task]) -> tuple[str, str] | None:
    """Why TASK can't switch now: (the kernel function that reports it, what holds it), or None."""
    if _task_running(lp, task, on_cpu) and task is not lp.k.sched.current:
        return "klp_try_switch_task", "is running"
    if task.ctx.frames or task.host_stack:
        trace = lp.k.cpu.stack_trace(task)
        if trace is None or len(trace) > MAX_STACK_ENTRIES:
            # save_stack_trace_tsk_reliable() fails on a trace longer than its buffer
            return "klp_check_stack", "has an unreliable stack"
        for start, end, name in ranges:
            if any(start <= a < end for a in trace):
                return "klp_check_stack", f"is sleeping on function {name}"
    return None


def klp_try_switch_task(lp: "Livepatch", task: Task, ranges: list[tuple[int, int, str]],
                        on_cpu: frozenset[Task]) -> bool:
    if task.patch_state == lp.target_state:
        return True
    blocker = _switch_blocker(lp, task, ranges, on_cpu)
    if blocker is not None:
        reporter, why = blocker
        lp.log.debug("klp_try_switch_task", f"{reporter}: {task.comm}:{task.pid} {why}")
        lp.history.attempt_failed(task, reporter, why)
        return False
    task.patch_pending = False
    task.patch_state = lp.target_state
    lp.history.switched(task, task.patch_state, "switch attempt")
    return True


class TransitionStatus(RecordTuple):
    """Where the transition in progress stands (for a status line; the kernel has no such API)."""

    patch: str
    target: str                          # "patching" or "unpatching"
    switched: int
    total: int
    blockers: tuple[tuple[Task, str], ...]  # tasks not yet switched, and why


def klp_transition_status(lp: "Livepatch") -> TransitionStatus | None:
    """The transition's progress, without switching anything; None when there is none."""
    patch = lp.transition_patch
    if patch is None or lp.target_state == KLP_UNDEFINED:
        return None
    ranges = _relevant_ranges(lp)
    tasks = _all_tasks(lp)
    pending = [t for t in tasks if t.patch_state != lp.target_state]
    blockers = []
    on_cpu = frozenset(lp.k.sched.on_cpu())
    for task in pending:
        blocker = _switch_blocker(lp, task, ranges, on_cpu)
        blockers.append((task, blocker[1] if blocker else "switches at the next attempt"))
    return TransitionStatus(patch.name, _WORD[lp.target_state], len(tasks) - len(pending),
                            len(tasks), tuple(blockers))


def klp_try_complete_transition(lp: "Livepatch") -> bool:
    """One attempt to switch every task; on failure retry from a delayed work in ~1 s."""
    if lp.target_state == KLP_UNDEFINED:
        lp.k.warn_at(WARN_TRY_COMPLETE_STATE)
        return False
    k = lp.k
    ranges = _relevant_ranges(lp)
    on_cpu = frozenset(k.sched.on_cpu())
    target, current = lp.target_state, k.sched.current
    pending = 0
    switched: list[Task] = []
    for task in k.sched.all_tasks():
        if task.patch_state == target:
            continue
        if task is not current and not task.ctx.frames and not task.host_stack \
                and task not in on_cpu:
            # klp_try_switch_task() of a task that is neither running nor inside any code:
            # nothing on its stack to check (the common case, kept to a few attribute reads)
            task.patch_pending = False
            task.patch_state = target
            switched.append(task)
        elif not klp_try_switch_task(lp, task, ranges, on_cpu):
            pending += 1
    lp.history.switched_many(switched, target, "switch attempt")
    for idle in k.sched.idle:
        if not klp_try_switch_task(lp, idle, ranges, on_cpu):
            pending += 1
    lp.history.attempted(pending)
    cost.spend(k, "task", len(k.sched.all_tasks()) + len(k.sched.idle))
    if pending:
        timeout = lp.profile.signals_timeout
        if timeout is not None:
            if lp.signals_cnt and not lp.signals_cnt % timeout:
                klp_send_signals(lp)
            lp.signals_cnt += 1
        now = k.clock.jiffies
        delay = round_jiffies_common(now + HZ, 0, now, False) - now
        k.wq.queue_delayed_work(lp.transition_work, delay)
        return False
    patch = lp.transition_patch
    assert patch is not None
    klp_complete_transition(lp)
    if lp.profile.free_on_disable and not patch.enabled:
        # 5.4: the patch is done with; free it from a work item (its sysfs may be the caller)
        core.klp_free_patch_start(lp, patch)
        core.schedule_free_work(lp, patch)
    return True


def klp_complete_transition(lp: "Livepatch") -> None:
    patch = lp.transition_patch
    assert patch is not None
    k = lp.k
    target = lp.target_state
    lp.log.debug("klp_complete_transition", f"'{patch.name}': completing {_WORD[target]} transition")
    if patch.replace and target == KLP_PATCHED:
        core.klp_discard_replaced_patches(lp, patch)
        core.klp_discard_nops(lp, patch)
    if target == KLP_UNPATCHED:
        klp_unpatch_objects(lp, patch)
        cost.spend(k, "synchronize_rcu")
    for obj in patch.objs:
        for func in obj.funcs:
            func.transition = False
    tasks = _all_tasks(lp)
    cost.spend(k, "task", len(tasks))
    for task in tasks:
        if task.patch_pending:
            k.warn_at(WARN_COMPLETE_IDLE_PENDING if task.kind is TaskKind.IDLE else WARN_COMPLETE_PENDING)
            task.patch_pending = False
        task.patch_state = KLP_UNDEFINED
    for obj in patch.objs:
        if not obj.is_loaded():
            continue
        if target == KLP_PATCHED:
            core.post_patch_callback(lp, obj, "klp_complete_transition")
        else:
            core.post_unpatch_callback(lp, obj, "klp_complete_transition")
    lp.log.notice(f"'{patch.name}': {_WORD[target]} complete")
    lp.history.event("complete", f"{_WORD[target]} complete")
    if not lp.profile.free_on_disable and not lp.forced and target == KLP_UNPATCHED:
        k.loader.module_put(patch.mod)   # 4.19; 5.4 puts it when the patch is freed
    lp.target_state = KLP_UNDEFINED
    lp.transition_patch = None


def klp_cancel_transition(lp: "Livepatch") -> None:
    """The enable failed before the transition started: go straight back to unpatched."""
    patch = lp.transition_patch
    assert patch is not None
    if lp.target_state != KLP_PATCHED:
        lp.k.warn_at(WARN_CANCEL_STATE)
        return
    lp.log.debug("klp_cancel_transition", f"'{patch.name}': {lp.profile.cancel_message}")
    lp.history.event("cancel", lp.profile.cancel_message)
    lp.target_state = KLP_UNPATCHED
    klp_complete_transition(lp)


def klp_reverse_transition(lp: "Livepatch") -> None:
    patch = lp.transition_patch
    assert patch is not None
    how = "patching to unpatching" if lp.target_state == KLP_PATCHED else "unpatching to patching"
    lp.log.debug("klp_reverse_transition", f"'{patch.name}': reversing transition from {how}")
    lp.history.event("reverse", f"reversing transition from {how}")
    patch.set_enabled(lp.k, not patch.enabled)
    lp.target_state = KLP_UNPATCHED if lp.target_state == KLP_PATCHED else KLP_PATCHED
    for task in _all_tasks(lp):
        task.patch_pending = False
    klp_start_transition(lp)


def klp_send_signals(lp: "Livepatch") -> None:
    """Fake signals to the tasks still pending: 4.19 on `echo 1 > signal`; 5.4 by itself every
    SIGNALS_TIMEOUT failed attempts, saying so the first time only."""
    if lp.profile.signals_timeout is None or lp.signals_cnt == lp.profile.signals_timeout:
        lp.log.notice("signaling remaining tasks")
    k = lp.k
    signalled = [t for t in k.sched.all_tasks() if t.patch_pending]
    lp.history.event("signal", "signaling remaining tasks: " + ", ".join(
        f"{t.comm}:{t.pid}" for t in signalled))
    for task in signalled:
        if task.is_kthread:
            wake_up_state(k, task, (TaskState.INTERRUPTIBLE,))
        elif task._thread is None:
            klp_update_patch_state(lp, task, "signal")  # wakes, returns to user space, switches
        else:
            task.sigpending = True
            wake_up_state(k, task, (TaskState.INTERRUPTIBLE,))


def klp_force_transition(lp: "Livepatch") -> None:
    lp.log.warn("forcing remaining tasks to the patched state")
    tasks = _all_tasks(lp)
    lp.history.event("force", "forcing remaining tasks: " + ", ".join(
        f"{t.comm}:{t.pid}" for t in tasks if t.patch_pending))
    for task in tasks:
        klp_update_patch_state(lp, task, "force")
    if lp.profile.forced_per_patch:
        for patch in lp.patches:
            patch.forced = True     # 5.4: these modules can never be removed
    else:
        lp.forced = True            # 4.19: no livepatch module can ever be removed


def klp_transition_work_fn(lp: "Livepatch") -> None:
    with lp.mutex:
        if lp.transition_patch is not None:
            klp_try_complete_transition(lp)
