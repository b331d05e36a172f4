"""mod->klp_info: the ELF pieces a livepatch module keeps for late relocation
(copy_module_elf in kernel/module.c, apply of .klp.rela sections for klp core.c)."""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from kernel.livepatch.reloc import KlpInfo, KlpSection, KlpSymbol
from kernel.module.reloc import apply_relocate_add

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.module.elf import ElfImage
    from kernel.module.main import Module

_RELA = struct.Struct("<QQq")
_ImagePieces = tuple[tuple[KlpSection, ...], tuple[str, ...], tuple[int, ...], tuple[int, ...],
                     tuple[int, ...]]


def copy_module_elf(k: "Kernel", mod: "Module") -> KlpInfo:
    """mod->klp_info: symbols of this load (resolving an object's relocations writes their
    values), sections and section addresses."""
    sections, names, sizes, infos, shndxs = _image_pieces(mod.image)
    symbols = list(map(KlpSymbol, names, mod.sym_values, sizes, infos, shndxs))
    return KlpInfo(list(sections), symbols, dict(mod.section_addr))


def _image_pieces(img: "ElfImage") -> _ImagePieces:
    """What every load of IMG puts in its klp_info alike, kept with the image: its KlpSections
    (shared: nothing writes them) and its symbols' names, sizes, st_info and sections."""
    pieces: _ImagePieces | None = img.__dict__.get("_klp_pieces")
    if pieces is None:
        sections = tuple(KlpSection(s.index, s.name, s.sh_type, s.sh_flags, s.sh_info, s.sh_link,
                                    s.data if s.sh_type == 4 else b"") for s in img.sections)
        syms = img.symbols
        pieces = img.__dict__["_klp_pieces"] = (
            sections, tuple(s.name for s in syms), tuple(s.size for s in syms),
            tuple(s.info for s in syms), tuple(s.shndx for s in syms))
    return pieces


def apply_klp_section(k: "Kernel", mod: "Module", sec: KlpSection, info: KlpInfo) -> None:
    """apply_relocate_add() for one .klp.rela section.

    Nothing clears what an earlier application wrote: 4.19 and 5.4 leave the patch module's
    text as it is when a target module goes (klp_free_object_loaded() forgets only obj->mod
    and old_func), so when that module comes again the places are not zero and x86's
    apply_relocate_add() refuses them ("Skipping invalid relocation target"): the module is
    refused (klp_module_coming).  Kernels from 6.3 clear them (klp_clear_object_relocs).
    """
    base = info.section_addr.get(sec.sh_info)
    if base is None:
        return
    target = mod.image.sections[sec.sh_info]
    entries = []
    for off, r_info, addend in _RELA.iter_unpack(sec.data[: len(sec.data) // 24 * 24]):
        rtype, sym = r_info & 0xFFFFFFFF, r_info >> 32
        entries.append((off, rtype, info.symbols[sym].value if sym < len(info.symbols) else 0, addend))
    apply_relocate_add(k.mem, base, entries, mod.name, k.log.err, (target.name, target.sh_size),
                       k.fmt_ptr)
    if entries:
        lo, hi = min(e[0] for e in entries), max(e[0] for e in entries) + 8
        k.cpu.invalidate(base + lo, hi - lo)
