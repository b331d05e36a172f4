"""klp-convert: turn annotated relocations of a livepatch .ko into livepatch relocations.

A livepatch module may use symbols that the module loader cannot resolve: static
(non-exported) functions and variables of vmlinux or of another module. The module
names them as ordinary `extern` declarations and annotates them, in C, with

    KLP_MODULE_RELOC(livepatch_callbacks_mod) relocs[] = { KLP_SYMPOS(static_helper, 0) };

which puts an array of `struct klp_module_reloc { void *sym; u32 sympos; }` (packed,
12 bytes) into a section `.klp.module_relocs.<objname>`. `convert()` rewrites the
relocatable ELF in place, following Documentation/livepatch/module-elf-format.txt:

* every relocation in `.rela<sec>` against an annotated undefined symbol moves into
  `.klp.rela.<objname><sec>` (SHT_RELA, flags SHF_ALLOC | SHF_INFO_LINK |
  SHF_RELA_LIVEPATCH, sh_link = .symtab, sh_info = the target section), one such
  section per (object, target section); a `.rela` section left empty is removed;
* the symbol becomes `.klp.sym.<objname>.<name>,<sympos>`, GLOBAL, st_shndx
  SHN_LIVEPATCH; symbol indices and order do not change;
* the annotation sections and their `.rela` sections are removed; symbols that were
  defined in them (the annotation array, its section symbol) become absolute
  symbols of value 0, so nothing points at a removed section.
Relocations of non-SHF_ALLOC sections (debug info) are left where they are: the kernel
never applies those, and a livepatch section for them would point at freed memory.

ELF library decision: a small reader/writer of our own (the `_Elf` class below, ~150
lines of `struct`), not LIEF. pyelftools only reads. LIEF (the one well-kept Python
ELF writer) is a ~10 MB compiled dependency whose builder targets executables and
shared libraries; its maintainers describe ELF *object* modification, relocations in
particular, as very limited (lief-project/LIEF#383), while this is exactly and only
what we need. An ET_REL file has no segments and no addresses, so rewriting it is
simple and fully checkable: parse headers, edit section and symbol lists, lay the
sections out again in order and append the section header table. readelf and
pyelftools read the result (tests/test_klp_convert.py).
"""

from __future__ import annotations

import os
import struct
import sys
import tempfile
from pathlib import Path

from kernel.record import record, replace

SHT_NULL, SHT_PROGBITS, SHT_SYMTAB, SHT_STRTAB, SHT_RELA = 0, 1, 2, 3, 4
SHT_NOBITS, SHT_REL, SHT_GROUP, SHT_SYMTAB_SHNDX = 8, 9, 17, 18
SHF_ALLOC = 0x2
SHF_INFO_LINK = 0x40
SHF_LINK_ORDER = 0x80
SHF_RELA_LIVEPATCH = 0x00100000
SHN_UNDEF, SHN_LORESERVE, SHN_ABS, SHN_XINDEX = 0, 0xFF00, 0xFFF1, 0xFFFF
SHN_LIVEPATCH = 0xFF20
STB_LOCAL, STB_GLOBAL = 0, 1
STT_NOTYPE, STT_SECTION = 0, 3
ET_REL, EM_X86_64 = 1, 62
R_X86_64_64 = 1

KLP_RELOC_PREFIX = ".klp.module_relocs."
KLP_RELA_PREFIX = ".klp.rela."
KLP_SYM_PREFIX = ".klp.sym."
KLP_MODULE_RELOC_SIZE = 12          # struct klp_module_reloc, packed
MODULE_NAME_LEN = 56                # the kernel parses objname with %55[^.]
KSYM_NAME_LEN = 128                 # ... and the symbol name with %127[^,]

_EHDR = struct.Struct("<16sHHIQQQIHHHHHH")
_SHDR = struct.Struct("<IIQQQQIIQQ")
_SYM = struct.Struct("<IBBHQQ")
_RELA = struct.Struct("<QQq")


class KlpConvertError(Exception):
    """The module cannot be converted; the message says why (no traceback for users)."""


@record
class _Section:
    name: str
    sh_type: int
    sh_flags: int
    sh_addr: int
    sh_link: int
    sh_info: int
    sh_addralign: int
    sh_entsize: int
    data: bytes
    nobits_size: int = 0

    @property
    def size(self) -> int:
        return self.nobits_size if self.sh_type == SHT_NOBITS else len(self.data)


@record
class _Sym:
    st_name: int
    st_info: int
    st_other: int
    st_shndx: int
    st_value: int
    st_size: int

    @property
    def bind(self) -> int:
        return self.st_info >> 4

    @property
    def type(self) -> int:
        return self.st_info & 0xF


def _cstr(table: bytes, off: int) -> str:
    end = table.find(b"\0", off)
    return table[off:end if end >= 0 else len(table)].decode("utf-8", "surrogateescape")


class _Elf:
    """A little-endian ELF64 relocatable object as a list of sections."""

    def __init__(self, raw: bytes, what: str) -> None:
        if len(raw) < _EHDR.size or raw[:4] != b"\x7fELF":
            raise KlpConvertError(f"{what}: not an ELF file")
        (ident, e_type, e_machine, e_version, _entry, e_phoff, e_shoff, e_flags, _ehsize,
         _phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx) = _EHDR.unpack_from(raw)
        if ident[4] != 2 or ident[5] != 1:
            raise KlpConvertError(f"{what}: not a little-endian ELF64 file")
        if e_type != ET_REL or e_machine != EM_X86_64:
            raise KlpConvertError(f"{what}: not an x86-64 relocatable object")
        if e_phnum or e_phoff:
            raise KlpConvertError(f"{what}: relocatable object with program headers")
        if e_shentsize != _SHDR.size or e_shnum == 0 or e_shoff + e_shnum * _SHDR.size > len(raw):
            raise KlpConvertError(f"{what}: bad section header table")
        if e_shstrndx >= e_shnum:
            raise KlpConvertError(f"{what}: bad section name table index")
        self.ident, self.e_version, self.e_flags = ident, e_version, e_flags
        headers = [_SHDR.unpack_from(raw, e_shoff + i * _SHDR.size) for i in range(e_shnum)]
        sections: list[tuple[tuple[int, ...], bytes]] = []
        for h in headers:
            sh_type, offset, size = h[1], h[4], h[5]
            if sh_type in (SHT_NOBITS, SHT_NULL):
                data = b""
            elif offset + size > len(raw):
                raise KlpConvertError(f"{what}: section data outside the file")
            else:
                data = raw[offset:offset + size]
            sections.append((h, data))
        shstr = sections[e_shstrndx][1]
        self.sections = [
            _Section(name=_cstr(shstr, h[0]), sh_type=h[1], sh_flags=h[2], sh_addr=h[3],
                     sh_link=h[6], sh_info=h[7], sh_addralign=h[8], sh_entsize=h[9],
                     data=data, nobits_size=h[5] if h[1] == SHT_NOBITS else 0)
            for h, data in sections]
        self.shstrndx = e_shstrndx

    def write(self) -> bytes:
        """Lay the sections out in order after the ELF header, then the header table."""
        names = bytearray(b"\0")
        name_off: dict[str, int] = {"": 0}
        for sec in self.sections:
            if sec.name not in name_off:
                name_off[sec.name] = len(names)
                names += sec.name.encode("utf-8", "surrogateescape") + b"\0"
        self.sections[self.shstrndx].data = bytes(names)

        out = bytearray(_EHDR.size)
        headers = [bytes(_SHDR.size)]
        for sec in self.sections[1:]:
            align = max(sec.sh_addralign, 1)
            offset = -(-len(out) // align) * align
            if sec.sh_type != SHT_NOBITS:
                out += bytes(offset - len(out))
                out += sec.data
            headers.append(_SHDR.pack(name_off[sec.name], sec.sh_type, sec.sh_flags, sec.sh_addr,
                                      offset, sec.size, sec.sh_link, sec.sh_info,
                                      sec.sh_addralign, sec.sh_entsize))
        out += bytes(-len(out) % 8)
        shoff = len(out)
        out += b"".join(headers)
        _EHDR.pack_into(out, 0, self.ident, ET_REL, EM_X86_64, self.e_version, 0, 0, shoff,
                        self.e_flags, _EHDR.size, 0, 0, _SHDR.size, len(self.sections),
                        self.shstrndx)
        return bytes(out)


@record(frozen=True)
class _Annotation:
    objname: str
    sympos: int


def _symbol_label(elf: _Elf, syms: list[_Sym], strtab: bytes, idx: int, addend: int = 0) -> str:
    """A readable name for symbol IDX (a section symbol shows as section+addend)."""
    sym = syms[idx]
    if sym.type == STT_SECTION and 0 < sym.st_shndx < len(elf.sections):
        sec = sym.st_shndx
        for other in syms:
            if other.st_shndx == sec and other.type != STT_SECTION and other.st_value == addend:
                return _cstr(strtab, other.st_name)
        return f"{elf.sections[sec].name}+{addend:#x}"
    return _cstr(strtab, sym.st_name)


def _read_annotations(elf: _Elf, what: str, syms: list[_Sym], strtab: bytes,
                      reloc_secs: list[int]) -> dict[int, _Annotation]:
    """Symbol index -> (object, position) from every .klp.module_relocs.<obj> section."""
    found: dict[int, _Annotation] = {}
    for idx in reloc_secs:
        sec = elf.sections[idx]
        objname = sec.name[len(KLP_RELOC_PREFIX):]
        where = f"{what}: section {sec.name}"
        if not objname or "." in objname or "," in objname:
            raise KlpConvertError(f"{where}: bad object name '{objname}'")
        if len(objname.encode()) >= MODULE_NAME_LEN:
            raise KlpConvertError(f"{where}: object name longer than {MODULE_NAME_LEN - 1} characters")
        if sec.sh_type != SHT_PROGBITS or len(sec.data) % KLP_MODULE_RELOC_SIZE:
            raise KlpConvertError(f"{where}: size {sec.size} is not a whole number of "
                                  f"{KLP_MODULE_RELOC_SIZE}-byte struct klp_module_reloc entries")
        relas: list[tuple[int, int, int]] = []
        for rsec in elf.sections:
            if rsec.sh_type == SHT_REL and rsec.sh_info == idx:
                raise KlpConvertError(f"{where}: SHT_REL relocations are not supported")
            if rsec.sh_type == SHT_RELA and rsec.sh_info == idx:
                relas.extend(_RELA.iter_unpack(rsec.data))
        by_offset: dict[int, tuple[int, int, int]] = {}
        for r_offset, r_info, r_addend in relas:
            if r_offset % KLP_MODULE_RELOC_SIZE or r_offset in by_offset:
                raise KlpConvertError(f"{where}: unexpected relocation at offset {r_offset:#x}")
            by_offset[r_offset] = (r_info >> 32, r_info & 0xFFFFFFFF, r_addend)
        for entry in range(len(sec.data) // KLP_MODULE_RELOC_SIZE):
            off = entry * KLP_MODULE_RELOC_SIZE
            (sympos,) = struct.unpack_from("<I", sec.data, off + 8)
            if off not in by_offset:
                raise KlpConvertError(f"{where}: entry {entry} names no symbol (.sym must be &symbol)")
            symidx, rtype, addend = by_offset[off]
            if symidx == 0 or symidx >= len(syms):
                raise KlpConvertError(f"{where}: entry {entry} has a bad symbol index {symidx}")
            label = _symbol_label(elf, syms, strtab, symidx, addend)
            if rtype != R_X86_64_64 or addend != 0:
                raise KlpConvertError(f"{where}: entry {entry} ({label}) must be the plain "
                                      f"address of a symbol")
            sym = syms[symidx]
            if sym.st_shndx != SHN_UNDEF:
                raise KlpConvertError(f"{what}: symbol '{label}' is annotated for object "
                                      f"'{objname}' but is defined in this module")
            name = _cstr(strtab, sym.st_name)
            if len(name.encode()) >= KSYM_NAME_LEN or "," in name:
                raise KlpConvertError(f"{what}: symbol name '{name}' cannot be a livepatch symbol")
            new = _Annotation(objname, sympos)
            old = found.get(symidx)
            if old is not None and old != new:
                raise KlpConvertError(
                    f"{what}: symbol '{name}' is annotated twice: object '{old.objname}' "
                    f"position {old.sympos} and object '{new.objname}' position {new.sympos}")
            found[symidx] = new
    return found


def _convert_elf(elf: _Elf, what: str) -> bool:
    reloc_secs = [i for i, s in enumerate(elf.sections) if s.name.startswith(KLP_RELOC_PREFIX)]
    if not reloc_secs:
        return False
    symtabs = [i for i, s in enumerate(elf.sections) if s.sh_type == SHT_SYMTAB]
    if len(symtabs) != 1:
        raise KlpConvertError(f"{what}: expected one symbol table, found {len(symtabs)}")
    if any(s.sh_type == SHT_SYMTAB_SHNDX for s in elf.sections):
        raise KlpConvertError(f"{what}: extended section indices are not supported")
    symtab_idx = symtabs[0]
    symtab = elf.sections[symtab_idx]
    strtab_sec = elf.sections[symtab.sh_link]
    strtab = strtab_sec.data
    syms = [_Sym(*s) for s in _SYM.iter_unpack(symtab.data)]

    annotations = _read_annotations(elf, what, syms, strtab, reloc_secs)

    # Sections to drop: the annotations and their relocation sections.
    drop = set(reloc_secs)
    drop |= {i for i, s in enumerate(elf.sections)
             if s.sh_type in (SHT_RELA, SHT_REL) and s.sh_info in reloc_secs}
    dropped_syms = {i for i, s in enumerate(syms) if s.st_shndx in drop}

    # Split every other .rela section: annotated relocations move to .klp.rela.<obj><sec>.
    new_secs: list[tuple[_Section, int]] = []   # (section, old index of its target)
    for idx, sec in enumerate(elf.sections):
        if sec.sh_type != SHT_RELA or idx in drop:
            continue
        target = sec.sh_info
        keep: list[bytes] = []
        moved: dict[str, list[bytes]] = {}
        for r_offset, r_info, r_addend in _RELA.iter_unpack(sec.data):
            symidx = r_info >> 32
            if symidx in dropped_syms:
                raise KlpConvertError(f"{what}: {sec.name} refers to the klp_module_reloc "
                                      f"annotation array, which klp-convert removes")
            ann = annotations.get(symidx)
            entry = _RELA.pack(r_offset, r_info, r_addend)
            if ann is None or not elf.sections[target].sh_flags & SHF_ALLOC:
                keep.append(entry)
            else:
                moved.setdefault(ann.objname, []).append(entry)
        if not moved:
            continue
        sec.data = b"".join(keep)
        if not keep:
            drop.add(idx)
        tname = elf.sections[target].name
        for objname, entries in moved.items():
            name = KLP_RELA_PREFIX + objname + (tname if tname.startswith(".") else "." + tname)
            new_secs.append((_Section(
                name=name, sh_type=SHT_RELA,
                sh_flags=SHF_ALLOC | SHF_INFO_LINK | SHF_RELA_LIVEPATCH, sh_addr=0,
                sh_link=symtab_idx, sh_info=target, sh_addralign=8, sh_entsize=_RELA.size,
                data=b"".join(entries)), target))

    # Livepatch symbols; symbols of removed sections become absolute zeroes.
    strtab_new = bytearray(strtab)
    for symidx, ann in annotations.items():
        sym = syms[symidx]
        if symidx < symtab.sh_info:
            raise KlpConvertError(f"{what}: annotated symbol '{_cstr(strtab, sym.st_name)}' is local")
        name = f"{KLP_SYM_PREFIX}{ann.objname}.{_cstr(strtab, sym.st_name)},{ann.sympos}"
        syms[symidx] = replace(sym, st_name=len(strtab_new),
                               st_info=(STB_GLOBAL << 4) | STT_NOTYPE,
                               st_shndx=SHN_LIVEPATCH, st_value=0, st_size=0)
        strtab_new += name.encode("utf-8", "surrogateescape") + b"\0"
    for symidx in dropped_syms:
        sym = syms[symidx]
        info = (sym.bind << 4) | (STT_NOTYPE if sym.type == STT_SECTION else sym.type)
        syms[symidx] = replace(sym, st_info=info, st_shndx=SHN_ABS, st_value=0, st_size=0)

    # New section order: kept sections, with the .klp.rela sections just before .symtab.
    order = [i for i in range(len(elf.sections)) if i not in drop]
    at = order.index(symtab_idx)
    old_to_new = {old: new for new, old in enumerate(order[:at])}
    old_to_new.update({old: new + at + len(new_secs) for new, old in enumerate(order[at:])})

    def remap(old: int, who: str) -> int:
        if old not in old_to_new:
            raise KlpConvertError(f"{what}: {who} refers to a removed section")
        return old_to_new[old]

    kept = [elf.sections[i] for i in order]
    for sec in kept[1:]:
        if sec.sh_type in (SHT_RELA, SHT_REL, SHT_SYMTAB, SHT_GROUP) or sec.sh_flags & SHF_LINK_ORDER:
            sec.sh_link = remap(sec.sh_link, sec.name)
        if sec.sh_type in (SHT_RELA, SHT_REL) or sec.sh_flags & SHF_INFO_LINK:
            sec.sh_info = remap(sec.sh_info, sec.name)
        if sec.sh_type == SHT_GROUP:
            words = struct.unpack(f"<{len(sec.data) // 4}I", sec.data)
            members = [old_to_new[m] for m in words[1:] if m in old_to_new]
            sec.data = struct.pack(f"<{1 + len(members)}I", words[0], *members)
    for sec, target in new_secs:
        sec.sh_link = remap(symtab_idx, sec.name)
        sec.sh_info = remap(target, sec.name)
    for i, sym in enumerate(syms):
        if SHN_UNDEF < sym.st_shndx < SHN_LORESERVE:
            syms[i] = replace(sym, st_shndx=remap(sym.st_shndx, f"symbol {i}"))

    symtab.data = b"".join(_SYM.pack(s.st_name, s.st_info, s.st_other, s.st_shndx, s.st_value,
                                     s.st_size) for s in syms)
    strtab_sec.data = bytes(strtab_new)
    elf.shstrndx = remap(elf.shstrndx, "e_shstrndx")
    elf.sections = kept[:at] + [s for s, _ in new_secs] + kept[at:]
    return True


def convert(ko: Path) -> bool:
    """Convert the livepatch module KO in place; False (file untouched) if it has no annotations.

    Raises KlpConvertError for a malformed module or annotation.
    """
    ko = Path(ko)
    raw = ko.read_bytes()
    elf = _Elf(raw, ko.name)
    if not _convert_elf(elf, ko.name):
        return False
    out = elf.write()
    fd, tmp = tempfile.mkstemp(prefix=ko.name + ".", suffix=".tmp", dir=ko.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(out)
        os.chmod(tmp, ko.stat().st_mode & 0o7777)
        os.replace(tmp, ko)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def main(argv: list[str] | None = None) -> int:
    """`python -m kernel.klp_convert FILE.ko...`: convert in place, errors without traceback."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m kernel.klp_convert FILE.ko...", file=sys.stderr)
        return 2
    status = 0
    for name in args:
        try:
            changed = convert(Path(name))
        except (KlpConvertError, OSError) as e:
            print(f"klp-convert: {e}", file=sys.stderr)
            status = 1
            continue
        print(f"{name}: {'converted' if changed else 'no klp annotations'}")
    return status


if __name__ == "__main__":
    sys.exit(main())
