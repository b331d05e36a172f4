"""linux/seq_file.h: output of /proc show functions, buffered host-side per seq_file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import kapi
from kernel.api.vsprintf import vsnprintf
from kernel.cpu import VarArgs

if TYPE_CHECKING:
    from kernel.machine import Kernel


def _append(k: "Kernel", m: int, text: str) -> None:
    k.seq_bufs.setdefault(m, []).append(text)


@kapi(variadic=True)
def seq_printf(k: "Kernel", m: int, fmt: int, va: VarArgs) -> None:
    _append(k, m, vsnprintf(k, k.mem.cstr(fmt), va.next))


@kapi()
def seq_puts(k: "Kernel", m: int, s: int) -> None:
    _append(k, m, k.mem.cstr(s, 1 << 20))


@kapi()
def seq_putc(k: "Kernel", m: int, c: int) -> None:
    _append(k, m, chr(c & 0xFF))


@kapi()
def seq_write(k: "Kernel", m: int, data: int, length: int) -> int:
    _append(k, m, k.mem.read(data, length).decode("latin-1"))
    return 0
