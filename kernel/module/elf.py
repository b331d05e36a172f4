"""Parse a .ko once into plain data the loader works from; cached by content."""

from __future__ import annotations

import struct
from kernel.errno import Errno, KernelError
from kernel.record import RecordTuple, field, record

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


@record
class Section:
    """One section header of the object, with its contents."""

    index: int
    name: str
    sh_type: int
    sh_flags: int
    sh_addralign: int
    sh_size: int
    sh_info: int
    sh_link: int
    data: bytes


@record
class Symbol:
    """One .symtab entry (value as in the object: section-relative)."""

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


class Rela(RecordTuple):
    """One Elf64_Rela entry of a relocation section."""

    offset: int
    type: int
    sym: int
    addend: int


@record(eq=False)
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

    def relocated(self) -> dict[tuple[int, int, tuple[int, ...], bytes], bytes]:
        """What each relocation section made of its target, by (rela section index, target
        address, the symbols' values, the target's bytes before): a load of this image in
        another machine of the process that is the same in all of these writes the same
        bytes (one that failed is not kept: it is applied again, to say why)."""
        memo = self.__dict__.get("_relocated")
        if memo is None:
            memo = self.__dict__["_relocated"] = {}
        return memo


class DeferredElfImage(ElfImage):
    """The ElfImage of an object's bytes, parsed when first read: vmlinux's, which a boot from
    a stored link (kernel.bootimage) does not otherwise need. (It holds no ElfCache: the image
    is shared by every machine of the process booted from that link.)"""

    def __init__(self, image: bytes) -> None:       # (the fields are read through)
        self.__dict__["_source"] = image

    def parsed(self) -> ElfImage:
        """The image itself (parsed on the first call)."""
        image = self.__dict__.get("_image")
        if image is None:
            image = self.__dict__["_image"] = parse_elf(self.__dict__["_source"])
        return image

    sections = property(lambda self: self.parsed().sections)        # type: ignore[assignment]
    symbols = property(lambda self: self.parsed().symbols)          # type: ignore[assignment]
    relas = property(lambda self: self.parsed().relas)              # type: ignore[assignment]
    modinfo = property(lambda self: self.parsed().modinfo)          # type: ignore[assignment]


class ElfFormatError(KernelError):
    """The image is not a loadable module (-ENOEXEC); LOG is what the kernel prints, if anything."""

    def __init__(self, msg: str, log: str | None = None) -> None:
        super().__init__(Errno.ENOEXEC, msg)
        self.log = log


def _noexec(msg: str, log: str | None = None) -> ElfFormatError:
    return ElfFormatError(msg, log)


_EHDR = struct.Struct("<16sHHIQQQIHHHHHH")  # Elf64_Ehdr
_SHDR = struct.Struct("<IIQQQQIIQQ")        # Elf64_Shdr: name type flags addr offset size link info addralign entsize
_SYM = struct.Struct("<IBBHQQ")             # Elf64_Sym: st_name, st_info, st_other, st_shndx, st_value, st_size
_RELA = struct.Struct("<QQq")               # Elf64_Rela: r_offset, r_info, r_addend
ET_REL = 1
SHN_XINDEX = 0xFFFF


def parse_elf(image: bytes) -> ElfImage:
    """elf_header_check + section/symbol/relocation parsing; ENOEXEC on anything malformed.

    The tables are decoded with struct, straight from the image (pyelftools' entry-by-entry
    parsing and its import were most of a module's load time and of a start-up; the tests
    hold this reader to what pyelftools reads from the same files).
    """
    if len(image) < 64 or image[:4] != b"\x7fELF":
        raise _noexec("not an ELF file")
    if image[4] != 2 or image[5] != 1:
        raise _noexec("not ELF64 little-endian")
    try:
        (_ident, e_type, e_machine, _version, _entry, _phoff, e_shoff, _flags, _ehsize, _phentsize,
         _phnum, e_shentsize, e_shnum, e_shstrndx) = _EHDR.unpack_from(image)
        if e_type != ET_REL or e_machine != EM_X86_64:
            raise _noexec("not an x86-64 relocatable object")
        if e_shentsize != _SHDR.size:
            raise _noexec("bad section header size")
        if e_shoff >= len(image) or e_shnum * _SHDR.size > len(image) - e_shoff:
            raise _noexec("section headers truncated")
        headers = _section_headers(image, e_shoff, e_shnum)
        if e_shstrndx == SHN_XINDEX:
            e_shstrndx = headers[0][6]            # the real index is section 0's sh_link
        names = headers[e_shstrndx][4] if 0 < e_shstrndx < len(headers) else None
        sections: list[Section] = []
        for i, (sh_name, sh_type, sh_flags, _addr, sh_offset, sh_size, sh_link, sh_info,
                sh_addralign, _entsize) in enumerate(headers):
            name = _cstring(image, names + sh_name) if names is not None else ""
            nobits = sh_type == SHT_NOBITS
            if not nobits and sh_offset + sh_size > len(image):
                raise _noexec(f"section {name} truncated", f"Module len {len(image)} truncated")
            sections.append(Section(i, name, sh_type, sh_flags, max(sh_addralign, 1), sh_size,
                                    sh_info, sh_link,
                                    b"" if nobits or not sh_size else image[sh_offset:sh_offset + sh_size]))
        symtab = next((i for i, h in enumerate(headers) if h[1] == SHT_SYMTAB), None)
        # none: the loader reports "module has no symbols (stripped?)"
        symbols = _read_symbols(image, headers, symtab) if symtab is not None else []
        relas: dict[int, list[Rela]] = {}
        for sec, h in zip(sections, headers):
            if sec.sh_type == SHT_REL:
                raise _noexec("REL relocation unsupported")
            if sec.sh_type == SHT_RELA:
                relas[sec.index] = _read_relas(image, h)
    except KernelError:
        raise
    except (struct.error, ValueError, IndexError, ZeroDivisionError, OverflowError) as e:
        raise _noexec(f"malformed ELF: {e}") from None
    img = ElfImage(sections, symbols, relas)
    info = img.section(".modinfo")
    if info is not None:
        for entry in info.data.split(b"\0"):
            if b"=" in entry:
                k, _, v = entry.decode("latin-1").partition("=")
                img.modinfo.append((k, v))
    return img


def _section_headers(image: bytes, shoff: int, shnum: int) -> list[tuple[int, ...]]:
    """Every section header; SHNUM 0 with headers present means section 0's sh_size holds it."""
    if shnum == 0 and shoff:
        shnum = _SHDR.unpack_from(image, shoff)[5]
        if shnum * _SHDR.size > len(image) - shoff:
            raise _noexec("section headers truncated")
    return [_SHDR.unpack_from(image, shoff + i * _SHDR.size) for i in range(shnum)]


def _read_symbols(image: bytes, headers: list[tuple[int, ...]], symtab: int) -> list[Symbol]:
    """Every entry of section SYMTAB, names from the string table its sh_link names."""
    _n, _t, _f, _a, base, size, link, _i, _al, entsize = headers[symtab]
    if not entsize:
        raise ValueError("symbol table entry size 0")
    if base + size > len(image):
        raise ValueError("symbol table truncated")
    names = headers[link][4]
    out = []
    for i in range(size // entsize):
        st_name, info, _other, shndx, value, sym_size = _SYM.unpack_from(image, base + i * entsize)
        out.append(Symbol(i, _cstring(image, names + st_name), value, sym_size, info >> 4, info & 0xF, shndx))
    return out


def _read_relas(image: bytes, header: tuple[int, ...]) -> list[Rela]:
    offset, size = header[4], header[5]
    n = size // _RELA.size
    data = image[offset:offset + n * _RELA.size]
    return [Rela(off, info & 0xFFFF_FFFF, info >> 32, addend)
            for off, info, addend in _RELA.iter_unpack(data)]


def _cstring(image: bytes, pos: int) -> str:
    """A string table entry (to the NUL; empty if there is none)."""
    end = image.find(b"\0", pos)
    return image[pos:end].decode("utf-8", errors="replace") if end > pos else ""


class ElfCache:
    """Parsed images by their bytes: a .ko is parsed once per process (the bytes are the key;
    the image keeps a copy of most of them anyway)."""

    def __init__(self) -> None:
        self._images: dict[bytes, ElfImage] = {}

    def parse(self, image: bytes) -> ElfImage:
        key = bytes(image)
        img = self._images.get(key)
        if img is None:
            img = self._images[key] = parse_elf(key)
        return img
