"""Kernel functions implemented in Python and exported to guest code, one file per header.

Each is registered with @kapi; the machine gives each a stub slot at boot. The first
parameter is the Kernel; the rest are the raw 64-bit argument registers, in order.

Which functions there are, and in which order their slots come, is the table of
kernel/api/exports.py (what the @kapi registrations say, written by `python -m kernel.api`;
tests/test_startup.py holds the two equal): a boot links against the table, and a function's
module is imported on its first call, so a start compiles and runs only what its guest code
calls.
"""

from __future__ import annotations

import importlib
import inspect
from functools import cache
from itertools import repeat
from typing import Any, Callable

from kernel.record import RecordTuple

_MODULES = ("printk", "slab", "sched", "timer", "workqueue", "locking", "kthread", "seq_file",
            "module", "misc", "livepatch", "shadow", "wait", "params", "timekeeping", "random", "rcu", "kallsyms", "uaccess", "fs", "proc_fs",
            "char_dev", "device", "miscdevice",
            "signal", "pid", "semaphore", "hrtimer", "idr", "percpu", "page_alloc", "kmod", "kobject",
            "task", "d_path", "page", "debugfs", "interrupt", "read_write", "poll", "platform", "string_helpers", "smp", "radix_tree", "tty", "kprobes")


class Impl:
    """What a stub calls: the function NAME of kernel.api.MODULE, whose module is imported on
    the first call (or given, FUNC). Equal to another Impl of the same function."""

    __slots__ = ("name", "module", "_func")

    def __init__(self, name: str, module: str, func: Callable[..., Any] | None = None) -> None:
        self.name, self.module, self._func = name, module, func

    def resolve(self) -> Callable[..., Any]:
        """The Python function itself."""
        func = self._func
        if func is None:
            importlib.import_module(f"kernel.api.{self.module}")
            func = self._func = _IMPLS[self.name]
        return func

    def __call__(self, *args: Any) -> Any:
        func = self._func
        return (func if func is not None else self.resolve())(*args)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Impl) and (self.name, self.module) == (other.name, other.module)

    def __hash__(self) -> int:
        return hash((self.name, self.module))

    def __repr__(self) -> str:
        return f"<kernel function {self.name} of kernel.api.{self.module}>"


class KApi(RecordTuple):
    """One exported kernel function: its name, defining module, arity and how to call it."""

    name: str
    module: str                  # kernel.api.<module> defines it
    nargs: int
    variadic: bool
    call: Impl                   # equal where name and module are

    @property
    def func(self) -> Callable[..., Any]:
        """The Python function (its module imported on first use)."""
        return self.call.resolve()


_IMPLS: dict[str, Callable[..., Any]] = {}      # what @kapi registered: name -> function
_VARIADIC: set[str] = set()                     # ... of which variadic (the table entry is made
                                                # by declared_apis(), not at every import)


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
        api_name = name or func.__name__
        _IMPLS[api_name] = func
        if variadic:
            _VARIADIC.add(api_name)
        return func
    return deco


def export_rows(text: str | None = None) -> list[tuple[str, str, int, bool]]:
    """The rows of kernel/api/exports.py's TABLE (or TEXT): (name, module, nargs, variadic);
    a line is `name module nargs`, with `variadic` after for a variadic function. (One string
    to split, not ~500 tuples to compile: every start that compiles its modules reads it.)"""
    return list(zip(*export_columns(text)))


def export_columns(text: str | None = None) -> tuple[tuple, tuple, tuple, tuple]:
    """export_rows() as its columns: names, modules, nargs, variadic (read a column at a
    time: the ~600 rows one at a time cost ~5 us each of a process's first boot)."""
    if text is None:
        from kernel.api.exports import TABLE
        text = TABLE
    if not text:
        return (), (), (), ()
    if not text.endswith("\n"):
        text += "\n"
    plain = text.replace(" variadic\n", "\n")     # every row `name module nargs`
    nrows = plain.count("\n")
    cells = plain.split()
    if len(plain.split(" ")) != 2 * nrows + 1 or len(cells) != 3 * nrows:
        return _export_columns_slowly(list(map(str.split, text.splitlines())))
    # (each row has two single spaces and no other blank: its three words are cells in turn)
    names, modules = tuple(cells[0::3]), tuple(cells[1::3])
    ends = text.split(" variadic\n")[:-1]          # each ends with a variadic row but its `variadic`
    variadic = tuple(map({part.rpartition("\n")[2].partition(" ")[0] for part in ends}.__contains__,
                         names))
    nargs = tuple(map(_ARITY.get, cells[2::3]))     # (int() of each cost 1 us)
    if sum(variadic) != len(ends) or None in nargs:  # a name given twice, an arity of 10 or more
        return _export_columns_slowly(list(map(str.split, text.splitlines())))
    return names, modules, nargs, variadic


_ARITY = {str(n): n for n in range(10)}


def _export_columns_slowly(rows: list[list[str]]) -> tuple[tuple, tuple, tuple, tuple]:
    """export_columns() of ROWS (each line's words) a row at a time, as a text of another
    shape needs (with its error, if a row is not one)."""
    out = []
    for name, module, nargs, *rest in rows:
        out.append((name, module, int(nargs), rest == ["variadic"]))
    return tuple(zip(*out)) if out else ((), (), (), ())  # type: ignore[return-value]


@cache
def all_apis() -> dict[str, KApi]:
    """Every exported Python function, as kernel/api/exports.py lists them (no api module is
    imported: each is, when one of its functions is first called)."""
    names, modules, nargs, variadic = export_columns()
    apis = map(tuple.__new__, repeat(KApi), zip(names, modules, nargs, variadic,
                                                 map(Impl, names, modules)))
    return dict(zip(names, apis))


@cache
def exported_apis(absent: frozenset[str] = frozenset()) -> tuple[KApi, ...]:
    """all_apis() in table order but for ABSENT (what a kernel profile does not export)."""
    apis = all_apis()
    if not any(map(apis.__contains__, absent)):       # (no name to leave out: one copy)
        return tuple(apis.values())
    return tuple(api for name, api in apis.items() if name not in absent)


def declared_apis() -> dict[str, KApi]:
    """Every @kapi registration, all the api modules imported (what the table must say), in
    registration order."""
    for mod in _MODULES:
        importlib.import_module(f"kernel.api.{mod}")
    declared = {}
    for api_name, func in _IMPLS.items():
        variadic = api_name in _VARIADIC
        module = func.__module__.removeprefix("kernel.api.")
        declared[api_name] = KApi(api_name, module, nparams(func) - 1 - variadic, variadic,
                                  Impl(api_name, module, func))
    return declared


def s32(v: int) -> int:
    v &= 0xFFFF_FFFF
    return v - (1 << 32) if v >> 31 else v


def s64(v: int) -> int:
    v &= (1 << 64) - 1
    return v - (1 << 64) if v >> 63 else v


def errret(e: int) -> int:
    """A negative errno as the guest's long/int return value."""
    return -abs(int(e))
