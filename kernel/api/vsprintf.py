"""vsnprintf(): the kernel's printf format language over guest arguments (lib/vsprintf.c, 4.19).

The format is decoded as format_decode() does: flags, field width, precision, qualifier, then
the conversion. A conversion the kernel does not support (%n, %f, %j ...) WARNs once per boot
("Please remove unsupported %f in format string") and ends the output there, as 4.19 does.
Arguments come from an argument source: the registers and stack of a variadic call (VarArgs)
or a guest va_list (VaList); %pV formats a struct va_format recursively.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Callable, Sequence

from kernel.bug import WarnSite
from kernel.mm import GuestMemory
from kernel.profile import GfpBits
from kernel.record import record, replace

if TYPE_CHECKING:
    from kernel.machine import Kernel

# printf_spec.flags
SIGN, LEFT, PLUS, SPACE, ZEROPAD, SMALL, SPECIAL = 1, 2, 4, 8, 16, 32, 64
MASK64 = (1 << 64) - 1
PAGE_SIZE = 4096
PTR_WIDTH = 16                     # 2 * sizeof(void *)
STR_MAX = 1 << 20                  # how far a %s is read without a precision
# the WARN_ONCEs of lib/vsprintf.c, at their 4.19.0 lines (4.19.95 has them there too; 5.4's
# lines: kernel/profile.py WARN_MOVES_5_4). format_decode()'s for a conversion it does not know:
FORMAT_DECODE_WARN = WarnSite("lib/vsprintf.c", 2149, "format_decode", once=True)
# struct printf_spec keeps field_width in 24 bits and precision in 16: set_field_width() and
# set_precision() WARN_ONCE and clamp a '*' argument that does not fit
FIELD_WIDTH_MAX = (1 << 23) - 1
PRECISION_MAX = (1 << 15) - 1
FIELD_WIDTH_WARN = WarnSite("lib/vsprintf.c", 2181, "set_field_width", once=True)
PRECISION_WARN = WarnSite("lib/vsprintf.c", 2190, "set_precision", once=True)
# flags_string()'s for a %pG letter other than p, v, g (5.4 has none: it prints "(%pG?)")
FLAGS_WARN = WarnSite("lib/vsprintf.c", 1531, "flags_string", once=True, callers=("vsnprintf",))
_QUALIFIED_BITS = {"H": 8, "h": 16, "": 32, "l": 64, "L": 64, "z": 64, "t": 64}

NextArg = Callable[[], int]


@record(eq=False)
class PrintfSpec:
    """struct printf_spec: how one conversion is printed."""

    flags: int = 0
    field_width: int = -1
    precision: int = -1
    base: int = 10


class VaList:
    """A guest va_list (x86-64 SysV: gp_offset, fp_offset, overflow_arg_area, reg_save_area).

    Integer arguments are read from the register save area, then from the overflow area; what
    was consumed is written back (a callee's va_arg() advances the caller's va_list) unless
    this is a copy (va_copy, as %pV makes)."""

    def __init__(self, mem: GuestMemory, addr: int, write_back: bool = True) -> None:
        self.mem, self.addr, self.write_back = mem, addr, write_back
        self.gp_offset = mem.u32(addr)
        self.overflow = mem.u64(addr + 8)
        self.reg_save = mem.u64(addr + 16)

    def next(self) -> int:
        if self.gp_offset < 48:
            v = self.mem.u64(self.reg_save + self.gp_offset)
            self.gp_offset += 8
            if self.write_back:
                self.mem.set_u32(self.addr, self.gp_offset)
        else:
            v = self.mem.u64(self.overflow)
            self.overflow += 8
            if self.write_back:
                self.mem.set_u64(self.addr + 8, self.overflow)
        return v


def _sext(v: int, bits: int) -> int:
    v &= (1 << bits) - 1
    return v - (1 << bits) if v >> (bits - 1) else v


# --- number(), string(), widen_string() -------------------------------------------------------
def number(num: int, spec: PrintfSpec) -> str:
    """NUM (the 64-bit pattern) as lib/vsprintf.c number() prints it."""
    num &= MASK64
    flags, width, precision, base = spec.flags, spec.field_width, spec.precision, spec.base
    need_pfx = bool(flags & SPECIAL) and base != 10
    is_zero = num == 0
    if flags & LEFT:
        flags &= ~ZEROPAD
    sign = ""
    if flags & SIGN:
        if num >> 63:
            sign, num = "-", (1 << 64) - num
        elif flags & PLUS:
            sign = "+"
        elif flags & SPACE:
            sign = " "
        width -= len(sign)
    if need_pfx:
        width -= 2 if base == 16 else (0 if is_zero else 1)
    digits = format(num, {8: "o", 10: "d", 16: "x" if flags & SMALL else "X"}[base])
    precision = max(precision, len(digits))
    width -= precision
    out: list[str] = []

    def pad(c: str) -> None:          # while (--field_width >= 0) *buf++ = c;
        nonlocal width
        out.append(c * max(width, 0))
        width = min(width, 0) - 1
    if not flags & (ZEROPAD | LEFT):
        pad(" ")
    out.append(sign)
    if need_pfx:
        if base == 16 or not is_zero:
            out.append("0")
        if base == 16:
            out.append("x" if flags & SMALL else "X")
    if not flags & LEFT:
        pad("0" if flags & ZEROPAD else " ")
    out.append("0" * (precision - len(digits)))
    out.append(digits)
    pad(" ")
    return "".join(out)


def widen(s: str, spec: PrintfSpec) -> str:
    """widen_string(): pad S to the field width (right-aligned unless LEFT)."""
    if len(s) >= spec.field_width:
        return s
    spaces = " " * (spec.field_width - len(s))
    return s + spaces if spec.flags & LEFT else spaces + s


def string(mem: GuestMemory, ptr: int, spec: PrintfSpec) -> str:
    """%s: a pointer into the first page is "(null)"; any other is read (a bad one faults)."""
    if ptr < PAGE_SIZE:
        return widen("(null)"[:spec.precision] if spec.precision >= 0 else "(null)", spec)
    s = mem.cstr(ptr, spec.precision if spec.precision >= 0 else STR_MAX)
    return widen(s, spec)


def _text(s: str, spec: PrintfSpec) -> str:
    """string() over kernel text (symbol names, formatted addresses)."""
    return widen(s[:spec.precision] if spec.precision >= 0 else s, spec)


# --- %p and its extensions ---------------------------------------------------------------------
def ptr_hash(k: "Kernel", v: int) -> int:
    """ptr_to_id(): a per-boot keyed hash of the pointer, cut to 32 bits on 64-bit."""
    import hashlib  # here: a boot that prints no %p does without it (start-up)

    digest = hashlib.blake2b((v & MASK64).to_bytes(8, "little"), key=k.ptr_key, digest_size=4).digest()
    return int.from_bytes(digest, "little")


def pointer_string(v: int, spec: PrintfSpec) -> str:
    """A pointer in hex: as wide as a pointer and zero-padded unless a width is given."""
    spec = replace(spec, base=16, flags=spec.flags | SMALL)
    if spec.field_width == -1:
        spec.field_width = PTR_WIDTH
        spec.flags |= ZEROPAD
    return number(v, spec)


def symbol_text(k: "Kernel", ext: str, v: int) -> str:
    """%pS/%ps/%pF/%pf/%pB: symbol_string() with sprint_symbol and friends."""
    if ext[0] == "B":               # sprint_backtrace(): the call site before a return address
        s = k.kallsyms.lookup(v - 1)
        if s is None:
            return f"0x{v:x}"
        text = f"{s.name}+{v - s.addr:#x}/{s.size:#x}"
        return text + (f" [{s.owner}]" if s.owner != "vmlinux" else "")
    if ext[0] in "sf":
        s = k.kallsyms.lookup(v)
        if s is None:
            return f"0x{v:x}"
        return s.name + (f" [{s.owner}]" if s.owner != "vmlinux" else "")
    return k.kallsyms.sprint_symbol(v)


def _hex_string(mem: GuestMemory, ext: str, v: int, spec: PrintfSpec) -> str:
    """%ph[CDN]: up to 64 bytes as hex, the count given by the field width (default 1)."""
    if spec.field_width == 0:
        return ""
    if v <= 16:                     # ZERO_OR_NULL_PTR
        return string(mem, 0, spec)
    sep = {"C": ":", "D": "-", "N": ""}.get(ext[1:2], " ")
    n = min(spec.field_width, 64) if spec.field_width > 0 else 1
    return sep.join(f"{b:02x}" for b in mem.read(v, n))


def _mac(mem: GuestMemory, ext: str, v: int, spec: PrintfSpec) -> str:
    """%pM (colons), %pm (none), F (dashes), R (reversed byte order)."""
    data = mem.read(v, 6)
    if ext[1:2] == "R":
        data = data[::-1]
    sep = "" if ext[0] == "m" else ("-" if ext[1:2] == "F" else ":")
    return _text(sep.join(f"{b:02x}" for b in data), spec)


def _ip(mem: GuestMemory, ext: str, v: int, spec: PrintfSpec) -> str | None:
    """%pI4/%pi4 (dotted, i: zero-padded), %pI6 (colon groups), %pi6 (32 digits), %pI6c."""
    if ext[1:2] == "4":
        data = mem.read(v, 4)
        if ext[2:3] in ("h", "l"):  # host/little-endian order
            data = data[::-1]
        return _text(".".join((f"{b:03d}" if ext[0] == "i" else str(b)) for b in data), spec)
    if ext[1:2] == "6":
        data = mem.read(v, 16)
        if ext[0] == "i":
            return _text(data.hex(), spec)
        if ext[2:3] == "c":
            import ipaddress
            return _text(ipaddress.IPv6Address(data).compressed, spec)
        return _text(":".join(data[i:i + 2].hex() for i in range(0, 16, 2)), spec)
    return None


def _uuid(mem: GuestMemory, ext: str, v: int, spec: PrintfSpec) -> str:
    """%pU[bBlL]: big (default) or little endian field order, lower or upper case."""
    data = mem.read(v, 16)
    kind = ext[1:2] or "b"
    if kind in "lL":
        data = data[3::-1] + data[5:3:-1] + data[7:5:-1] + data[8:]
    h = data.hex()
    text = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
    return _text(text.upper() if kind in "BL" else text, spec)


def _bitmap(mem: GuestMemory, ext: str, v: int, spec: PrintfSpec) -> str:
    """%*pb (hex chunks of 32 bits) and %*pbl (ranges); the field width is the bit count."""
    nbits = max(spec.field_width, 0)
    nwords = (nbits + 63) // 64
    value = int.from_bytes(mem.read(v, 8 * nwords), "little") if nwords else 0
    value &= (1 << nbits) - 1
    if ext[1:2] == "l":
        bits = [i for i in range(nbits) if value >> i & 1]
        ranges: list[str] = []
        i = 0
        while i < len(bits):
            j = i
            while j + 1 < len(bits) and bits[j + 1] == bits[j] + 1:
                j += 1
            ranges.append(str(bits[i]) if i == j else f"{bits[i]}-{bits[j]}")
            i = j + 1
        return ",".join(ranges)
    chunks: list[str] = []
    first = nbits % 32 or 32
    top = ((nbits + 31) // 32) * 32 - 32
    size = first
    while top >= 0:
        val = (value >> top) & ((1 << size) - 1)
        chunks.append(f"{val:0{(size + 3) // 4}x}")
        top -= 32
        size = 32
    return ",".join(chunks)


# --- %pG: flag names (include/trace/events/mmflags.h of 4.19 and 5.4, x86-64 defconfig) ---------
# Each table is in the header's order: a mask that matches is printed and its bits taken away,
# so the composite GFP_* names come first.  The names and their order are the same in both
# kernels; the gfp_t bits are the profile's (kernel/profile.py GfpBits).
@functools.lru_cache(maxsize=None)
def gfp_flag_names(g: GfpBits) -> tuple[tuple[int, str], ...]:
    """__def_gfpflag_names over the bits G."""
    user = g.kernel | g.hardwall
    highuser_movable = user | g.highmem | g.movable
    transhuge_light = (highuser_movable | g.comp | g.nomemalloc | g.nowarn) & ~g.reclaim
    return (
        (transhuge_light | g.direct_reclaim, "GFP_TRANSHUGE"),
        (transhuge_light, "GFP_TRANSHUGE_LIGHT"),
        (highuser_movable, "GFP_HIGHUSER_MOVABLE"),
        (user | g.highmem, "GFP_HIGHUSER"),
        (user, "GFP_USER"),
        (g.kernel | g.account, "GFP_KERNEL_ACCOUNT"),
        (g.kernel, "GFP_KERNEL"),
        (g.reclaim | g.io, "GFP_NOFS"),
        (g.atomic_flags, "GFP_ATOMIC"),
        (g.reclaim, "GFP_NOIO"),
        (g.nowait, "GFP_NOWAIT"),
        (g.dma, "GFP_DMA"), (g.highmem, "__GFP_HIGHMEM"), (g.dma32, "GFP_DMA32"),
        (g.high, "__GFP_HIGH"), (g.atomic, "__GFP_ATOMIC"), (g.io, "__GFP_IO"), (g.fs, "__GFP_FS"),
        (g.nowarn, "__GFP_NOWARN"), (g.retry_mayfail, "__GFP_RETRY_MAYFAIL"),
        (g.nofail, "__GFP_NOFAIL"), (g.noretry, "__GFP_NORETRY"), (g.comp, "__GFP_COMP"),
        (g.zero, "__GFP_ZERO"), (g.nomemalloc, "__GFP_NOMEMALLOC"), (g.memalloc, "__GFP_MEMALLOC"),
        (g.hardwall, "__GFP_HARDWALL"), (g.thisnode, "__GFP_THISNODE"),
        (g.reclaimable, "__GFP_RECLAIMABLE"), (g.movable, "__GFP_MOVABLE"),
        (g.account, "__GFP_ACCOUNT"), (g.write, "__GFP_WRITE"), (g.reclaim, "__GFP_RECLAIM"),
        (g.direct_reclaim, "__GFP_DIRECT_RECLAIM"), (g.kswapd_reclaim, "__GFP_KSWAPD_RECLAIM"),
    )


# enum pageflags (4.19, MMU, PAT's PG_uncached, MEMORY_FAILURE, IDLE_PAGE_TRACKING): bit -> name
_PAGEFLAGS = ("locked", "error", "referenced", "uptodate", "dirty", "lru", "active", "waiters",
              "slab", "owner_priv_1", "arch_1", "reserved", "private", "private_2", "writeback",
              "head", "mappedtodisk", "reclaim", "swapbacked", "unevictable", "mlocked",
              "uncached", "hwpoison", "young", "idle")
NR_PAGEFLAGS = len(_PAGEFLAGS)
_PAGEFLAG_ORDER = ("locked", "waiters", "error", "referenced", "uptodate", "dirty", "lru",
                   "active", "slab", "owner_priv_1", "arch_1", "reserved", "private", "private_2",
                   "writeback", "head", "mappedtodisk", "reclaim", "swapbacked", "unevictable",
                   "mlocked", "uncached", "hwpoison", "young", "idle")
PAGE_FLAG_NAMES = tuple((1 << _PAGEFLAGS.index(n), n) for n in _PAGEFLAG_ORDER)
VMA_FLAG_NAMES: tuple[tuple[int, str], ...] = tuple((1 << b, n) for b, n in enumerate((
    "read", "write", "exec", "shared", "mayread", "maywrite", "mayexec", "mayshare", "growsdown",
    "uffd_missing", "pfnmap", "denywrite", "uffd_wp", "locked", "io", "seqread", "randread",
    "dontcopy", "dontexpand", "lockonfault", "account", "noreserve", "hugetlb", "sync", "pat",
    "wipeonfork", "dontdump", "softdirty", "mixedmap", "hugepage", "nohugepage", "mergeable")))


def format_flags(flags: int, names: Sequence[tuple[int, str]]) -> str:
    """format_flags(): matching names joined by '|', what no name covers as %#lx."""
    out = []
    for mask, name in names:
        if not flags:
            break
        if flags & mask != mask:
            continue
        out.append(name)
        flags &= ~mask
    if flags:
        out.append(number(flags, PrintfSpec(SPECIAL | SMALL, -1, -1, 16)))
    return "|".join(out)


def flags_string(k: "Kernel", ext: str, v: int, spec: PrintfSpec) -> str:
    """%pGp (page flags), %pGv (vma flags), %pGg (gfp_t), read through the pointer V."""
    mem = k.mem
    kind = ext[1:2]
    if kind == "p":
        return format_flags(mem.u64(v) & ((1 << NR_PAGEFLAGS) - 1), PAGE_FLAG_NAMES)
    if kind == "v":
        return format_flags(mem.u64(v), VMA_FLAG_NAMES)
    if kind == "g":
        return format_flags(mem.u32(v), gfp_flag_names(k.profile.gfp))
    if not k.profile.has_warn(FLAGS_WARN):
        # 5.4: error_string(buf, end, "(%pG?)", spec), its precision 2 * sizeof(void *) unless given
        return _text("(%pG?)", spec if spec.precision >= 0 else replace(spec, precision=PTR_WIDTH))
    _warn_once(k, FLAGS_WARN, f"Unsupported flags modifier: {kind}\n")
    return ""


def _warn_once(k: "Kernel", site: WarnSite, msg: str, frames: Sequence[str] | None = None) -> None:
    """A WARN_ONCE of vsnprintf(): host code formatting between tasks spends it unreported."""
    if k.sched.current is None:
        k.printk.once.add(site.key)
        return
    k.warn_at(site, msg, frames)


# string_escape_mem() flags (linux/string_helpers.h) and the %pE letters that select them
ESCAPE_SPACE, ESCAPE_SPECIAL, ESCAPE_NULL, ESCAPE_OCTAL = 0x01, 0x02, 0x04, 0x08
ESCAPE_ANY = ESCAPE_SPACE | ESCAPE_OCTAL | ESCAPE_SPECIAL | ESCAPE_NULL
ESCAPE_NP, ESCAPE_HEX = 0x10, 0x20
_ESCAPE_LETTERS = {"a": ESCAPE_ANY, "c": ESCAPE_SPECIAL, "h": ESCAPE_HEX, "n": ESCAPE_NULL,
                   "o": ESCAPE_OCTAL, "p": ESCAPE_NP, "s": ESCAPE_SPACE}
_ESCAPE_SPACE = {0x0A: "n", 0x0D: "r", 0x09: "t", 0x0B: "v", 0x0C: "f"}
_ESCAPE_SPECIAL = {0x5C: "\\", 0x07: "a", 0x1B: "e"}


def escape_bytes(data: bytes, flags: int, only: bytes = b"") -> str:
    """string_escape_mem(): each byte as is, or escaped the first way FLAGS allow (space,
    special, NUL, then octal, then hex); ESCAPE_NP leaves printable bytes alone, and a
    non-empty ONLY every byte it does not hold."""
    out = []
    for c in data:
        printable = 0x20 <= c < 0x7F or c >= 0xA0
        if not (flags & ESCAPE_NP and printable or only and c not in only):
            if flags & ESCAPE_SPACE and c in _ESCAPE_SPACE:
                out.append("\\" + _ESCAPE_SPACE[c])
                continue
            if flags & ESCAPE_SPECIAL and c in _ESCAPE_SPECIAL:
                out.append("\\" + _ESCAPE_SPECIAL[c])
                continue
            if flags & ESCAPE_NULL and c == 0:
                out.append("\\0")
                continue
            if flags & ESCAPE_OCTAL:
                out.append(f"\\{c:03o}")
                continue
            if flags & ESCAPE_HEX:
                out.append(f"\\x{c:02x}")
                continue
        out.append(chr(c))
    return "".join(out)


def _escaped(mem, ext: str, v: int, spec: PrintfSpec) -> str:
    """%pE[achnops]: FIELD_WIDTH bytes at V (1 without a width), escaped (escaped_string())."""
    if spec.field_width == 0:
        return ""
    if v <= 16:                     # ZERO_OR_NULL_PTR
        return string(mem, 0, spec)
    flags = 0
    for letter in ext[1:]:
        if letter not in _ESCAPE_LETTERS:
            break
        flags |= _ESCAPE_LETTERS[letter]
    n = 1 if spec.field_width < 0 else min(spec.field_width, STR_MAX)
    return escape_bytes(mem.read(v, n), flags or ESCAPE_ANY | ESCAPE_NP)


def pointer(k: "Kernel", ext: str, v: int, spec: PrintfSpec) -> str:
    """%p followed by its extension letters EXT (pointer() of lib/vsprintf.c)."""
    mem = k.mem
    kind = ext[:1]
    v &= MASK64
    if v == 0 and kind not in ("K", "x"):
        if spec.field_width == -1:
            spec = replace(spec, field_width=PTR_WIDTH)
        return widen("(null)", spec)
    if kind in ("S", "s", "F", "f", "B"):
        return _text(symbol_text(k, ext, v), spec)
    if kind == "h":
        return _hex_string(mem, ext, v, spec)
    if kind in ("M", "m"):
        return _mac(mem, ext, v, spec)
    if kind in ("I", "i"):
        text = _ip(mem, ext, v, spec)
        if text is not None:
            return text
    if kind == "U":
        return _uuid(mem, ext, v, spec)
    if kind == "E":
        return _escaped(mem, ext, v, spec)
    if kind == "b":
        return _bitmap(mem, ext, v, spec)
    if kind == "a":                 # %pa[p]/%pad: phys_addr_t/dma_addr_t passed by reference
        return number(mem.u64(v), PrintfSpec(SPECIAL | SMALL | ZEROPAD, 18, -1, 16))
    if kind == "V":                 # struct va_format { const char *fmt; va_list *va; }
        inner = VaList(mem, mem.u64(v + 8), write_back=False)
        return vsnprintf(k, mem.cstr(mem.u64(v), STR_MAX), inner.next)
    if kind == "x":
        return pointer_string(v, spec)
    if kind == "G":
        return flags_string(k, ext, v, spec)
    # 'K' with kptr_restrict 0 (the 4.19 default) prints what %p prints, as does any
    # extension this kernel does not decode: the hashed pointer
    return pointer_string(ptr_hash(k, v), spec)


# --- format_decode() and the main loop ---------------------------------------------------------
_DEC = "0123456789"


def _isdigit(c: str) -> bool:
    return c != "" and c in _DEC


def _digits(fmt: str, i: int) -> tuple[int, int]:
    """skip_atoi(): the decimal number at I and the index after it."""
    j = i
    while j < len(fmt) and fmt[j] in _DEC:
        j += 1
    return int(fmt[i:j]), j


def _fits(k: "Kernel", v: int, lo: int, hi: int, fn: str, what: str,
          warn_frames: Sequence[str]) -> int:
    """set_field_width()/set_precision(): V if the bitfield holds it, else WARN_ONCE and V
    clamped to [LO, HI] (a huge '*' width padded gigabytes of spaces)."""
    bits = 24 if fn == "set_field_width" else 16
    if -(1 << (bits - 1)) <= v < 1 << (bits - 1):
        return v
    _warn_once(k, FIELD_WIDTH_WARN if fn == "set_field_width" else PRECISION_WARN,
               f"{what} {v} too large", ("vsnprintf", *warn_frames))
    return min(max(v, lo), hi)


def _unsupported(k: "Kernel", c: str, warn_frames: Sequence[str]) -> None:
    """WARN_ONCE(1, "Please remove unsupported %%%c in format string\\n", *fmt)."""
    _warn_once(k, FORMAT_DECODE_WARN, f"Please remove unsupported %{c} in format string\n",
               ("vsnprintf", *warn_frames))


def vsnprintf(k: "Kernel", fmt: str, next_arg: NextArg, warn_frames: Sequence[str] = ()) -> str:
    """Format FMT, pulling each argument (a raw 64-bit value) from NEXT_ARG.

    Returns the whole output (callers truncate to their buffer). WARN_FRAMES name the host
    functions between vsnprintf() and the guest's call, for the unsupported-conversion WARN.
    """
    out: list[str] = []
    n, i = len(fmt), 0
    while i < n:
        pct = fmt.find("%", i)
        if pct < 0:
            out.append(fmt[i:])
            break
        out.append(fmt[i:pct])
        i = pct + 1
        spec = PrintfSpec()
        while i < n and fmt[i] in "-+ #0":
            spec.flags |= {"-": LEFT, "+": PLUS, " ": SPACE, "#": SPECIAL, "0": ZEROPAD}[fmt[i]]
            i += 1
        if i < n and fmt[i] in _DEC:
            spec.field_width, i = _digits(fmt, i)
        elif i < n and fmt[i] == "*":
            spec.field_width = _fits(k, _sext(next_arg(), 32), -FIELD_WIDTH_MAX, FIELD_WIDTH_MAX,
                                     "set_field_width", "field width", warn_frames)
            if spec.field_width < 0:
                spec.field_width = -spec.field_width
                spec.flags |= LEFT
            i += 1
        if i < n and fmt[i] == ".":       # a '.' without digits leaves the precision unset
            i += 1
            if i < n and fmt[i] in _DEC:
                spec.precision, i = _digits(fmt, i)
            elif i < n and fmt[i] == "*":
                # a negative precision that fits is no precision at all
                spec.precision = max(_fits(k, _sext(next_arg(), 32), 0, PRECISION_MAX,
                                           "set_precision", "precision", warn_frames), -1)
                i += 1
        qualifier = ""
        if i < n and fmt[i] in "hlLzt":
            qualifier = "L" if fmt[i] == "L" else fmt[i]
            i += 1
            if i < n and fmt[i] == qualifier and qualifier in "hl":
                qualifier = {"h": "H", "l": "L"}[qualifier]
                i += 1
        conv = fmt[i] if i < n else "\0"
        i += 1
        if conv == "c":
            c = chr(next_arg() & 0xFF)
            pad = " " * max(spec.field_width - 1, 0)
            out.append(c + pad if spec.flags & LEFT else pad + c)
        elif conv == "s":
            out.append(string(k.mem, next_arg(), spec))
        elif conv == "p":
            j = i
            while j < n and fmt[j].isalnum():
                j += 1
            out.append(pointer(k, fmt[i:j], next_arg(), spec))
            i = j
        elif conv == "%":
            out.append("%")
        elif conv in "oxXdiu":
            spec.base = {"o": 8, "x": 16, "X": 16}.get(conv, 10)
            if conv == "x":
                spec.flags |= SMALL
            if conv in "di":
                spec.flags |= SIGN
            bits = _QUALIFIED_BITS[qualifier]
            v = next_arg()
            signed = bool(spec.flags & SIGN) or qualifier == "t"
            v = _sext(v, bits) if signed else v & ((1 << bits) - 1)
            out.append(number(v, spec))
        else:
            # %n, floating point and anything else: the arguments would be out of step
            _unsupported(k, conv, warn_frames)
            break
    return "".join(out)


def ptr_text(k: "Kernel", v: int) -> str:
    """What printk's plain %p shows for V."""
    return pointer(k, "", v, PrintfSpec())


# --- vsscanf() ----------------------------------------------------------------------------------
_SPACES = " \t\n\v\f\r\xa0"           # isspace() of the kernel's latin-1 ctype table
_HEX = "0123456789abcdefABCDEF"
_SCAN_STORE = {"H": 1, "h": 2, "l": 8, "L": 8, "z": 8, "": 4}   # bytes stored per qualifier


def _skip_spaces(s: str, i: int) -> int:
    while i < len(s) and s[i] in _SPACES:
        i += 1
    return i


def _at(s: str, i: int) -> str:
    return s[i] if i < len(s) else "\0"


def _fixup_radix(s: str, i: int, base: int) -> tuple[int, int]:
    """_parse_integer_fixup_radix(): base 0 guesses 16/8/10; a 0x prefix is skipped for 16."""
    if base == 0:
        if _at(s, i) == "0":
            base = 16 if _at(s, i + 1).lower() == "x" and _at(s, i + 2) in _HEX else 8
        else:
            base = 10
    if base == 16 and _at(s, i) == "0" and _at(s, i + 1).lower() == "x":
        i += 2
    return i, base


def simple_strntoull(s: str, i: int, max_chars: int, base: int) -> tuple[int, int]:
    """(value mod 2**64, index after it) reading at most MAX_CHARS characters from I."""
    start = i
    i, base = _fixup_radix(s, i, base)
    if i - start >= max_chars:
        return 0, start + max_chars      # too short for prefix and digit: skipped, not converted
    limit = start + max_chars
    value = 0
    while i < limit and i < len(s):
        c = s[i].lower()
        d = ord(c) - 48 if "0" <= c <= "9" else (ord(c) - 87 if "a" <= c <= "f" else 99)
        if d >= base:
            break
        value = (value * base + d) & MASK64
        i += 1
    return value, i


def vsscanf(k: "Kernel", buf: str, fmt: str, next_arg: NextArg) -> int:
    """Parse BUF by FMT, storing through the pointers NEXT_ARG gives; returns the count."""
    mem = k.mem
    num = 0
    si = fi = 0
    while fi < len(fmt):
        if fmt[fi] in _SPACES:             # white space matches any amount, including none
            fi = _skip_spaces(fmt, fi + 1)
            si = _skip_spaces(buf, si)
        if fi < len(fmt) and fmt[fi] != "%":
            if _at(buf, si) != fmt[fi]:
                break
            fi, si = fi + 1, si + 1
            continue
        if fi >= len(fmt):
            break
        fi += 1
        if _at(fmt, fi) == "*":            # skip: both strings advance to the next white space
            if si >= len(buf):
                break
            while fi < len(fmt) and fmt[fi] not in _SPACES and fmt[fi] != "%":
                if fmt[fi] == "[":         # '%*[' is not supported: invalid format
                    return num
                fi += 1
            while si < len(buf) and buf[si] not in _SPACES:
                si += 1
            continue
        width = -1
        if _isdigit(_at(fmt, fi)):
            width, fi = _digits(fmt, fi)
            width = _sext(width, 16)        # s16 field_width
            if width <= 0:
                break
        qualifier = ""
        c = _at(fmt, fi)
        if c in "hlLz":
            qualifier = c
            fi += 1
            if _at(fmt, fi) == qualifier and qualifier in "hl":
                qualifier = {"h": "H", "l": "L"}[qualifier]
                fi += 1
        if fi >= len(fmt):
            break
        if fmt[fi] == "n":                 # characters consumed so far
            mem.set_u32(next_arg(), si)
            fi += 1
            continue
        if si >= len(buf):
            break
        conv = fmt[fi]
        fi += 1
        if conv == "c":
            dst = next_arg()
            count = 1 if width == -1 else width
            out = buf[si]
            si += 1
            while count > 1 and si < len(buf):
                out += buf[si]
                si += 1
                count -= 1
            mem.write(dst, out.encode("latin-1"))
            num += 1
            continue
        if conv == "s":
            dst = next_arg()
            count = 0x7FFF if width == -1 else width
            si = _skip_spaces(buf, si)
            j = si
            while j < len(buf) and buf[j] not in _SPACES and j - si < count:
                j += 1
            mem.write(dst, buf[si:j].encode("latin-1") + b"\0")
            si = j
            num += 1
            continue
        if conv == "[":
            dst = next_arg()
            if width == -1:                # a field width is required
                return num
            negate = _at(fmt, fi) == "^"
            if negate:
                fi += 1
            end = fmt.find("]", fi)
            if end < 0 or end == fi:       # no ']' or an empty set
                return num
            chars = set(fmt[fi:end])
            fi = end + 1

            def member(ch: str) -> bool:
                return (ch not in chars and ch != "\0") if negate else ch in chars
            if not member(_at(buf, si)):
                return num
            j = si
            while j < len(buf) and member(buf[j]) and j - si < width:
                j += 1
            mem.write(dst, buf[si:j].encode("latin-1") + b"\0")
            si = j
            num += 1
            continue
        if conv == "%":
            if buf[si] != "%":
                return num
            si += 1
            continue
        if conv not in "oxXidu":           # invalid format: stop here
            return num
        base = {"o": 8, "x": 16, "X": 16, "i": 0}.get(conv, 10)
        signed = conv in "id"
        si = _skip_spaces(buf, si)
        digit = _at(buf, si)
        if signed and digit == "-":
            digit = _at(buf, si + 1)
        if (digit == "\0" or (base == 16 and digit not in _HEX)
                or (base in (10, 0) and not _isdigit(digit)) or (base == 8 and digit not in "01234567")):
            break
        limit = width if width >= 0 else (1 << 31) - 1
        if signed and buf[si] == "-":
            value, nxt = simple_strntoull(buf, si + 1, limit - 1, base)
            value = -value & MASK64
        else:
            value, nxt = simple_strntoull(buf, si, limit, base)
        size = _SCAN_STORE[qualifier]
        dst = next_arg()
        mem.write(dst, (value & ((1 << (8 * size)) - 1)).to_bytes(size, "little"))
        num += 1
        si = nxt
    return num
