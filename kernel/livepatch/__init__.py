"""The livepatch core (kernel/livepatch/*.c of 4.19): core, transition, patch, shadow.

This package's own module holds what every kernel has from boot on: the livepatch state of a
Kernel, klp_init() and the per-task hooks the scheduler and the way to user space call
(linux/livepatch.h klp_copy_process(), klp_update_patch_state()). The patch life cycle
(core.py), transitions (transition.py) and patching (patch.py) are imported with their first
use: a patch being registered or enabled, a module coming or going, a task pending.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel import abi
from kernel.abi import KLP_UNDEFINED
from kernel.livepatch.history import TransitionHistory
from kernel.printk import Logger
from kernel.sched import Task
from kernel.wait import WaitQueue

if TYPE_CHECKING:
    from kernel.fs import Dir
    from kernel.livepatch.core import KlpPatch
    from kernel.livepatch.patch import KlpOps
    from kernel.machine import Kernel

__all__ = ["Livepatch", "KMutex"]


class KMutex:
    """klp_mutex: a sleeping lock among tasks (only one host thread runs at a time)."""

    def __init__(self, k: "Kernel") -> None:
        self.k, self.owner, self.depth, self.wq = k, None, 0, WaitQueue()

    def __enter__(self) -> "KMutex":
        me = self.k.sched.current
        if self.owner is not me:
            self.wq.wait_event(self.k, lambda: self.owner is None)
            self.owner = me
        self.depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        self.depth -= 1
        if self.depth == 0:
            self.owner = None
            self.wq.wake_up(self.k)


class Livepatch:
    """The livepatch state of one Kernel; each field is owned by the file named beside it."""

    def __init__(self, k: "Kernel") -> None:
        self.k = k
        self.profile = k.profile.livepatch                  # what this kernel's livepatch does
        self.patch_struct = getattr(abi, self.profile.patch_struct)
        self.object_struct = getattr(abi, self.profile.object_struct)
        self.func_struct = getattr(abi, self.profile.func_struct)
        self.log = Logger(k.printk, "livepatch: ", "kernel/livepatch/core.c", "livepatch")
        self.mutex = KMutex(k)                              # core.c klp_mutex
        self.patches: list[KlpPatch] = []                   # core.c klp_patches
        self.transition_patch: KlpPatch | None = None       # transition.c
        self.target_state = KLP_UNDEFINED                   # transition.c
        self.forced = False                                 # transition.c klp_forced (4.19)
        self.signals_cnt = 0                                # transition.c klp_signals_cnt (5.4)
        self.ops: dict[int, KlpOps] = {}                    # patch.c klp_ops
        self.shadows: dict[tuple[int, int], int] = {}       # shadow.c klp_shadow_hash
        self.transition_work = None
        self.sysfs: Dir | None = None
        clock = k.clock                         # (over the clock: nothing to cut at power off)
        self.history = TransitionHistory(lambda: clock.now)  # klpsh: for `timeline`
        # What the document's runs had enabled: every livepatch pr_debug but the per-task one.
        k.printk.dyndbg.rules.extend([("module", "livepatch", True),
                                      ("func", "klp_try_switch_task", False)])

    def klp_init(self) -> None:
        """klp_init() (core.c): /sys/kernel/livepatch, and klp_transition_work (transition.c)."""
        self.sysfs = self.k.vfs.root.mkdir("sys/kernel/livepatch")
        self.transition_work = self.k.wq.host_work("klp_transition_work", self._transition_work)

    def _transition_work(self) -> None:
        # (a plain import: a from-import of a module probes it for __path__, an AttributeError)
        import kernel.livepatch.transition as tr
        tr.klp_transition_work_fn(self)

    # --- per-task hooks (transition.c) -----------------------------------------------
    def copy_process(self, child: Task, parent: Task | None) -> None:
        """klp_copy_process(): a new task inherits its parent's patch state."""
        if parent is not None:
            child.patch_state = parent.patch_state
            child.patch_pending = parent.patch_pending
        elif self.transition_patch is not None:
            child.patch_state = self.target_state
        else:
            child.patch_state = KLP_UNDEFINED
        if self.transition_patch is not None:
            self.history.switched(child, child.patch_state, "forked")

    def klp_update_patch_state(self, task: Task) -> None:
        """klp_update_patch_state(): only a pending task has a state to adopt, and only a
        transition (transition.py, imported by then) leaves one pending."""
        if task.patch_pending:
            import kernel.livepatch.transition as tr
            tr.klp_update_patch_state(self, task)

    def exit_to_usermode(self, task: Task) -> None:
        if task.patch_pending:
            self.klp_update_patch_state(task)
        task.sigpending = False
