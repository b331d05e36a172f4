"""ioctl [--nonblock] [-w] FILE CMD [ARG]: open FILE, ioctl(fd, CMD, ARG), close; print what
the call returned (klpsh's own tool, in the spirit of busybox/toybox ioctl and strace's
decoding).

CMD is a number (0x6b01, 27393) or the macro that makes it: _IO(T,NR), _IOR(T,NR,SIZE),
_IOW(T,NR,SIZE), _IOWR(T,NR,SIZE), where T is a character ('k' or k) or a number and SIZE a
byte count or a C type (char, short, int, long, u8..u64, s8..s64, size_t, a pointer `char*`).

ARG says what the third argument is:
  N        for a command with a size, a pointer to a SIZE-byte buffer holding N; for one
           without, the value N itself (default: 0, or for _IOR/_IOWR a zeroed buffer)
  =N       the value N itself, whatever the command says
  &N       a pointer to a buffer holding N (SIZE bytes, or 8 for a command without a size)
  TEXT     (not a number) a pointer to a 4 KiB buffer holding TEXT and a NUL
A buffer is printed after the call: as a number for 1, 2, 4 or 8 bytes, as text for TEXT or
a `char*` command, else in hex. -w opens FILE read-write.
"""

from __future__ import annotations

import re

from kernel.errno import KernelError, strerror
from kernel.fs.file import O_NONBLOCK, O_RDONLY, O_RDWR
from kernel.record import record
from klpsh.tools import ToolContext, parse_options, tool

_IOC_NONE, _IOC_WRITE, _IOC_READ = 0, 1, 2
_DIRS = {"_IO": _IOC_NONE, "_IOW": _IOC_WRITE, "_IOR": _IOC_READ, "_IOWR": _IOC_READ | _IOC_WRITE}
_DIR_NAMES = {v: k for k, v in _DIRS.items()}
_TYPES = {"char": 1, "u8": 1, "s8": 1, "__u8": 1, "short": 2, "u16": 2, "s16": 2, "__u16": 2,
          "int": 4, "unsigned": 4, "u32": 4, "s32": 4, "__u32": 4, "long": 8, "u64": 8,
          "s64": 8, "__u64": 8, "size_t": 8, "loff_t": 8, "void*": 8, "unsigned int": 4,
          "unsigned long": 8, "long long": 8, "unsigned char": 1, "unsigned short": 2}
_MACRO = re.compile(r"\s*(_IOWR|_IOW|_IOR|_IO)\s*\((.*)\)\s*$")
MAX_SIZE = (1 << 14) - 1


def _ioc(direction: int, typ: int, nr: int, size: int) -> int:
    return (direction << 30) | (size << 16) | (typ << 8) | nr


def _number(text: str) -> int:
    text = text.strip()
    if len(text) == 3 and text[0] == text[2] == "'":
        return ord(text[1])
    if len(text) == 1 and not text.isdigit():
        return ord(text)
    return int(text, 0)


def parse_cmd(text: str) -> int:
    """The command number TEXT stands for (ValueError if it is neither a number nor a macro)."""
    m = _MACRO.fullmatch(text)
    if m is None:
        v = int(text, 0)
        if not 0 <= v <= 0xFFFF_FFFF:
            raise ValueError(text)
        return v
    macro, args = m[1], [a.strip() for a in m[2].split(",")]
    want = 2 if macro == "_IO" else 3
    if len(args) != want:
        raise ValueError(text)
    typ, nr = _number(args[0]), _number(args[1])
    size = 0
    if want == 3:
        token = re.sub(r"\s+", " ", args[2].replace(" *", "*")).strip()
        size = int(token) if token.isdigit() else 8 if token.endswith("*") else _TYPES.get(token)
        if size is None:
            raise ValueError(text)
    if not (0 <= typ <= 255 and 0 <= nr <= 255 and 0 <= size <= MAX_SIZE):
        raise ValueError(text)
    return _ioc(_DIRS[macro], typ, nr, size)


def decode_cmd(cmd: int) -> str:
    """strace's way of showing CMD: _IOR('c', 0x1, 4), or the number if it is no macro."""
    direction, size, typ, nr = cmd >> 30, (cmd >> 16) & MAX_SIZE, (cmd >> 8) & 0xFF, cmd & 0xFF
    if direction == _IOC_NONE and size:
        return f"{cmd:#x}"
    t = f"'{chr(typ)}'" if 0x20 < typ < 0x7F else f"{typ:#x}"
    if direction == _IOC_NONE:
        return f"_IO({t}, {nr:#x})"
    return f"{_DIR_NAMES[direction]}({t}, {nr:#x}, {size})"


TEXT_BUFFER = 4096


@record
class Arg:
    """The third argument: a VALUE, or DATA handed in by pointer (SIZE of it meaningful)."""

    value: int = 0
    data: bytes | None = None
    size: int = 0
    text: bool = False
    show: bool = False               # printed afterwards whatever the direction (&N)


def _is_number(text: str) -> bool:
    try:
        _number(text)
        return True
    except ValueError:
        return False


def parse_arg(cmd: int, cmd_text: str, text: str | None) -> Arg:
    """ARG of the command line as ioctl(2) gets it (see the module's docstring)."""
    direction, size = cmd >> 30, (cmd >> 16) & MAX_SIZE
    stringy = bool(re.search(r"char\s*\*", cmd_text))
    if text is None:
        if direction & _IOC_READ and size:
            return Arg(data=bytes(TEXT_BUFFER if stringy else size), size=size, text=stringy)
        return Arg()
    if text.startswith("=") and _is_number(text[1:]):
        return Arg(value=_number(text[1:]) & (2**64 - 1))
    if text.startswith("&") and _is_number(text[1:]):
        n = size or 8
        return Arg(data=_int_bytes(_number(text[1:]), n), size=n, show=True)
    if _is_number(text):
        v = _number(text)
        if size and direction != _IOC_NONE:
            return Arg(data=_int_bytes(v, size), size=size)
        return Arg(value=v & (2**64 - 1))
    raw = text.encode("latin-1", "replace") + b"\0"
    return Arg(data=raw.ljust(TEXT_BUFFER, b"\0"), size=len(raw), text=True)


def _int_bytes(v: int, size: int) -> bytes:
    if size > 8:
        return (v & (2**64 - 1)).to_bytes(8, "little").ljust(size, b"\0")
    return (v & ((1 << (8 * size)) - 1)).to_bytes(size, "little")


def _show_text(data: bytes) -> str:
    return '"' + data.split(b"\0", 1)[0].decode("latin-1").encode("unicode_escape").decode() + '"'


def _show(data: bytes) -> str:
    if len(data) in (1, 2, 4, 8):
        v = int.from_bytes(data, "little")
        signed = v - (1 << (8 * len(data))) if v >> (8 * len(data) - 1) else v
        return f"{signed} ({v:#0{2 + 2 * len(data)}x})"
    return data.hex(" ")


@tool("ioctl", "ioctl [--nonblock] [-w] FILE CMD [ARG]",
      "issue an ioctl on a /dev (or /proc) file and print its return value")
def ioctl(ctx: ToolContext, args: list[str]) -> int:
    parsed = parse_options(ctx, "ioctl", args, "w", ("nonblock",), hint=True)
    if parsed is None:
        return 2
    opts, args = parsed
    if len(args) not in (2, 3):
        ctx.errln("Usage: ioctl [--nonblock] [-w] FILE CMD [ARG]")
        return 2
    path, cmd_text = args[0], args[1]
    try:
        cmd = parse_cmd(cmd_text)
        arg = parse_arg(cmd, cmd_text, args[2] if len(args) == 3 else None)
    except (ValueError, OverflowError):
        ctx.errln(f"ioctl: invalid command or argument: '{' '.join(args[1:])}'")
        return 2
    flags = (O_RDWR if any(o == "-w" for o, _ in opts) else O_RDONLY) | \
        (O_NONBLOCK if any(o == "--nonblock" for o, _ in opts) else 0)
    try:
        rv, out = ctx.kernel.fs.ioctl(path, cmd, arg.data if arg.data is not None else arg.value,
                                      flags=flags, arg_size=len(arg.data or b""))
    except KernelError as e:
        ctx.errln(f"ioctl: {path}: {decode_cmd(cmd)}: {strerror(e.errno)}")
        return 1
    ctx.outln(f"ioctl({path}, {decode_cmd(cmd)}) = {rv}")
    if arg.data is not None and (arg.show or (cmd >> 30) & _IOC_READ):
        ctx.outln(f"arg: {_show_text(out) if arg.text else _show(out[:arg.size])}")
    return 0
