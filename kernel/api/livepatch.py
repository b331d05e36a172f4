"""linux/livepatch.h: the register/enable/disable/unregister API (4.19; 5.4 has only enable) and
klp_patch_pending()."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from kernel.api import errret, kapi
from kernel.errno import KernelError, RawReturn
from kernel.livepatch import core

if TYPE_CHECKING:
    from kernel.machine import Kernel


def _ret(fn: Callable[[], None]) -> int:
    try:
        fn()
        return 0
    except RawReturn as e:
        return e.ret
    except KernelError as e:
        return errret(e.errno)


@kapi()
def klp_register_patch(k: "Kernel", patch: int) -> int:
    return _ret(lambda: core.klp_register_patch(k.livepatch, patch))


@kapi()
def klp_unregister_patch(k: "Kernel", patch: int) -> int:
    return _ret(lambda: core.klp_unregister_patch(k.livepatch, patch))


@kapi()
def klp_enable_patch(k: "Kernel", patch: int) -> int:
    return _ret(lambda: core.klp_enable_patch(k.livepatch, patch))


@kapi()
def klp_disable_patch(k: "Kernel", patch: int) -> int:
    return _ret(lambda: core.klp_disable_patch(k.livepatch, patch))


@kapi()
def klp_patch_pending(k: "Kernel", tsk: int) -> int:
    """TIF_PATCH_PENDING of the task whose task_struct is at TSK (false for no task)."""
    task = k.task_by_struct(tsk)
    return int(task is not None and task.patch_pending)
