"""What every boot of one kernel shares: the stub page of the Python kernel functions and the
linked vmlinux image.

Giving each function its stub slot and linking vmlinux (layout, symbol resolution against
those slots, relocations, exports, kallsyms) yields the same bytes and tables on every boot
of the same kernel, so a process does it once per (functions, vmlinux object) and each later
boot copies the result into its fresh machine. The first boot runs the real loader; the
image is what that boot produced, read back from its memory and tables.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from kernel.abi import ModuleState
from kernel.cpu import SLOT, Stub
from kernel.mm import STUB_BASE
from kernel.record import field, record

if TYPE_CHECKING:
    from kernel.api import KApi
    from kernel.machine import Kernel
    from kernel.module.elf import ElfImage
    from kernel.module.kallsyms import KSym
    from kernel.module.main import Module


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
    kallsyms: list = field(default_factory=list)   # kallsyms' sorted index: [symbols, addresses]

    def __post_init__(self) -> None:
        """The indexes every boot would build again (each machine gets copies or, read-only
        as Module.symbol() uses it, the symbol index itself)."""
        from kernel.module.kallsyms import Kallsyms
        self.stub_index.update((s.name, s) for s in self.stubs)
        for sym in self.symbols:
            self.first_symbols.setdefault(sym.name, sym.addr)
        index = Kallsyms()                  # as _install() fills a machine's
        index.add_owner("vmlinux", list(self.stub_syms))
        index.add_owner("vmlinux", list(self.symbols))
        self.kallsyms.extend(index.sorted_index())


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
    of that pair if there is one, else by the loader (and keep the image)."""
    apis = apis if isinstance(apis, tuple) else tuple(apis)
    images = _IMAGES.setdefault(_key(vmlinux), [])
    image = _image(images, apis)
    if image is not None and _install(k, image):
        k.cpu.translations_of(image)
        return k.vmlinux  # type: ignore[return-value]
    k.cpu.translations_of(None)
    k.cpu.add_stubs((api.name, api.call, api.nargs, api.variadic) for api in apis)
    stubs = tuple(k.cpu.stubs)
    k.vmlinux = mod = k.loader.load_builtin(vmlinux.read_bytes())
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
    k.kallsyms.add_owner("vmlinux", mod.symbols)
    return mod


def _install(k: "Kernel", image: BootImage) -> bool:
    """Copy IMAGE into K (a machine with no stubs and no modules yet); False if K's memory
    would put vmlinux elsewhere (then nothing was changed but the allocation)."""
    from kernel.module.main import Module
    base = k.module_alloc(image.core_size)
    if base != image.base:
        k.module_free(base)
        return False
    k.cpu.install_stubs(image.stubs, image.stub_page, image.stub_syms, image.stub_index)
    k.mem.write(base, image.text)
    k.vmlinux = Module("vmlinux", image.elf, base=base, core_size=image.core_size,
                       text_size=image.text_size, ro_size=image.ro_size,
                       state=ModuleState.LIVE, exports=dict(image.exports),
                       gpl_exports=set(image.gpl_exports),
                       section_addr=dict(image.section_addr), fentry_sites=set(image.fentry_sites),
                       symbols=list(image.symbols), sym_values=list(image.sym_values))
    k.vmlinux.share_symbol_index(image.first_symbols)
    k.kallsyms.add_owner("vmlinux", k.vmlinux.symbols)
    k.kallsyms.seed(*image.kallsyms)         # sorted as the image's own index
    k.loader.module_enable_ro_nx(k.vmlinux)
    return True
