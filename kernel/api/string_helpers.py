"""linux/string_helpers.h (lib/string_helpers.c, 4.19): sizes in human units, escaping and
unescaping of strings. The escaping is vsprintf's %pE one (escape_bytes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import kapi
from kernel.api.vsprintf import ESCAPE_HEX, escape_bytes

if TYPE_CHECKING:
    from kernel.machine import Kernel

MASK64 = (1 << 64) - 1
STR_MAX = 1 << 20                   # the longest guest string read
STRING_UNITS_2 = 1
# string_get_size()'s unit names and divisor for STRING_UNITS_10 and STRING_UNITS_2
_UNITS = {0: (("B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"), 1000),
          STRING_UNITS_2: (("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"), 1024)}
_ROUNDING = (500, 50, 5)            # half of the last digit shown, by how many decimals follow
UNESCAPE_SPACE, UNESCAPE_OCTAL, UNESCAPE_HEX, UNESCAPE_SPECIAL = 0x01, 0x02, 0x04, 0x08
_UNESCAPE_SPACE = {ord("n"): 0x0A, ord("r"): 0x0D, ord("t"): 0x09, ord("v"): 0x0B, ord("f"): 0x0C}
_UNESCAPE_SPECIAL = {ord('"'): 0x22, ord("\\"): 0x5C, ord("a"): 0x07, ord("e"): 0x1B}
_QUOTABLE = b"\f\n\r\t\v\a\x1b\\\""  # what kstrdup_quotable() escapes (as \xHH)
_HEX = b"0123456789abcdefABCDEF"
_OCT = b"01234567"


def format_size(size: int, blk_size: int, units: int) -> str:
    """SIZE blocks of BLK_SIZE bytes to three significant figures, as string_get_size() reduces
    and rounds them (any UNITS other than STRING_UNITS_2 taken as powers of ten)."""
    names, div = _UNITS[STRING_UNITS_2 if units == STRING_UNITS_2 else 0]
    size, blk_size = size & MASK64, blk_size & MASK64
    i, remainder, decimals = 0, 0, ""
    if blk_size == 0:
        size = 0
    if size:
        while blk_size >> 32:       # both factors under 32 bits, so their product fits 64
            blk_size //= div
            i += 1
        while size >> 32:
            size //= div
            i += 1
        size *= blk_size
        while size >= div:
            size, remainder = divmod(size, div)
            i += 1
        j, cap = 0, size
        while cap * 10 < 1000:      # the decimals needed for three significant figures
            cap *= 10
            j += 1
        if div == 1024:             # the remainder as thousandths
            remainder = remainder * 1000 >> 10
        remainder += _ROUNDING[j]
        if remainder >= 1000:
            remainder -= 1000
            size += 1
        if j:
            decimals = f".{remainder:03d}"[:j + 1]
    unit = names[i] if i < len(names) else "UNK"
    return f"{size & 0xFFFF_FFFF}{decimals} {unit}"


def _put(k: "Kernel", buf: int, length: int, text: bytes) -> None:
    """snprintf(BUF, LEN, "%s", TEXT): at most LEN - 1 bytes and a NUL; nothing for LEN <= 0."""
    if length > 0 and buf:
        k.mem.write(buf, text[:length - 1] + b"\0")


@kapi()
def string_get_size(k: "Kernel", size: int, blk_size: int, units: int, buf: int, length: int) -> None:
    """SIZE * BLK_SIZE bytes as "118 MiB" / "1.23 GB" into BUF (LEN bytes, NUL-terminated)."""
    text = format_size(size, blk_size, units & 0xFFFF_FFFF).encode()
    length &= 0xFFFF_FFFF
    _put(k, buf, length - (1 << 32) if length >> 31 else length, text)


@kapi()
def string_escape_mem(k: "Kernel", src: int, isz: int, dst: int, osz: int, flags: int, only: int) -> int:
    """ISZ bytes at SRC escaped as FLAGS say (only the bytes in ONLY, if it is a non-empty string)
    into DST, at most OSZ bytes, no NUL; the length the whole escaped text has. At most
    STR_MAX bytes of SRC are escaped (klpsh's bound on the work of one call)."""
    isz, osz = min(isz & MASK64, STR_MAX), osz & MASK64
    data = k.mem.read(src, isz) if isz else b""
    chars = k.mem.cstr(only, 256).encode("latin-1") if only else b""
    out = escape_bytes(data, flags & 0xFFFF_FFFF, chars).encode("latin-1")
    if dst and osz:
        k.mem.write(dst, out[:osz])
    return len(out) & 0xFFFF_FFFF


def _unescape_one(s: bytes, i: int, flags: int) -> tuple[int, int] | None:
    """The byte the escape after a backslash at S[I] stands for and where the text goes on,
    trying space, octal, hex and special escapes as FLAGS allow; None if none matches."""
    c = s[i]
    if flags & UNESCAPE_SPACE and c in _UNESCAPE_SPACE:
        return _UNESCAPE_SPACE[c], i + 1
    if flags & UNESCAPE_OCTAL and c in _OCT:
        num, q = c & 7, i + 1
        while num < 32 and q < len(s) and s[q] in _OCT and q - i < 3:
            num = (num << 3 | s[q] & 7) & 0xFF
            q += 1
        return num, q
    if flags & UNESCAPE_HEX and c == ord("x") and i + 1 < len(s) and s[i + 1] in _HEX:
        num, q = int(chr(s[i + 1]), 16), i + 2
        if q < len(s) and s[q] in _HEX:
            num, q = num << 4 | int(chr(s[q]), 16), q + 1
        return num, q
    if flags & UNESCAPE_SPECIAL and c in _UNESCAPE_SPECIAL:
        return _UNESCAPE_SPECIAL[c], i + 1
    return None


@kapi()
def string_unescape(k: "Kernel", src: int, dst: int, size: int, flags: int) -> int:
    """The string at SRC with its escapes (FLAGS: UNESCAPE_*) turned back into bytes, into DST
    (SIZE bytes with the NUL, 0 for no limit; DST may be SRC); the bytes written before the NUL."""
    s = k.mem.cstr(src, STR_MAX).encode("latin-1")
    flags &= 0xFFFF_FFFF
    size &= MASK64
    out = bytearray()
    i = 0
    while i < len(s):
        size = (size - 1) & MASK64
        if not size:
            break
        if s[i] == 0x5C and i + 1 < len(s) and size > 1:
            size -= 1
            hit = _unescape_one(s, i + 1, flags)
            if hit is not None:
                out.append(hit[0])
                i = hit[1]
                continue
            out.append(0x5C)
            i += 1
        out.append(s[i])
        i += 1
    k.mem.write(dst, bytes(out) + b"\0")
    return len(out)


@kapi()
def kstrdup_quotable(k: "Kernel", src: int, gfp: int) -> int:
    """A kmalloc'ed copy of SRC with its control characters, backslashes and double quotes as
    \\xHH, safe to print in quotes; NULL for a NULL SRC or no memory."""
    if not src:
        return 0
    text = escape_bytes(k.mem.cstr(src, STR_MAX).encode("latin-1"), ESCAPE_HEX, _QUOTABLE)
    p = k.slab.kmalloc(len(text) + 1)
    if p:
        k.mem.put_cstr(p, text)
    return p
