"""What every boot of one kernel shares: the stub page of the Python kernel functions and the
linked vmlinux image.

Giving each function its stub slot and linking vmlinux (layout, symbol resolution against
those slots, relocations, exports, kallsyms) yields the same bytes and tables on every boot
of the same kernel, so a process does it once per (functions, vmlinux object) and each later
boot copies the result into its fresh machine. The first boot runs the real loader; the
image is what that boot produced, read back from its memory and tables.

Where bytecode is kept (klpsh.entry's cache, sys.pycache_prefix, or beside the sources), what
the link computed (layout, linked bytes, exports, symbols) is kept too, in <cache>/klpsh/boot
(_store_dir()), with
everything that went into it: the vmlinux object's bytes, the functions' names and arities in
slot order, the loader's sources (their size and mtime) and the interpreter. The first boot of
a later process whose inputs are the same, byte for byte, starts from that entry as a second
boot of the same process would; an entry that is missing, unreadable, corrupt or of other
inputs is not used (the loader links, and writes it again if it can). There is one entry per
vmlinux object's path and kernel profile's functions.
"""

from __future__ import annotations

import marshal
import os
import sys
import tempfile
import zlib
from array import array
from itertools import repeat
from operator import attrgetter
from pathlib import Path
from types import FunctionType, MappingProxyType
from typing import TYPE_CHECKING, Iterator, Sequence

from kernel.abi import ModuleState
from kernel.cpu import SLOT, Stub, StubEntry, stub_columns, stub_slots
from kernel.mm import STUB_BASE
from kernel.record import field, record

if TYPE_CHECKING:
    from kernel.api import KApi
    from kernel.machine import Kernel
    from kernel.module.elf import ElfImage
    from kernel.module.kallsyms import KSym
    from kernel.module.main import Module


_NAME, _ADDR = attrgetter("name"), attrgetter("addr")


@record(frozen=True, eq=False)
class BootImage:
    """The stub table and the linked vmlinux of one boot, as later boots install them."""

    stubs: tuple[Stub, ...]
    stub_page: bytes
    stub_syms: tuple["KSym", ...]
    elf: "ElfImage"
    base: int
    core_size: int
    text_size: int
    ro_size: int
    text: bytes                        # guest memory [base, base + core_size) after linking
    exports: tuple[tuple[str, int], ...]
    gpl_exports: frozenset[str]        # the exports of __ksymtab_gpl
    section_addr: tuple[tuple[int, int], ...]
    fentry_sites: frozenset[int]
    symbols: tuple["KSym", ...]
    sym_values: tuple[int, ...]
    stub_index: dict[str, Stub] = field(default_factory=dict)    # stubs by name
    first_symbols: dict[str, int] = field(default_factory=dict)  # Module.symbol()
    # exports and section_addr as each machine's vmlinux Module starts (copies of a dict cost
    # less than dicts made from the tuples)
    export_index: dict[str, int] = field(default_factory=dict)
    section_index: dict[int, int] = field(default_factory=dict)
    kallsyms: list = field(default_factory=list)   # kallsyms' sorted index: [symbols, addresses]
    # The stub slots the rest of every boot adds (ftrace_regs_caller, _do_fork, kthread), as
    # the first boot of the process that installed this image left them: [BootStubs] once
    # it has (keep_boot_stubs()); later boots install them with the image's own.
    booted: list = field(default_factory=list)

    def __post_init__(self) -> None:
        """The indexes every boot would build again (each machine gets copies or, read-only
        as Module.symbol() uses it, the symbol index itself)."""
        from kernel.module.kallsyms import Kallsyms
        if not self.stub_index:            # (load_link() gives it, from its names)
            self.stub_index.update(zip(map(_NAME, self.stubs), self.stubs))
        self.export_index.update(self.exports)
        self.section_index.update(self.section_addr)
        # each name's first symbol: the last of a walk backwards (a column at a time)
        backwards = self.symbols[::-1]
        self.first_symbols.update(zip(map(_NAME, backwards), map(_ADDR, backwards)))
        index = Kallsyms()                  # as _install() fills a machine's
        index.add_owner("vmlinux", list(self.stub_syms))
        index.add_owner("vmlinux", list(self.symbols))
        self.kallsyms.extend(index.sorted_index())


# A boot image's stubs and the slots the rest of a boot added after them (BootImage.booted):
# what Cpu.install_stubs() takes for all of them (stubs, stub page, index by name), the kallsyms
# entries of those added (they follow vmlinux's symbols, as when the boot added them) and the
# sorted kallsyms index of the machine with them. (A plain tuple: a record's first instance
# costs more than the stubs save a replay's later boots.)
BootStubs = tuple[tuple[Stub, ...], bytes, dict[str, Stub], tuple["KSym", ...], tuple]


# the vmlinux object's identity -> (the functions, its image) for each function table booted
# with it. Values are immutable and hold no machine state; a changed vmlinux.o (size or mtime)
# or function table is another image. (Function tables are looked up by identity first: a
# boot passes the same tuple every time, and hashing ~400 entries per boot would cost more
# than the rest of the lookup.)
_IMAGES: dict[tuple, list[tuple[tuple["KApi", ...], BootImage]]] = {}


def _key(vmlinux: Path) -> tuple:
    st = os.stat(vmlinux)
    return (str(vmlinux), st.st_mtime_ns, st.st_size, st.st_ino)


def _image(images: list[tuple[tuple["KApi", ...], BootImage]], apis: tuple["KApi", ...]) -> BootImage | None:
    for table, image in images:
        if table is apis:
            return image
    for table, image in images:
        if table == apis:
            return image
    return None


def boot_vmlinux(k: "Kernel", apis: Sequence["KApi"], vmlinux: Path) -> "Module":
    """Give APIS their stub slots and link VMLINUX into K's memory: from this process's image
    of that pair if there is one (or the stored one, kernel.bootimage's doc), else by the
    loader (and keep the image)."""
    apis = apis if isinstance(apis, tuple) else tuple(apis)
    images = _IMAGES.setdefault(_key(vmlinux), [])
    image = _image(images, apis)
    data: bytes | None = None
    store, inputs = None, b""
    if image is None and (folder := _store_dir()) is not None:
        data = vmlinux.read_bytes()
        inputs = _inputs(data, apis)
        store = os.path.join(folder, _entry_name(vmlinux, apis))
        image = load_link(store, inputs, apis, data)
        if image is not None:
            images.append((apis, image))
    if image is not None and _install(k, image):
        k.cpu.translations_of(image)
        k.boot_image = image
        return k.vmlinux  # type: ignore[return-value]
    k.cpu.translations_of(None)
    k.cpu.add_stubs(_stub_entries(apis))
    stubs = tuple(k.cpu.stubs)
    k.vmlinux = mod = k.loader.load_builtin(data if data is not None else vmlinux.read_bytes())
    if image is None:
        images.append((apis, BootImage(
            stubs=stubs,
            stub_page=k.mem.read(STUB_BASE, len(stubs) * SLOT),
            stub_syms=tuple(k.kallsyms.owner_syms("vmlinux")),
            elf=mod.image, base=mod.base, core_size=mod.core_size, text_size=mod.text_size,
            ro_size=mod.ro_size,
            text=k.mem.read(mod.base, mod.core_size),
            exports=tuple(mod.exports.items()), gpl_exports=frozenset(mod.gpl_exports),
            section_addr=tuple(mod.section_addr.items()),
            fentry_sites=frozenset(mod.fentry_sites), symbols=tuple(mod.symbols),
            sym_values=tuple(mod.sym_values))))
        k.cpu.translations_of(images[-1][1])     # what this machine runs is that image
        for name, table in _shared_tables(images[-1][1]).items():
            setattr(mod, name, table)            # (the same tables as later boots')
        if store is not None:
            save_link(store, inputs, images[-1][1])
    k.kallsyms.add_owner("vmlinux", mod.symbols)
    return mod


# --- the stored link (see the module's doc) -------------------------------------------------
STORE_FORMAT = 1
# The modules whose code decides what the link yields (layout, relocation, exports, symbols,
# stub slots, the module area, per-cpu data): a change to any of them makes other inputs.
_LINK_SOURCES = ("bootimage.py", "module/main.py", "module/elf.py", "module/reloc.py",
                 "module/kallsyms.py", "cpu.py", "mm.py", "machine.py", "abi.py", "percpu.py")


def _store_dir(env: "os._Environ[str] | dict[str, str]" = os.environ) -> str | None:
    """Where bytecode is kept, the stored links are too: <cache>/klpsh/boot beside the
    bytecode cache klpsh keeps (sys.pycache_prefix), or $XDG_CACHE_HOME/klpsh/boot
    (~/.cache/klpsh/boot) where Python writes bytecode beside the sources; None when no
    bytecode is written."""
    prefix = sys.pycache_prefix
    if prefix:
        return os.path.join(os.path.dirname(prefix), "boot")
    if sys.dont_write_bytecode:
        return None
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "klpsh", "boot") if os.path.isabs(base) else None


def _stub_entries(apis: Sequence["KApi"]) -> Iterator[StubEntry]:
    """What Cpu.add_stubs() takes for the kernel functions APIS, in slot order."""
    return map(_STUB_ENTRY, apis)


_STUB_ENTRY = attrgetter("name", "call", "nargs", "variadic")


# A function table's names, nargs, variadic flags and calls, a column each (_columns()).
ApiColumns = tuple[tuple[str, ...], tuple[int, ...], tuple[bool, ...], tuple]

# The per-process cache of _columns(): the last function table asked for and its columns
# (the first boot of a process reads them three times; a boot passes the same tuple always).
_LAST_COLUMNS: list[tuple[tuple["KApi", ...], ApiColumns]] = []


def _columns(apis: tuple["KApi", ...]) -> ApiColumns:
    """APIS' names, nargs, variadic flags and calls (transposed at once where each is a
    KApi: a KApi is the tuple of its fields)."""
    if _LAST_COLUMNS and _LAST_COLUMNS[0][0] is apis:
        return _LAST_COLUMNS[0][1]
    from kernel.api import KApi
    if not apis:
        columns: ApiColumns = ((), (), (), ())
    elif set(map(type, apis)) == {KApi}:
        names, _modules, nargs, variadic, calls = zip(*apis)
        columns = (names, nargs, variadic, calls)
    else:
        names, calls, nargs, variadic = zip(*map(_STUB_ENTRY, apis))
        columns = (names, nargs, variadic, calls)
    _LAST_COLUMNS[:] = [(apis, columns)]
    return columns


def _inputs(vmlinux: bytes, apis: tuple["KApi", ...]) -> bytes:
    """Everything the link depends on, as a stored entry must match it byte for byte."""
    parts = [repr((STORE_FORMAT, sys.version, SLOT, STUB_BASE))]
    here = os.path.dirname(os.path.abspath(__file__))         # the kernel package
    for name in _LINK_SOURCES:
        try:
            st = os.stat(os.path.join(here, name))
            parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{name}:?")
    names, nargs, variadic, _calls = _columns(apis)
    parts.extend(names)
    arities = array("I", nargs).tobytes() + bytes(map(bool, variadic))
    return "\0".join(parts).encode() + b"\0\0" + arities + b"\0\0" + vmlinux


def _entry_name(vmlinux: Path, apis: tuple["KApi", ...]) -> str:
    """The file the link of the object at VMLINUX with APIS (a kernel profile's functions)
    is stored in: one per pair (a link of other inputs replaces it; the inputs kept inside
    tell them apart), so the store does not grow with every change to the sources."""
    key = os.fsencode(os.path.abspath(vmlinux)) + "\0".join(_columns(apis)[0]).encode()
    return f"vmlinux-{zlib.crc32(key):08x}.bin"


def save_link(path: str, inputs: bytes, image: BootImage) -> None:
    """Write what IMAGE's link of INPUTS computed to PATH (atomically; nothing if it cannot
    be written)."""
    data = marshal.dumps((
        STORE_FORMAT, inputs, image.base, image.core_size, image.text_size,
        image.ro_size, image.text, image.exports, tuple(sorted(image.gpl_exports)),
        image.section_addr, tuple(sorted(image.fentry_sites)), tuple(map(tuple, image.symbols)),
        image.sym_values))
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".boot-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass


def load_link(path: str, inputs: bytes, apis: tuple["KApi", ...], vmlinux: bytes) -> BootImage | None:
    """The image of the link of INPUTS stored at PATH, with APIS' stubs and VMLINUX's object
    (parsed when read); None if PATH holds no whole entry for INPUTS."""
    from kernel.module.elf import DeferredElfImage
    from kernel.module.kallsyms import KSym
    try:
        with open(path, "rb") as f:
            (fmt, stored, base, core_size, text_size, ro_size, text, exports, gpl_exports,
             section_addr, fentry_sites, symbols, sym_values) = marshal.loads(f.read())
        # (checked a column at a time: ~2,000 values, which one at a time cost ~2 M instructions)
        if (fmt != STORE_FORMAT or stored != inputs or type(text) is not bytes
                or len(text) != core_size
                or not _all_of(int, (base, text_size, ro_size), sym_values, fentry_sites)
                or not _all_of(str, gpl_exports)
                or not _rows_of(exports, str, int) or not _rows_of(section_addr, int, int)
                or not _all_of(tuple, symbols) or not set(map(len, symbols)) <= {len(KSym._fields)}):
            return None
    except (OSError, EOFError, ValueError, TypeError):
        return None
    syms = tuple(map(tuple.__new__, repeat(KSym), symbols))
    names, nargs, variadic, calls = _columns(apis)
    stubs, page, stub_syms = stub_columns(names, calls, nargs, variadic)   # as Cpu.add_stubs() gives them
    return BootImage(
        stubs=tuple(stubs), stub_page=bytes(page), stub_syms=tuple(stub_syms),
        stub_index=dict(zip(names, stubs)) if len(stubs) == len(names) else {},  # (each name once)
        elf=DeferredElfImage(vmlinux), base=base, core_size=core_size, text_size=text_size,
        ro_size=ro_size, text=text, exports=tuple(exports), gpl_exports=frozenset(gpl_exports),
        section_addr=tuple(section_addr), fentry_sites=frozenset(fentry_sites), symbols=syms,
        sym_values=tuple(sym_values))


def _all_of(kind: type, *columns: "Sequence[object]") -> bool:
    """Whether every value of COLUMNS is of type KIND (exactly: marshal gives no subclasses)."""
    return all(set(map(type, c)) <= {kind} for c in columns)


def _rows_of(rows: "Sequence[tuple]", *kinds: type) -> bool:
    """Whether ROWS is a tuple of tuples whose values are of KINDS, column by column."""
    if type(rows) is not tuple or not _all_of(tuple, rows) or not set(map(len, rows)) <= {len(kinds)}:
        return False
    return not rows or all(_all_of(kind, column) for kind, column in zip(kinds, zip(*rows)))


def _install(k: "Kernel", image: BootImage) -> bool:
    """Copy IMAGE into K (a machine with no stubs and no modules yet); False if K's memory
    would put vmlinux elsewhere (then nothing was changed but the allocation)."""
    from kernel.module.main import Module
    base = k.module_alloc(image.core_size)
    if base != image.base:
        k.module_free(base)
        return False
    booted: BootStubs | None = image.booted[0] if image.booted else None
    if booted is not None:
        stubs, page, index, added_syms, sorted_syms = booted
        k.cpu.install_stubs(stubs, page, image.stub_syms, index)
    else:
        k.cpu.install_stubs(image.stubs, image.stub_page, image.stub_syms, image.stub_index)
    k.mem.write(base, image.text)
    k.vmlinux = Module("vmlinux", image.elf, base=base, core_size=image.core_size,
                       text_size=image.text_size, ro_size=image.ro_size,
                       state=ModuleState.LIVE, **_shared_tables(image))
    k.vmlinux.share_symbol_index(image.first_symbols)
    k.kallsyms.add_owner("vmlinux", k.vmlinux.symbols)
    if booted is not None:
        k.kallsyms.add_owner("vmlinux", added_syms)
        k.kallsyms.seed(*sorted_syms)
    else:
        k.kallsyms.seed(*image.kallsyms)     # sorted as the image's own index
    k.loader.module_enable_ro_nx(k.vmlinux)
    return True


def _shared_tables(image: BootImage) -> dict:
    """The tables of vmlinux's Module that no machine changes once it is linked (the loader
    writes them only while it links a module), as every machine booted from IMAGE shares
    them: read-only views and immutable copies, so that one machine cannot change another's."""
    return dict(exports=MappingProxyType(image.export_index), gpl_exports=image.gpl_exports,
                section_addr=MappingProxyType(image.section_index),
                fentry_sites=image.fentry_sites, symbols=image.symbols,
                sym_values=image.sym_values)


def keep_boot_stubs(k: "Kernel") -> None:
    """At the end of K's boot: if K installed its boot image (kernel.machine's boot) and the
    image has no BootStubs yet, the slots the boot added after the image's become its
    BootStubs, so later boots of the image start with them in place (the same slots, bytes
    and kallsyms entries, which the rest of their boot finds there instead of adding).
    Only slots of module-level functions (or host frames) are kept: they hold no machine."""
    image = k.boot_image
    if image is None or image.booted or k.cpu.image_stubs != len(image.stubs):
        return
    added = k.cpu.stubs[len(image.stubs):]
    if not added or not all(s.func is None or (type(s.func) is FunctionType and not s.func.__closure__)
                            for s in added):
        return
    stubs, page, syms = stub_slots(((s.name, s.func, s.nargs, s.variadic) for s in added),
                                   len(image.stubs), image.stub_index)
    if [(s.name, s.addr) for s in stubs] != [(s.name, s.addr) for s in added]:
        return
    # K's kallsyms are the image's and those slots' (in that order) and nothing else: its
    # sorted index is what a later boot's would be (taken as it is: sorting anew would cost
    # more than the later boots of a replay save)
    table = k.kallsyms.owner_syms("vmlinux")
    if list(k.kallsyms.owners()) != ["vmlinux"] or table[len(table) - len(syms):] != syms or \
            len(table) != len(image.stub_syms) + len(image.symbols) + len(syms):
        return
    index = dict(image.stub_index)
    index.update((s.name, s) for s in stubs)
    image.booted.append((image.stubs + tuple(stubs), image.stub_page + bytes(page), index,
                         tuple(syms), k.kallsyms.sorted_index()))
