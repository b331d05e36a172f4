"""Parse a .ko once (pyelftools) into plain data the loader works from; cached by content."""

from __future__ import annotations

import hashlib
import io
import struct
from dataclasses import dataclass, field
from typing import Any

from elftools.common.exceptions import ELFError
from elftools.elf.elffile import ELFFile
from elftools.elf.enums import ENUM_ST_INFO_BIND, ENUM_ST_INFO_TYPE
from elftools.elf.sections import SymbolTableSection

from kernel.errno import Errno, KernelError

SHF_WRITE = 0x1
SHF_ALLOC = 0x2
SHF_EXECINSTR = 0x4
SHF_RELA_LIVEPATCH = 0x0010_0000
SHN_UNDEF = 0
SHN_LIVEPATCH = 0xFF20
SHN_ABS = 0xFFF1
SHN_COMMON = 0xFFF2
SHT_NOBITS = 8
SHT_RELA = 4
SHT_REL = 9
SHT_SYMTAB = 2
STB_LOCAL, STB_GLOBAL, STB_WEAK = 0, 1, 2
STT_NOTYPE, STT_OBJECT, STT_FUNC, STT_SECTION, STT_FILE = 0, 1, 2, 3, 4
EM_X86_64 = 62


@dataclass
class Section:
    index: int
    name: str
    sh_type: int
    sh_flags: int
    sh_addralign: int
    sh_size: int
    sh_info: int
    sh_link: int
    data: bytes


@dataclass
class Symbol:
    index: int
    name: str
    value: int
    size: int
    bind: int
    type: int
    shndx: int

    @property
    def info(self) -> int:
        return (self.bind << 4) | self.type


@dataclass
class Rela:
    offset: int
    type: int
    sym: int
    addend: int


@dataclass
class ElfImage:
    """What the loader needs from a relocatable module object."""

    sections: list[Section]
    symbols: list[Symbol]
    relas: dict[int, list[Rela]] = field(default_factory=dict)  # rela section index -> entries
    modinfo: list[tuple[str, str]] = field(default_factory=list)

    def section(self, name: str) -> Section | None:
        for s in self.sections:
            if s.name == name:
                return s
        return None

    def find_sec(self, name: str) -> Section | None:
        """kernel/module.c find_sec(): the SHF_ALLOC section NAME (others are never loaded)."""
        for s in self.sections:
            if s.sh_flags & SHF_ALLOC and s.name == name:
                return s
        return None

    def get_modinfo(self, tag: str) -> str | None:
        for k, v in self.modinfo:
            if k == tag:
                return v
        return None


class ElfFormatError(KernelError):
    """The image is not a loadable module (-ENOEXEC); LOG is what the kernel prints, if anything."""

    def __init__(self, msg: str, log: str | None = None) -> None:
        super().__init__(Errno.ENOEXEC, msg)
        self.log = log


def _noexec(msg: str, log: str | None = None) -> ElfFormatError:
    return ElfFormatError(msg, log)


def parse_elf(image: bytes) -> ElfImage:
    """elf_header_check + section/symbol/relocation parsing; ENOEXEC on anything malformed."""
    if len(image) < 64 or image[:4] != b"\x7fELF":
        raise _noexec("not an ELF file")
    if image[4] != 2 or image[5] != 1:
        raise _noexec("not ELF64 little-endian")
    try:
        elf = ELFFile(io.BytesIO(image))
        if elf["e_type"] != "ET_REL" or elf["e_machine"] != "EM_X86_64":
            raise _noexec("not an x86-64 relocatable object")
        if elf["e_shentsize"] != 64:
            raise _noexec("bad section header size")
        if elf["e_shoff"] >= len(image) or elf["e_shnum"] * 64 > len(image) - elf["e_shoff"]:
            raise _noexec("section headers truncated")
        sections: list[Section] = []
        elf_sections = list(elf.iter_sections())  # each pass re-parses every header: one pass
        for i, s in enumerate(elf_sections):
            h = s.header
            nobits = h["sh_type"] == "SHT_NOBITS"
            if not nobits and h["sh_offset"] + h["sh_size"] > len(image):
                raise _noexec(f"section {s.name} truncated", f"Module len {len(image)} truncated")
            sh_type = h["sh_type"]
            sections.append(Section(
                i, s.name, _num(sh_type, _SHT), h["sh_flags"], max(h["sh_addralign"], 1),
                h["sh_size"], h["sh_info"] if isinstance(h["sh_info"], int) else 0,
                h["sh_link"] if isinstance(h["sh_link"], int) else 0,
                b"" if nobits else s.data()))
        symtab = next((s for s in elf_sections if s.header["sh_type"] == "SHT_SYMTAB"), None)
        # none: the loader reports "module has no symbols (stripped?)"
        symbols = _read_symbols(image, symtab) if symtab is not None else []
        relas: dict[int, list[Rela]] = {}
        for sec, s in zip(sections, elf_sections):
            if sec.sh_type == SHT_REL:
                raise _noexec("REL relocation unsupported")
            if sec.sh_type == SHT_RELA:
                relas[sec.index] = _read_relas(image, s)
    except KernelError:
        raise
    except (ELFError, ValueError, KeyError, IndexError, TypeError, AttributeError, AssertionError,
            OverflowError, UnicodeDecodeError, Exception) as e:  # pyelftools raises many kinds
        raise _noexec(f"malformed ELF: {e}") from None
    img = ElfImage(sections, symbols, relas)
    info = img.section(".modinfo")
    if info is not None:
        for entry in info.data.split(b"\0"):
            if b"=" in entry:
                k, _, v = entry.decode("latin-1").partition("=")
                img.modinfo.append((k, v))
    return img


# Symbol and relocation tables are decoded in bulk from the image (pyelftools' entry-by-entry
# parsing was most of a module's load time); pyelftools still reads the headers and sections.
_SYM = struct.Struct("<IBBHQQ")   # Elf64_Sym: st_name, st_info, st_other, st_shndx, st_value, st_size
_RELA = struct.Struct("<QQq")     # Elf64_Rela: r_offset, r_info, r_addend


def _read_symbols(image: bytes, symtab: SymbolTableSection) -> list[Symbol]:
    """Every entry of SYMTAB, with the values pyelftools' Symbol entries give (via _num)."""
    h = symtab.header
    base, entsize = h["sh_offset"], h["sh_entsize"]
    names = symtab.stringtable["sh_offset"]
    out = []
    for i in range(h["sh_size"] // entsize):
        st_name, info, _other, shndx, value, size = _SYM.unpack_from(image, base + i * entsize)
        out.append(Symbol(i, _cstring(image, names + st_name), value, size,
                          _BIND[info >> 4], _TYPE[info & 0xF], shndx))
    return out


def _read_relas(image: bytes, sec: Any) -> list[Rela]:
    h = sec.header
    n = h["sh_size"] // _RELA.size
    data = image[h["sh_offset"]:h["sh_offset"] + n * _RELA.size]
    return [Rela(off, info & 0xFFFF_FFFF, info >> 32, addend)
            for off, info, addend in _RELA.iter_unpack(data)]


def _cstring(image: bytes, pos: int) -> str:
    """A string table entry as pyelftools reads it (to the NUL; empty if there is none)."""
    end = image.find(b"\0", pos)
    return image[pos:end].decode("utf-8", errors="replace") if end > pos else ""


_SHT = {"SHT_NULL": 0, "SHT_PROGBITS": 1, "SHT_SYMTAB": 2, "SHT_STRTAB": 3, "SHT_RELA": 4,
        "SHT_HASH": 5, "SHT_DYNAMIC": 6, "SHT_NOTE": 7, "SHT_NOBITS": 8, "SHT_REL": 9,
        "SHT_GROUP": 17, "SHT_INIT_ARRAY": 14, "SHT_FINI_ARRAY": 15, "SHT_SYMTAB_SHNDX": 18}
_STB = {"STB_LOCAL": 0, "STB_GLOBAL": 1, "STB_WEAK": 2}
_STT = {"STT_NOTYPE": 0, "STT_OBJECT": 1, "STT_FUNC": 2, "STT_SECTION": 3, "STT_FILE": 4,
        "STT_COMMON": 5, "STT_TLS": 6}
_SHN = {"SHN_UNDEF": 0, "SHN_ABS": SHN_ABS, "SHN_COMMON": SHN_COMMON}


def _num(v: object, table: dict[str, int]) -> int:
    if isinstance(v, int):
        return v
    return table.get(str(v), 0xFFFF_FFFF)


def _by_value(enum: dict[str, Any], table: dict[str, int]) -> list[int]:
    """What _num gives for each 4-bit st_info field value pyelftools would decode via ENUM."""
    named = {v: k for k, v in enum.items() if not k.startswith("_")}
    return [_num(named.get(v, v), table) for v in range(16)]


_BIND = _by_value(ENUM_ST_INFO_BIND, _STB)
_TYPE = _by_value(ENUM_ST_INFO_TYPE, _STT)


class ElfCache:
    """Parsed images by SHA-256 of their bytes: a .ko is parsed once per process."""

    def __init__(self) -> None:
        self._images: dict[bytes, ElfImage] = {}

    def parse(self, image: bytes) -> ElfImage:
        key = hashlib.sha256(image).digest()
        img = self._images.get(key)
        if img is None:
            img = self._images[key] = parse_elf(image)
        return img
