"""parse_elf() decodes section headers, symbol and relocation tables with struct; they must
agree, entry for entry, with what pyelftools itself reads from the same files."""

from __future__ import annotations

import io

import pytest
from elftools.elf.elffile import ELFFile
from elftools.elf.relocation import RelocationSection
from elftools.elf.sections import SymbolTableSection

from conftest import MODULES, VMLINUX, needs_kernel
from kernel.module.elf import (SHN_ABS, SHN_COMMON, STB_GLOBAL, STB_LOCAL, STB_WEAK, STT_FILE,
                               STT_FUNC, STT_NOTYPE, STT_OBJECT, STT_SECTION, parse_elf)

pytestmark = needs_kernel

_BIND = {"STB_LOCAL": STB_LOCAL, "STB_GLOBAL": STB_GLOBAL, "STB_WEAK": STB_WEAK}
_TYPE = {"STT_NOTYPE": STT_NOTYPE, "STT_OBJECT": STT_OBJECT, "STT_FUNC": STT_FUNC,
         "STT_SECTION": STT_SECTION, "STT_FILE": STT_FILE, "STT_COMMON": 5, "STT_TLS": 6}
_SHN = {"SHN_UNDEF": 0, "SHN_ABS": SHN_ABS, "SHN_COMMON": SHN_COMMON}


def _code(v: object, table: dict[str, int]) -> int:
    return v if isinstance(v, int) else table.get(str(v), 0xFFFF_FFFF)


def _images() -> list:
    return sorted(MODULES.glob("*.ko")) + [VMLINUX]


@pytest.mark.parametrize("path", _images(), ids=lambda p: p.name)
def test_tables_match_pyelftools(path):
    image = path.read_bytes()
    img = parse_elf(image)
    elf = ELFFile(io.BytesIO(image))
    symtab = next(s for s in elf.iter_sections() if isinstance(s, SymbolTableSection))
    want = [(i, s.name, s.entry["st_value"], s.entry["st_size"], _code(s.entry["st_info"]["bind"], _BIND),
             _code(s.entry["st_info"]["type"], _TYPE), _code(s.entry["st_shndx"], _SHN))
            for i, s in enumerate(symtab.iter_symbols())]
    got = [(s.index, s.name, s.value, s.size, s.bind, s.type, s.shndx) for s in img.symbols]
    assert got == want
    assert any(s.name == "init_module" or s.name == "jiffies" for s in img.symbols)
    for idx, sec in enumerate(elf.iter_sections()):
        if not isinstance(sec, RelocationSection):
            continue
        want_r = [(r["r_offset"], r["r_info_type"], r["r_info_sym"], r["r_addend"]) for r in sec.iter_relocations()]
        assert [(r.offset, r.type, r.sym, r.addend) for r in img.relas[idx]] == want_r
    assert sum(len(v) for v in img.relas.values()) > 0


_SHT = {"SHT_NULL": 0, "SHT_PROGBITS": 1, "SHT_SYMTAB": 2, "SHT_STRTAB": 3, "SHT_RELA": 4,
        "SHT_NOTE": 7, "SHT_NOBITS": 8, "SHT_REL": 9, "SHT_GROUP": 17}


@pytest.mark.parametrize("path", _images(), ids=lambda p: p.name)
def test_sections_match_pyelftools(path):
    image = path.read_bytes()
    img = parse_elf(image)
    elf = ELFFile(io.BytesIO(image))
    want = [(i, s.name, _code(s["sh_type"], _SHT), s["sh_flags"], max(s["sh_addralign"], 1), s["sh_size"],
             s["sh_info"], s["sh_link"], b"" if s["sh_type"] == "SHT_NOBITS" else s.data())
            for i, s in enumerate(elf.iter_sections())]
    got = [(s.index, s.name, s.sh_type, s.sh_flags, s.sh_addralign, s.sh_size, s.sh_info, s.sh_link, s.data)
           for s in img.sections]
    assert got == want
    assert {".text", ".symtab", ".strtab"} <= {s.name for s in img.sections}


@pytest.mark.parametrize("path", sorted(MODULES.glob("*.ko")) + sorted((MODULES / "5.4").glob("*.ko")),
                         ids=lambda p: p.parent.name + "/" + p.name)
def test_modinfo_matches_pyelftools(path):
    """.modinfo as pyelftools gives the section: NUL-separated key=value strings, in order."""
    image = path.read_bytes()
    sec = ELFFile(io.BytesIO(image)).get_section_by_name(".modinfo")
    want = [tuple(s.decode().partition("=")[::2]) for s in sec.data().split(b"\0") if s]
    assert parse_elf(image).modinfo == want
    assert ("license", "GPL") in want or any(k == "license" for k, _ in want)
