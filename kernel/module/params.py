"""Module parameters (kernel/params.c): parse_args, the standard types, sysfs show/store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from kernel.errno import Errno, KernelError

if TYPE_CHECKING:
    from kernel.machine import Kernel

CHARP_MAX = 1024


def kstrtoull(s: str, base: int = 0) -> int:
    """_kstrtoull: optional trailing newline, base 0 auto-detects 0x/0 prefixes; -EINVAL/-ERANGE."""
    if s.endswith("\n"):
        s = s[:-1]
    if base == 0:
        if s[:2].lower() == "0x" and len(s) > 2:
            base, s = 16, s[2:]
        elif s.startswith("0") and len(s) > 1:
            base, s = 8, s[1:]
        else:
            base = 10
    elif base == 16 and s[:2].lower() == "0x":
        s = s[2:]
    digits = "0123456789abcdef"[:base]
    if not s or not all(c in digits for c in s.lower()):
        raise KernelError(Errno.EINVAL)
    v = int(s, base)
    if v >= 1 << 64:
        raise KernelError(Errno.ERANGE)
    return v


def kstrtoll(s: str, base: int = 0) -> int:
    neg = s.startswith("-")
    v = kstrtoull(s[1:] if neg else (s[1:] if s.startswith("+") else s), base)
    if neg:
        if v > 1 << 63:
            raise KernelError(Errno.ERANGE)
        return -v
    if v >= 1 << 63:
        raise KernelError(Errno.ERANGE)
    return v


def kstrtobool(s: str | None) -> bool:
    """strtobool(): y/Y/1/on -> True, n/N/0/off -> False, else -EINVAL."""
    if not s:
        raise KernelError(Errno.EINVAL)
    c = s[0]
    if c in "yY1":
        return True
    if c in "nN0":
        return False
    if c in "oO" and len(s) > 1:
        if s[1] in "nN":
            return True
        if s[1] in "fF":
            return False
    raise KernelError(Errno.EINVAL)


@dataclass(frozen=True)
class ParamType:
    """One param_ops_<name>: how to parse into and format out of guest memory."""

    name: str
    size: int
    signed: bool
    fmt: Callable[[int], str]

    def parse(self, val: str | None) -> int:
        if val is None:
            raise KernelError(Errno.EINVAL)
        v = kstrtoll(val) if self.signed else kstrtoull(val)
        bits = 8 * self.size
        lo, hi = ((-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if self.signed else (0, (1 << bits) - 1))
        if not lo <= v <= hi:
            raise KernelError(Errno.ERANGE)
        return v


INT_TYPES: dict[str, ParamType] = {t.name: t for t in (
    ParamType("byte", 1, False, str),
    ParamType("short", 2, True, str),
    ParamType("ushort", 2, False, str),
    ParamType("int", 4, True, str),
    ParamType("uint", 4, False, str),
    ParamType("long", 8, True, str),
    ParamType("ulong", 8, False, str),
)}
ALL_TYPES = (*INT_TYPES, "bool", "invbool", "charp")


@dataclass
class ModuleParam:
    """One `struct kernel_param` of a loaded module."""

    name: str
    type: str
    perm: int
    arg: int

    def _int_type(self) -> ParamType:
        return INT_TYPES[self.type]

    def get(self, k: "Kernel") -> str:
        """param_get_*: the sysfs text, newline included."""
        mem = k.mem
        if self.type in INT_TYPES:
            t = self._int_type()
            raw = int.from_bytes(mem.read(self.arg, t.size), "little", signed=t.signed)
            return f"{raw}\n"
        if self.type in ("bool", "invbool"):
            v = mem.u8(self.arg) != 0
            return ("Y" if v != (self.type == "invbool") else "N") + "\n"
        ptr = mem.u64(self.arg)
        return (mem.cstr(ptr) if ptr else "(null)") + "\n"

    def set(self, k: "Kernel", val: str | None) -> None:
        """param_set_*: parse VAL and store it in the module's variable."""
        mem = k.mem
        if self.type in INT_TYPES:
            t = self._int_type()
            mem.write(self.arg, (t.parse(val) & ((1 << (8 * t.size)) - 1)).to_bytes(t.size, "little"))
        elif self.type in ("bool", "invbool"):
            v = True if val is None else kstrtobool(val)
            mem.set_u8(self.arg, int(v != (self.type == "invbool")))
        else:
            if val is None:
                raise KernelError(Errno.EINVAL)
            if len(val) > CHARP_MAX:
                k.log.err(f"{self.name}: string parameter too long")
                raise KernelError(Errno.ENOSPC)
            ptr = k.slab.kmalloc(len(val.encode("latin-1", "replace")) + 1)
            mem.put_cstr(ptr, val)
            old = mem.u64(self.arg)
            if k.slab.owns(old):
                k.slab.kfree(old)
            mem.set_u64(self.arg, ptr)


def next_arg(args: str) -> tuple[str, str | None, str]:
    """Split off one `param[=value]` (double quotes group spaces); returns (param, val, rest)."""
    i, n, in_quote = 0, len(args), False
    while i < n and (in_quote or not args[i].isspace()):
        if args[i] == '"':
            in_quote = not in_quote
        i += 1
    word, rest = args[:i], args[i:].lstrip()
    param, eq, val = word.partition("=")
    if not eq:
        return param.replace('"', ""), None, rest
    if len(val) >= 2 and val[0] == '"' and val[-1] == '"':
        val = val[1:-1]
    return param.replace('"', ""), val, rest


def parameq(a: str, b: str) -> bool:
    return a.replace("-", "_") == b.replace("-", "_")


def parse_args(k: "Kernel", doing: str, args: str, params: list[ModuleParam]) -> None:
    """kernel/params.c parse_args() with the module loader's unknown-parameter handler."""
    args = args.lstrip()
    while args:
        param, val, args = next_arg(args)
        if param == "--":
            if args:
                k.log.info(f"{doing}: parameters '{args}' after `--' ignored")
            return
        target = next((p for p in params if parameq(p.name, param)), None)
        if target is None:
            if param not in ("async_probe", "dyndbg") and not param.endswith(".dyndbg"):
                k.log.warn(f"{doing}: unknown parameter '{param}' ignored")
            continue
        try:
            target.set(k, val)
        except KernelError as e:
            shown = val if val is not None else ""
            if e.errno == Errno.ENOSPC:
                k.log.err(f"{doing}: `{shown}' too large for parameter `{param}'")
            else:
                k.log.err(f"{doing}: `{shown}' invalid for parameter `{param}'")
            raise
