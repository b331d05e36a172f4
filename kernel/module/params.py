"""Module parameters (kernel/params.c): parse_args, the standard types, sysfs show/store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from kernel.abi import KERNEL_PARAM_FL_UNSAFE, KERNEL_PARAM_OPS_FL_NOARG, PAGE_SIZE, KernelParam, KernelParamOps, KparamArray, KparamString
from kernel.errno import Errno, KernelError
from kernel.record import RecordTuple, record

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


class ParamType(RecordTuple):
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
    ParamType("ullong", 8, False, str),
)}
BOOL_TYPES = ("bool", "invbool", "bint")
ALL_TYPES = (*INT_TYPES, *BOOL_TYPES, "charp", "string")
NOARG_TYPES = ("bool", "bint")      # KERNEL_PARAM_OPS_FL_NOARG: "name" alone is "name=1"
ARRAY = "array"                     # param_array_ops
GUEST_OPS = ""                      # the module's own struct kernel_param_ops


def builtin_get(k: "Kernel", ptype: str, arg: int) -> str:
    """param_get_<type>(): the sysfs text of the variable at ARG, newline included."""
    mem = k.mem
    if ptype in INT_TYPES:
        t = INT_TYPES[ptype]
        return f"{int.from_bytes(mem.read(arg, t.size), 'little', signed=t.signed)}\n"
    if ptype == "bint":
        return f"{mem.s32(arg)}\n"
    if ptype in BOOL_TYPES:
        return ("Y" if (mem.u8(arg) != 0) != (ptype == "invbool") else "N") + "\n"
    if ptype == "string":
        return mem.cstr(mem.u64(arg + KparamString.string.offset)) + "\n"
    ptr = mem.u64(arg)
    return (mem.cstr(ptr) if ptr >= PAGE_SIZE else "(null)") + "\n"


def builtin_set(k: "Kernel", ptype: str, name: str, arg: int, val: str | None) -> None:
    """param_set_<type>(): parse VAL into the variable at ARG (KernelError on a bad value)."""
    mem = k.mem
    if ptype in INT_TYPES:
        t = INT_TYPES[ptype]
        mem.write(arg, (t.parse(val) & ((1 << (8 * t.size)) - 1)).to_bytes(t.size, "little"))
    elif ptype in BOOL_TYPES:
        v = True if val is None else kstrtobool(val)
        if ptype == "bint":
            mem.set_u32(arg, int(v))
        else:
            mem.set_u8(arg, int(v != (ptype == "invbool")))
    elif val is None:
        raise KernelError(Errno.EINVAL)
    elif ptype == "string":
        maxlen = mem.u32(arg + KparamString.maxlen.offset)
        data = val.encode("latin-1", "replace")
        if len(data) + 1 > maxlen:
            k.log.err(f"{name}: string doesn't fit in {maxlen - 1} chars.")
            raise KernelError(Errno.ENOSPC)
        mem.write(mem.u64(arg + KparamString.string.offset), data + b"\0")
    else:
        if len(val) > CHARP_MAX:
            k.log.err(f"{name}: string parameter too long")
            raise KernelError(Errno.ENOSPC)
        ptr = k.slab.kmalloc(len(val.encode("latin-1", "replace")) + 1)
        if not ptr:
            raise KernelError(Errno.ENOMEM)
        mem.put_cstr(ptr, val)
        old = mem.u64(arg)
        if k.slab.owns(old):
            k.slab.kfree(old)
        mem.set_u64(arg, ptr)


@record(eq=False)
class ModuleParam:
    """One `struct kernel_param` of a loaded module (at KP in guest memory).

    TYPE is a builtin type name, ARRAY (ELEM_TYPE/ELEM_OPS describe the elements) or
    GUEST_OPS: then OPS is the module's own kernel_param_ops, whose set/get are called.
    """

    name: str
    type: str
    perm: int
    arg: int
    kp: int = 0
    ops: int = 0
    flags: int = 0
    elem_type: str = ""
    elem_ops: int = 0
    ops_flags: int = 0

    @property
    def noarg(self) -> bool:
        return self.type in NOARG_TYPES or bool(self.ops_flags & KERNEL_PARAM_OPS_FL_NOARG)

    def get(self, k: "Kernel") -> str:
        """param_attr_show(): what reading /sys/module/<m>/parameters/<name> gives."""
        if self.type == ARRAY:
            return self._array_get(k)
        if self.type == GUEST_OPS:
            return _guest_get(k, self.ops, self.kp)
        return builtin_get(k, self.type, self.arg)

    def set(self, k: "Kernel", val: str | None) -> None:
        """ops->set(val, kp): parse VAL (None: no `=value` given) into the module's variable."""
        if self.flags & KERNEL_PARAM_FL_UNSAFE:
            k.log.notice(f"Setting dangerous option {self.name} - tainting kernel")
            k.add_taint("U")
        if self.type == ARRAY:
            self._array_set(k, val)
        elif self.type == GUEST_OPS:
            _guest_set(k, self.ops, self.kp, val)
        else:
            builtin_set(k, self.type, self.name, self.arg, val)

    # --- module_param_array ----------------------------------------------------------
    def _elem(self, k: "Kernel", i: int) -> int:
        mem = k.mem
        return mem.u64(self.arg + KparamArray.elem.offset) + i * mem.u32(self.arg + KparamArray.elemsize.offset)

    def _count(self, k: "Kernel") -> int:
        num = k.mem.u64(self.arg + KparamArray.num.offset)
        return k.mem.u32(num) if num else k.mem.u32(self.arg + KparamArray.max.offset)

    def _elem_get(self, k: "Kernel", addr: int) -> str:
        if self.elem_type != GUEST_OPS:
            return builtin_get(k, self.elem_type, addr)
        with _temp_param(k, self.kp, addr) as kp:
            return _guest_get(k, self.elem_ops, kp)

    def _elem_set(self, k: "Kernel", addr: int, val: str) -> None:
        if self.elem_type != GUEST_OPS:
            builtin_set(k, self.elem_type, self.name, addr, val)
            return
        with _temp_param(k, self.kp, addr) as kp:
            _guest_set(k, self.elem_ops, kp, val)

    def _array_get(self, k: "Kernel") -> str:
        parts = [self._elem_get(k, self._elem(k, i)) for i in range(self._count(k))]
        return ",".join(p[:-1] if p.endswith("\n") else p for p in parts) + ("\n" if parts else "")

    def _array_set(self, k: "Kernel", val: str | None) -> None:
        """param_array(): comma-separated values, at least one, at most max."""
        if val is None:
            raise KernelError(Errno.EINVAL)
        mem = k.mem
        maxn = mem.u32(self.arg + KparamArray.max.offset)
        nump = mem.u64(self.arg + KparamArray.num.offset)
        n = 0
        if nump:
            mem.set_u32(nump, 0)
        for item in val.split(","):
            if n == maxn:
                k.log.err(f"{self.name}: can only take {maxn} arguments")
                raise KernelError(Errno.EINVAL)
            self._elem_set(k, self._elem(k, n), item)
            n += 1
            if nump:
                mem.set_u32(nump, n)


class _temp_param:
    """A copy of the struct kernel_param at KP whose arg is ARG (param_array's per-element kp)."""

    def __init__(self, k: "Kernel", kp: int, arg: int) -> None:
        self.k, self.src, self.arg, self.addr = k, kp, arg, 0

    def __enter__(self) -> int:
        k = self.k
        self.addr = k.slab.kmalloc(KernelParam.size)
        if not self.addr:
            raise KernelError(Errno.ENOMEM)
        k.mem.write(self.addr, k.mem.read(self.src, KernelParam.size))
        k.mem.set_u64(self.addr + KernelParam.arg.offset, self.arg)
        return self.addr

    def __exit__(self, *exc: object) -> None:
        self.k.slab.kfree(self.addr)


def _guest_fn(k: "Kernel", ops: int, field: str) -> int:
    fn = k.mem.u64(ops + getattr(KernelParamOps, field).offset)
    if not fn:
        raise KernelError(Errno.EPERM)   # param_attr_show/store: no ->get / ->set
    return fn


def _guest_set(k: "Kernel", ops: int, kp: int, val: str | None) -> None:
    """Call the module's ops->set(val, kp) on a kernel copy of VAL; its -errno is raised."""
    from kernel.cpu import s32
    fn = _guest_fn(k, ops, "set")
    buf = 0
    if val is not None:
        data = val.encode("latin-1", "replace")
        buf = k.slab.kmalloc(len(data) + 1)
        if not buf:
            raise KernelError(Errno.ENOMEM)
        k.mem.write(buf, data + b"\0")
    try:
        ret = s32(k.run_guest(k.current, fn, (buf, kp), via="param_attr_store", fatal=True))
    finally:
        k.slab.kfree(buf)
    if ret < 0:
        raise KernelError(-ret)


def _guest_get(k: "Kernel", ops: int, kp: int) -> str:
    """Call the module's ops->get(buffer, kp) into a page; its -errno is raised."""
    from kernel.cpu import s32
    fn = _guest_fn(k, ops, "get")
    buf = k.slab.kmalloc(PAGE_SIZE, zero=True)
    if not buf:
        raise KernelError(Errno.ENOMEM)
    try:
        ret = s32(k.run_guest(k.current, fn, (buf, kp), via="param_attr_show", fatal=True))
        if ret < 0:
            raise KernelError(-ret)
        return k.mem.read(buf, min(ret, PAGE_SIZE)).decode("latin-1")
    finally:
        k.slab.kfree(buf)


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
            if val is None and not target.noarg:
                raise KernelError(Errno.EINVAL)
            target.set(k, val)
        except KernelError as e:
            shown = val if val is not None else ""
            if e.errno == Errno.ENOSPC:
                k.log.err(f"{doing}: `{shown}' too large for parameter `{param}'")
            else:
                k.log.err(f"{doing}: `{shown}' invalid for parameter `{param}'")
            raise
