"""linux/kmod.h: user-space helpers (kernel/umh.c, kernel/kmod.c).  The machine runs no user
programs, so each helper fails as exec of a missing file does: -ENOENT."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import errret, kapi
from kernel.cpu import VarArgs
from kernel.errno import Errno

if TYPE_CHECKING:
    from kernel.machine import Kernel


@kapi()
def call_usermodehelper(k: "Kernel", path: int, argv: int, envp: int, wait: int) -> int:
    return errret(Errno.ENOENT)


@kapi("__request_module", variadic=True)
def request_module(k: "Kernel", wait: int, fmt: int, va: VarArgs) -> int:
    return errret(Errno.ENOENT)
