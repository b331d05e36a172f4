"""linux/printk.h, linux/kernel.h: printk and the sprintf family, variadic and va_list forms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import kapi, s64
from kernel.api.vsprintf import NextArg, VaList, vsnprintf, vsscanf
from kernel.cpu import VarArgs

if TYPE_CHECKING:
    from kernel.machine import Kernel

INT_MAX = (1 << 31) - 1
FMT_MAX = 1 << 16
# vprintk_store() formats into char textbuf[LOG_LINE_MAX] (1024 - 32) with vscnprintf()
LOG_LINE_MAX = 1024 - 32
# what sits between format_decode()'s WARN and the guest's printk() call
_PRINTK_FRAMES = ("vscnprintf", "vprintk_store", "vprintk_emit", "vprintk_default", "vprintk_func")


def _format(k: "Kernel", fmt: int, next_arg: NextArg, frames: tuple[str, ...] = ()) -> str:
    return vsnprintf(k, k.mem.cstr(fmt, FMT_MAX), next_arg, frames)


def _printk(k: "Kernel", fmt: int, next_arg: NextArg, frames: tuple[str, ...]) -> int:
    pk = k.printk
    try:
        text = pk.safe_context(lambda: _format(k, fmt, next_arg, frames))[:LOG_LINE_MAX - 1]
        pk.printk(text)
    finally:
        pk.flush_deferred()
    return len(text)


@kapi(variadic=True)
def printk(k: "Kernel", fmt: int, va: VarArgs) -> int:
    return _printk(k, fmt, va.next, _PRINTK_FRAMES)


@kapi()
def vprintk(k: "Kernel", fmt: int, args: int) -> int:
    return _printk(k, fmt, VaList(k.mem, args).next, _PRINTK_FRAMES[1:])


def _encoded(text: str) -> bytes:
    return text.encode("latin-1", "replace")


def _store(k: "Kernel", buf: int, size: int, data: bytes) -> int:
    """Write DATA truncated to SIZE-1 bytes plus NUL; returns the bytes written."""
    if size > 0:
        n = min(len(data), size - 1)
        k.mem.write(buf, data[:n] + b"\0")
        return n
    return 0


def _snprintf(k: "Kernel", buf: int, size: int, fmt: int, next_arg: NextArg) -> int:
    data = _encoded(_format(k, fmt, next_arg))
    _store(k, buf, s64(size), data)
    return len(data)


def _scnprintf(k: "Kernel", buf: int, size: int, fmt: int, next_arg: NextArg) -> int:
    return _store(k, buf, s64(size), _encoded(_format(k, fmt, next_arg)))


@kapi(variadic=True)
def snprintf(k: "Kernel", buf: int, size: int, fmt: int, va: VarArgs) -> int:
    return _snprintf(k, buf, size, fmt, va.next)


@kapi("vsnprintf")
def vsnprintf_(k: "Kernel", buf: int, size: int, fmt: int, args: int) -> int:
    return _snprintf(k, buf, size, fmt, VaList(k.mem, args).next)


@kapi(variadic=True)
def scnprintf(k: "Kernel", buf: int, size: int, fmt: int, va: VarArgs) -> int:
    return _scnprintf(k, buf, size, fmt, va.next)


@kapi()
def vscnprintf(k: "Kernel", buf: int, size: int, fmt: int, args: int) -> int:
    return _scnprintf(k, buf, size, fmt, VaList(k.mem, args).next)


@kapi(variadic=True)
def sprintf(k: "Kernel", buf: int, fmt: int, va: VarArgs) -> int:
    return _snprintf(k, buf, INT_MAX, fmt, va.next)


@kapi()
def vsprintf(k: "Kernel", buf: int, fmt: int, args: int) -> int:
    return _snprintf(k, buf, INT_MAX, fmt, VaList(k.mem, args).next)


def _kasprintf(k: "Kernel", fmt: int, next_arg: NextArg) -> int:
    data = _encoded(_format(k, fmt, next_arg))
    ptr = k.slab.kmalloc(len(data) + 1)
    if ptr:
        k.mem.write(ptr, data + b"\0")
    return ptr


@kapi(variadic=True)
def kasprintf(k: "Kernel", gfp: int, fmt: int, va: VarArgs) -> int:
    return _kasprintf(k, fmt, va.next)


@kapi()
def kvasprintf(k: "Kernel", gfp: int, fmt: int, args: int) -> int:
    return _kasprintf(k, fmt, VaList(k.mem, args).next)


def _input(k: "Kernel", buf: int) -> str:
    return k.mem.cstr(buf, FMT_MAX)


@kapi(variadic=True)
def sscanf(k: "Kernel", buf: int, fmt: int, va: VarArgs) -> int:
    return vsscanf(k, _input(k, buf), k.mem.cstr(fmt, FMT_MAX), va.next)


@kapi("vsscanf")
def vsscanf_(k: "Kernel", buf: int, fmt: int, args: int) -> int:
    return vsscanf(k, _input(k, buf), k.mem.cstr(fmt, FMT_MAX), VaList(k.mem, args).next)
