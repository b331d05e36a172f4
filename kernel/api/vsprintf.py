"""vsnprintf(): the kernel's printf format language over guest arguments (lib/vsprintf.c)."""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from kernel.machine import Kernel

_SPEC = re.compile(r"%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?(hh|h|ll|l|z|t|j|L|q)?([diouxXcspn%])")
_BITS = {"hh": 8, "h": 16, None: 32, "l": 64, "ll": 64, "z": 64, "t": 64, "j": 64, "L": 64, "q": 64}


def _ptr_hash(k: "Kernel", v: int) -> int:
    """%p prints a per-boot hash of the pointer, 32 bits wide (lib/vsprintf.c ptr_to_id)."""
    digest = hashlib.blake2b(v.to_bytes(8, "little"), key=k.ptr_key, digest_size=4).digest()
    return int.from_bytes(digest, "little")


def _pad(s: str, flags: str, width: int, numeric: bool = False) -> str:
    if width <= len(s):
        return s
    if "-" in flags:
        return s.ljust(width)
    if "0" in flags and numeric:
        sign = s[0] if s[:1] in "+- " and s else ""
        body = s[len(sign):]
        if body[:2] in ("0x", "0X"):
            return sign + body[:2] + body[2:].rjust(width - len(sign) - 2, "0")
        return sign + body.rjust(width - len(sign), "0")
    return s.rjust(width)


def vsnprintf(k: "Kernel", fmt: str, next_arg: Callable[[], int]) -> str:
    """Format FMT, pulling each argument (a raw 64-bit value) from NEXT_ARG."""
    mem = k.mem
    out: list[str] = []
    pos = 0
    while True:
        m = _SPEC.search(fmt, pos)
        if m is None:
            out.append(fmt[pos:])
            break
        out.append(fmt[pos:m.start()])
        pos = m.end()
        flags, width_s, prec_s, length, conv = m.groups()
        if conv == "%":
            out.append("%")
            continue
        width = 0
        if width_s == "*":
            width = int.from_bytes((next_arg() & 0xFFFFFFFF).to_bytes(4, "little"), "little", signed=True)
            if width < 0:
                flags += "-"
                width = -width
        elif width_s:
            width = int(width_s)
        prec = None
        if prec_s == "*":
            prec = max(int.from_bytes((next_arg() & 0xFFFFFFFF).to_bytes(4, "little"), "little", signed=True), 0)
        elif prec_s is not None:
            prec = int(prec_s or "0")
        if conv == "p":
            ext = ""
            while pos < len(fmt) and fmt[pos].isalnum():
                ext += fmt[pos]
                pos += 1
            v = next_arg()
            if v == 0 and ext[:1] not in ("K", "x"):
                # pointer(): NULL is "(null)", as wide as a pointer unless a width is given
                out.append(_pad("(null)", flags, width if width_s is not None else 16))
                continue
            out.append(_pad(_pointer(k, ext, v), flags, width))
            continue
        v = next_arg()
        if conv == "s":
            if v < 4096:        # 4.19 string(): anything in the first page is "(null)"
                s = "(null)"
            elif not mem.valid(v):
                s = "(efault)"
            else:
                s = mem.cstr(v, prec if prec is not None else 1 << 20)
            if prec is not None:
                s = s[:prec]
            out.append(_pad(s, flags, width))
            continue
        if conv == "c":
            out.append(_pad(chr(v & 0xFF), flags, width))
            continue
        if conv == "n":
            continue
        bits = _BITS[length]
        v &= (1 << bits) - 1
        if conv in "di":
            if v >> (bits - 1):
                v -= 1 << bits
            s = str(abs(v))
            if prec is not None:
                s = s.rjust(prec, "0")
            s = ("-" if v < 0 else "+" if "+" in flags else " " if " " in flags else "") + s
        else:
            base = {"o": "o", "u": "d", "x": "x", "X": "X"}[conv]
            s = format(v, base)
            if prec is not None:
                s = s.rjust(prec, "0")
            if "#" in flags and v:
                s = {"o": "0", "x": "0x", "X": "0X"}.get(conv, "") + s
        out.append(_pad(s, flags, width, numeric=prec is None))
    return "".join(out)


def _pointer(k: "Kernel", ext: str, v: int) -> str:
    """%p and its extensions: S/s/B/F/f symbols, x raw, K restricted (zeros)."""
    kind = ext[:1]
    if kind in ("S", "s", "B", "F", "f"):
        if kind in ("s", "f"):
            sym = k.kallsyms.lookup(v)
            return sym.name if sym else f"0x{v:x}"
        return k.kallsyms.sprint_symbol(v)
    if kind == "x":
        return f"{v:016x}"
    if kind == "K":
        return "0" * 16
    if v == 0:
        return "(null)"
    return f"{_ptr_hash(k, v):016x}"
