"""linux/printk.h, linux/kernel.h: printk and the sprintf family."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import kapi, s64
from kernel.api.vsprintf import vsnprintf
from kernel.cpu import VarArgs

if TYPE_CHECKING:
    from kernel.machine import Kernel


def _format(k: "Kernel", fmt: int, va: VarArgs) -> str:
    return vsnprintf(k, k.mem.cstr(fmt), va.next)


@kapi(variadic=True)
def printk(k: "Kernel", fmt: int, va: VarArgs) -> int:
    text = _format(k, fmt, va)
    k.printk.printk(text)
    return len(text)


def _store(k: "Kernel", buf: int, size: int, text: str) -> int:
    """Write TEXT truncated to SIZE-1 bytes plus NUL; returns the bytes written."""
    data = text.encode("latin-1", "replace")
    if size > 0:
        n = min(len(data), size - 1)
        k.mem.write(buf, data[:n] + b"\0")
        return n
    return 0


@kapi(variadic=True)
def snprintf(k: "Kernel", buf: int, size: int, fmt: int, va: VarArgs) -> int:
    text = _format(k, fmt, va)
    _store(k, buf, s64(size), text)
    return len(text.encode("latin-1", "replace"))


@kapi(variadic=True)
def scnprintf(k: "Kernel", buf: int, size: int, fmt: int, va: VarArgs) -> int:
    return _store(k, buf, s64(size), _format(k, fmt, va))


@kapi(variadic=True)
def sprintf(k: "Kernel", buf: int, fmt: int, va: VarArgs) -> int:
    text = _format(k, fmt, va)
    k.mem.put_cstr(buf, text)
    return len(text)


@kapi(variadic=True)
def kasprintf(k: "Kernel", gfp: int, fmt: int, va: VarArgs) -> int:
    text = _format(k, fmt, va)
    ptr = k.slab.kmalloc(len(text) + 1)
    k.mem.put_cstr(ptr, text)
    return ptr
