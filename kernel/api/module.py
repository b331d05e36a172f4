"""linux/module.h: module references taken by code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import kapi

if TYPE_CHECKING:
    from kernel.machine import Kernel


@kapi()
def try_module_get(k: "Kernel", mod: int) -> int:
    m = k.module_by_struct(mod)
    return 1 if m is None else int(k.loader.try_module_get(m))


@kapi()
def module_put(k: "Kernel", mod: int) -> None:
    m = k.module_by_struct(mod)
    if m is not None:
        k.loader.module_put(m)


@kapi("__module_get")
def module_get(k: "Kernel", mod: int) -> None:
    m = k.module_by_struct(mod)
    if m is not None:
        m.refs += 1


@kapi()
def module_refcount(k: "Kernel", mod: int) -> int:
    m = k.module_by_struct(mod)
    return 0 if m is None else m.refcnt
