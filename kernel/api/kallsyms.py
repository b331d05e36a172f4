"""linux/kallsyms.h: symbol lookups by name and by address (kernel/kallsyms.c, module.c)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.abi import KSYM_NAME_LEN, Module
from kernel.api import kapi
from kernel.api.vsprintf import symbol_text
from kernel.cpu import s32
from kernel.errno import Errno

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.module.kallsyms import KSym

MODULE_STATE_UNFORMED = 3


def _modules_newest_first(k: "Kernel") -> list:
    """The module list as Linux walks it (list_add_rcu puts each new module at the head)."""
    return [m for m in reversed(list(k.modules.values())) if m.state != MODULE_STATE_UNFORMED]


def _vmlinux_syms(k: "Kernel") -> list["KSym"]:
    """vmlinux's symbols in kallsyms order (by address)."""
    return sorted(k.kallsyms.owner_syms("vmlinux"), key=lambda s: s.addr)


def lookup_name(k: "Kernel", name: str) -> int:
    """kallsyms_lookup_name(): vmlinux first, then module_kallsyms_lookup_name()."""
    for s in _vmlinux_syms(k):
        if s.name == name:
            return s.addr
    modname, colon, sym = name.partition(":")
    for m in _modules_newest_first(k):
        if colon and m.name != modname:
            continue
        for s in k.kallsyms.owner_syms(m.name):
            if s.name == (sym if colon else name):
                return s.addr
        if colon:
            break
    return 0


@kapi()
def kallsyms_lookup_name(k: "Kernel", name: int) -> int:
    return lookup_name(k, k.mem.cstr(name, KSYM_NAME_LEN))


@kapi()
def kallsyms_on_each_symbol(k: "Kernel", fn: int, data: int) -> int:
    """Call FN(data, name, mod, addr) for every symbol, vmlinux's then each module's; stop at
    the first nonzero return and give it back."""
    buf = k.slab.kmalloc(KSYM_NAME_LEN)
    try:
        owners = [("vmlinux", 0, _vmlinux_syms(k))] + [
            (m.name, m.struct_addr, list(k.kallsyms.owner_syms(m.name))) for m in _modules_newest_first(k)]
        for _owner, mod, syms in owners:
            for s in syms:
                k.mem.write(buf, s.name.encode("latin-1", "replace")[:KSYM_NAME_LEN - 1] + b"\0")
                ret = s32(k.run_guest(k.current, fn, (data, buf, mod, s.addr),
                                      via="kallsyms_on_each_symbol"))
                if ret:
                    return ret
        return 0
    finally:
        k.slab.kfree(buf)


def _lookup(k: "Kernel", addr: int) -> "KSym | None":
    return k.kallsyms.lookup(addr)


@kapi()
def kallsyms_lookup_size_offset(k: "Kernel", addr: int, size: int, offset: int) -> int:
    s = _lookup(k, addr)
    if s is None:
        return 0
    if size:
        k.mem.set_u64(size, s.size)
    if offset:
        k.mem.set_u64(offset, addr - s.addr)
    return 1


@kapi()
def kallsyms_lookup(k: "Kernel", addr: int, size: int, offset: int, modname: int, namebuf: int) -> int:
    s = _lookup(k, addr)
    if s is None:
        return 0
    k.mem.write(namebuf, s.name.encode("latin-1", "replace")[:KSYM_NAME_LEN - 1] + b"\0")
    if size:
        k.mem.set_u64(size, s.size)
    if offset:
        k.mem.set_u64(offset, addr - s.addr)
    if modname:
        mod = k.modules.get(s.owner)
        k.mem.set_u64(modname, mod.struct_addr + Module.name.offset if mod is not None else 0)
    return namebuf


def _sprint(k: "Kernel", buf: int, text: str) -> int:
    data = text.encode("latin-1", "replace")
    k.mem.write(buf, data + b"\0")
    return len(data)


@kapi()
def sprint_symbol(k: "Kernel", buf: int, addr: int) -> int:
    return _sprint(k, buf, symbol_text(k, "S", addr))


@kapi()
def sprint_symbol_no_offset(k: "Kernel", buf: int, addr: int) -> int:
    return _sprint(k, buf, symbol_text(k, "s", addr))


@kapi()
def sprint_backtrace(k: "Kernel", buf: int, addr: int) -> int:
    return _sprint(k, buf, symbol_text(k, "B", addr))


@kapi()
def lookup_symbol_name(k: "Kernel", addr: int, symname: int) -> int:
    s = _lookup(k, addr)
    if s is None:
        k.mem.write(symname, b"\0")
        return -Errno.ERANGE
    k.mem.write(symname, s.name.encode("latin-1", "replace")[:KSYM_NAME_LEN - 1] + b"\0")
    return 0
