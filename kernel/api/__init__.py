"""Kernel functions implemented in Python and exported to guest code, one file per header.

Each is registered with @kapi; the machine gives each a stub slot at boot. The first
parameter is the Kernel; the rest are the raw 64-bit argument registers, in order.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from typing import Any, Callable

_MODULES = ("printk", "slab", "sched", "timer", "workqueue", "locking", "kthread", "seq_file",
            "module", "misc", "livepatch", "shadow", "wait", "params", "timekeeping", "random", "rcu", "kallsyms", "uaccess", "fs", "proc_fs",
            "char_dev", "device", "miscdevice",
            "signal", "pid", "semaphore", "hrtimer", "idr", "percpu", "page_alloc", "kmod", "kobject",
            "task", "d_path", "page", "debugfs")


@dataclass(frozen=True)
class KApi:
    name: str
    func: Callable[..., Any]
    nargs: int
    variadic: bool


_REGISTRY: dict[str, KApi] = {}


def nparams(func: Callable[..., Any]) -> int:
    """How many parameters FUNC has, as len(inspect.signature(func).parameters) counts them,
    read from its code object (inspect.signature() of 300 functions was ~15 ms of every start)."""
    f = func
    while hasattr(f, "__wrapped__"):
        f = f.__wrapped__  # type: ignore[attr-defined]
    code = getattr(f, "__code__", None)
    if code is None or not isinstance(f, type(nparams)):
        return len(inspect.signature(func).parameters)
    return (code.co_argcount + code.co_kwonlyargcount
            + bool(code.co_flags & inspect.CO_VARARGS) + bool(code.co_flags & inspect.CO_VARKEYWORDS))


def kapi(name: str | None = None, variadic: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Export FUNC to guest code under NAME (default: the Python name)."""
    def deco(func: Callable[..., Any]) -> Callable[..., Any]:
        n = nparams(func) - 1 - (1 if variadic else 0)
        api = KApi(name or func.__name__, func, n, variadic)
        _REGISTRY[api.name] = api
        return func
    return deco


def all_apis() -> dict[str, KApi]:
    """Every exported Python function (imports the api modules on first use)."""
    for mod in _MODULES:
        importlib.import_module(f"kernel.api.{mod}")
    return _REGISTRY


def s32(v: int) -> int:
    v &= 0xFFFF_FFFF
    return v - (1 << 32) if v >> 31 else v


def s64(v: int) -> int:
    v &= (1 << 64) - 1
    return v - (1 << 64) if v >> 63 else v


def errret(e: int) -> int:
    """A negative errno as the guest's long/int return value."""
    return -abs(int(e))
