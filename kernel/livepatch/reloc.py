"""Livepatch relocations: resolve `.klp.sym.*` symbols, apply `.klp.rela.*` sections.

The kernel half of Documentation/livepatch/module-elf-format.txt, as 4.19's
kernel/livepatch/core.c does it (klp_find_object_symbol, klp_resolve_symbols,
klp_write_object_relocations). Everything here is pure: the symbol walk
(kallsyms), the arch relocator (apply_relocate_add) and pr_err are passed in, so
the functions run without a machine. The module loader keeps a `KlpInfo` for every
livepatch module (the kernel's mod->klp_info plus the full symbol table).

Names are parsed with the kernel's own sscanf (lib/vsprintf.c), whose rules differ
from glibc's: `%N[` needs a width and takes at most N characters, `%lu` takes no
sign and wraps on overflow, trailing input is ignored. `kernel_sscanf_klp()` below
reproduces exactly the two formats livepatch uses.
"""

from __future__ import annotations

import struct
from typing import Callable, Iterable

from kernel.errno import Errno, KernelError
from kernel.record import field, record

__all__ = ["SHF_RELA_LIVEPATCH", "SHN_LIVEPATCH", "KlpSection", "KlpSymbol", "KlpInfo",
           "klp_find_object_symbol", "klp_resolve_symbols", "klp_write_object_relocations",
           "scan_klp_sym", "scan_klp_rela"]

SHF_RELA_LIVEPATCH = 0x00100000
SHN_LIVEPATCH = 0xFF20
MODULE_NAME_LEN = 56   # objname buffer: "%55[^.]"
KSYM_NAME_LEN = 128    # symname buffer: "%127[^,]"
KLP_RELA_PREFIX = ".klp.rela."
KLP_SYM_PREFIX = ".klp.sym."
ELF64_RELA = struct.Struct("<QQq")   # r_offset, r_info, r_addend
ULONG_MASK = (1 << 64) - 1

SymbolsOf = Callable[[str | None], Iterable[tuple[str, int]]]
PrErr = Callable[[str], None]


@record(eq=False)
class KlpSection:
    """One section header of the patch module (plus its bytes), as klp_info keeps it."""

    index: int
    name: str
    sh_type: int
    sh_flags: int
    sh_info: int
    sh_link: int
    data: bytes


@record(eq=False)
class KlpSymbol:
    """One Elf64_Sym of the patch module's (complete, order-preserving) symbol table."""

    name: str
    value: int
    size: int
    info: int
    shndx: int


@record(eq=False)
class KlpInfo:
    """mod->klp_info: the patch module's sections, symbols and where sections were loaded."""

    sections: list[KlpSection]
    symbols: list[KlpSymbol]
    section_addr: dict[int, int] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------
# The kernel's vsscanf, limited to the pieces livepatch's two formats use.

def _raw(s: str) -> bytes:
    """The C string behind S (up to its first NUL): the kernel scans bytes, not characters."""
    return s.encode("utf-8", "surrogateescape").split(b"\0", 1)[0]


def _text(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape")


def _scan_set_excluding(s: bytes, pos: int, width: int, stop: int) -> tuple[bytes, int] | None:
    """`%<width>[^<stop>]`: 1..width bytes that are not STOP; None if none matched."""
    end = pos
    while end < len(s) and end - pos < width and s[end] != stop:
        end += 1
    if end == pos:
        return None
    return s[pos:end], end


def _scan_ulong(s: bytes, pos: int) -> int | None:
    """`%lu`: skip white space, then decimal digits (no sign accepted), modulo 2**64."""
    while pos < len(s) and s[pos] in b" \t\n\v\f\r":
        pos += 1
    end = pos
    while end < len(s) and 0x30 <= s[end] <= 0x39:
        end += 1
    if end == pos:
        return None
    return int(s[pos:end]) & ULONG_MASK


def scan_klp_sym(name: str) -> tuple[str, str, int] | None:
    """sscanf(name, ".klp.sym.%55[^.].%127[^,],%lu"): (objname, symname, sympos) or None.

    None stands for any count other than 3, which is all the caller looks at.
    Anything after the number is ignored, as sscanf does.
    """
    s = _raw(name)
    prefix = KLP_SYM_PREFIX.encode()
    if not s.startswith(prefix):
        return None
    got = _scan_set_excluding(s, len(prefix), MODULE_NAME_LEN - 1, ord("."))
    if got is None:
        return None
    objname, pos = got
    if s[pos:pos + 1] != b".":
        return None
    got = _scan_set_excluding(s, pos + 1, KSYM_NAME_LEN - 1, ord(","))
    if got is None:
        return None
    symname, pos = got
    if s[pos:pos + 1] != b",":
        return None
    sympos = _scan_ulong(s, pos + 1)
    if sympos is None:
        return None
    return _text(objname), _text(symname), sympos


def scan_klp_rela(secname: str) -> str | None:
    """sscanf(secname, ".klp.rela.%55[^.]"): the object name, or None if not 1 field."""
    s = _raw(secname)
    prefix = KLP_RELA_PREFIX.encode()
    if not s.startswith(prefix):
        return None
    got = _scan_set_excluding(s, len(prefix), MODULE_NAME_LEN - 1, ord("."))
    return None if got is None else _text(got[0])


# ---------------------------------------------------------------------------------------

def _c_str(s: str | None) -> str:
    """How printk's %s shows a C string pointer (NULL prints "(null)")."""
    return "(null)" if s is None else s


def klp_find_object_symbol(symbols_of: SymbolsOf, objname: str | None, name: str,
                           sympos: int, pr_err: PrErr) -> int:
    """Address of the SYMPOS-th NAME in OBJNAME (None = vmlinux), in kallsyms order.

    sympos 0 means "must be unique": the walk stops at a second match. Raises
    KernelError(EINVAL) after printing one of the kernel's three messages.
    """
    count = 0
    addr = 0
    for sym_name, sym_addr in symbols_of(objname):
        if sym_name != name:
            continue
        addr = sym_addr
        count += 1
        if (sympos and count == sympos) or (not sympos and count > 1):
            break

    if addr == 0:
        pr_err(f"symbol '{name}' not found in symbol table\n")
    elif count > 1 and sympos == 0:
        pr_err(f"unresolvable ambiguity for symbol '{name}' in object '{_c_str(objname)}'\n")
    elif sympos > 0 and sympos != count:
        obj = objname if objname is not None else "vmlinux"
        pr_err(f"symbol position {sympos} for symbol '{name}' in object '{obj}' not found\n")
    else:
        return addr
    raise KernelError(Errno.EINVAL, f"cannot resolve symbol '{name}'")


def _relas(sec: KlpSection) -> Iterable[tuple[int, int, int]]:
    """The (r_offset, r_info, r_addend) entries of a SHT_RELA section."""
    usable = len(sec.data) - len(sec.data) % ELF64_RELA.size
    return ELF64_RELA.iter_unpack(sec.data[:usable])


def klp_resolve_symbols(relasec: KlpSection, info: KlpInfo, symbols_of: SymbolsOf,
                        pr_err: PrErr) -> None:
    """Resolve every livepatch symbol RELASEC refers to; store addresses in st_value."""
    for _offset, r_info, _addend in _relas(relasec):
        symidx = r_info >> 32
        if symidx >= len(info.symbols):
            raise KernelError(Errno.ENOEXEC, f"{relasec.name}: symbol index {symidx} out of range")
        sym = info.symbols[symidx]
        if sym.shndx != SHN_LIVEPATCH:
            pr_err(f"symbol {sym.name} is not marked as a livepatch symbol\n")
            raise KernelError(Errno.EINVAL, f"{sym.name}: not a livepatch symbol")
        parsed = scan_klp_sym(sym.name)
        if parsed is None:
            pr_err(f"symbol {sym.name} has an incorrectly formatted name\n")
            raise KernelError(Errno.EINVAL, f"{sym.name}: bad livepatch symbol name")
        objname, symname, sympos = parsed
        target = None if objname == "vmlinux" else objname
        sym.value = klp_find_object_symbol(symbols_of, target, symname, sympos, pr_err)


def klp_write_object_relocations(info: KlpInfo, objname: str | None, symbols_of: SymbolsOf,
                                 apply_relocate_add: Callable[[KlpSection, KlpInfo], None],
                                 pr_err: PrErr) -> None:
    """Apply the patch module's `.klp.rela.<objname>.*` sections for one loaded object.

    OBJNAME None is vmlinux. Sections are visited in section-header order (index 0, the
    null section, is skipped); the first error stops the walk and propagates.
    """
    want = objname if objname is not None else "vmlinux"
    for sec in info.sections:
        if sec.index == 0 or not sec.sh_flags & SHF_RELA_LIVEPATCH:
            continue
        sec_objname = scan_klp_rela(sec.name)
        if sec_objname is None:
            pr_err(f"section {sec.name} has an incorrectly formatted name\n")
            raise KernelError(Errno.EINVAL, f"{sec.name}: bad livepatch section name")
        if sec_objname != want:
            continue
        klp_resolve_symbols(sec, info, symbols_of, pr_err)
        apply_relocate_add(sec, info)
