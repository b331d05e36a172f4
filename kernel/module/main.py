"""load_module() and delete_module(): module states, the notifier chain and the livepatch
hooks at the points kernel/module.c calls them (4.19)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from kernel.abi import (MODULE_NAME_LEN, PARAM_ARRAY_OPS, KernelParam, KernelParamOps,
                        BlockingNotifierHead, KparamArray, ModuleState)
from kernel.abi import Module as CModule
from kernel.cpu import s32
from kernel.errno import Errno, KernelError, RawReturn
from kernel.module.elf import (SHF_ALLOC, SHF_EXECINSTR, SHF_RELA_LIVEPATCH, SHF_WRITE, SHN_ABS,
                               SHN_COMMON, SHN_LIVEPATCH, SHN_UNDEF, SHT_NOBITS, SHT_RELA, STB_LOCAL,
                               STB_WEAK, STT_FILE, STT_SECTION, ElfFormatError,
                               ElfImage, Section)
from kernel.module.kallsyms import KSym
from kernel.module.reloc import apply_relocate_add
from kernel.mm import PAGE_SIZE, PROT_RO, PROT_RW, PROT_RX, BadAddress
from kernel.record import RecordTuple, field, record

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.module.params import ModuleParam

TAINT_OOT_MODULE = "O"
TAINT_LIVEPATCH = "K"
TAINT_PROPRIETARY = "P"
GPL_COMPATIBLE = {"GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL", "Dual MIT/GPL",
                  "Dual MPL/GPL"}
MODULE_FLAGS_FORCE = 0o1000  # O_TRUNC: rmmod -f
KSYMTAB_ENTRY = 16  # struct kernel_symbol { unsigned long value; const char *name; }
# The taint flags a module carries itself (taint_flags[].module in 4.19's kernel/panic.c), in
# bit order: module_flags_taint() prints them so, e.g. "OK" for an out-of-tree livepatch.
MODULE_TAINT_ORDER = "PCOEKXT"

TAINT_LIVEPATCH_ONCE = "taint_livepatch"   # pr_notice_once() of check_modinfo_livepatch()


def module_flags_taint(taints: set[str]) -> str:
    """module_flags_taint(): a module's taint letters in taint-bit order."""
    return "".join(c for c in MODULE_TAINT_ORDER if c in taints)


@record(eq=False)
class Module:
    """A loaded module: where it lives in guest memory and its kernel-side state."""

    name: str
    image: ElfImage
    base: int = 0
    core_size: int = 0
    text_size: int = 0          # core_layout.text_size: text, page-aligned (STRICT_MODULE_RWX)
    ro_size: int = 0            # core_layout.ro_size: text and rodata, page-aligned
    struct_addr: int = 0
    init: int = 0
    exit: int = 0
    state: ModuleState = ModuleState.UNFORMED
    refs: int = 1                                   # MODULE_REF_BASE
    uses: list["Module"] = field(default_factory=list)      # modules we depend on
    users: list["Module"] = field(default_factory=list)     # modules depending on us
    params: list[ModuleParam] = field(default_factory=list)
    exports: dict[str, int] = field(default_factory=dict)
    gpl_exports: set[str] = field(default_factory=set)      # names of exports from __ksymtab_gpl
    section_addr: dict[int, int] = field(default_factory=dict)
    percpu: int = 0                   # CPU 0's copy of its .data..percpu (kernel/percpu.py)
    fentry_sites: set[int] = field(default_factory=set)
    symbols: list[KSym] = field(default_factory=list)
    sym_values: list[int] = field(default_factory=list)
    args: str = ""
    taints: set[str] = field(default_factory=set)
    klp: bool = False
    klp_alive: bool = False
    klp_info: object = None

    @property
    def refcnt(self) -> int:
        """module_refcount(): what /sys/module/<m>/refcnt and lsmod show."""
        return self.refs - 1

    def flags(self) -> str:
        """module_flags(): "(OK)", with "+" while loading and "-" while unloading; "" if none."""
        text = module_flags_taint(self.taints)
        text += {"COMING": "+", "GOING": "-"}.get(self.state.name, "")
        return f"({text})" if text else ""

    @property
    def holders(self) -> list[str]:
        return [m.name for m in self.users]

    def share_symbol_index(self, first: dict[str, int]) -> None:
        """Use FIRST, the name -> address index of the symbols as they are now (built once for
        every boot of one image; only read), until the symbols change."""
        self.__dict__["_symbol_index"] = (self.symbols, first)

    def symbol(self, name: str) -> int | None:
        """The address of the module's first symbol called NAME (None if it has none)."""
        index = self.__dict__.get("_symbol_index")
        if index is None or index[0] is not self.symbols:   # built again when symbols change
            first: dict[str, int] = {}
            for s in self.symbols:
                first.setdefault(s.name, s.addr)
            index = self.__dict__["_symbol_index"] = (self.symbols, first)
        return index[1].get(name)


def _modinfo_name(img: ElfImage, this) -> str:
    off = CModule.name.offset
    raw = this.data[off:off + MODULE_NAME_LEN]
    return raw.split(b"\0", 1)[0].decode("latin-1") or (img.get_modinfo("name") or "")


def _page_align(n: int) -> int:
    return (n + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)


PERCPU_SECTION = ".data..percpu"


class CoreLayout(RecordTuple):
    """Where a module's SHF_ALLOC sections go in its core (offsets from its base) and its
    sizes: the same for every load of one image."""

    offsets: tuple[tuple[int, int], ...]    # (section index, offset), in placing order
    size: int
    text_size: int
    ro_size: int
    sections: tuple[Section, ...]           # the sections placed, in that order


def _layout(img: ElfImage) -> CoreLayout:
    """layout_sections() of IMG: text, rodata, data, each group from a page, each section
    by its sh_addralign; made once per image (kept in it)."""
    layout = img.__dict__.get("_core_layout")
    if layout is not None:
        return layout

    def group(s: Section) -> int:
        if s.sh_flags & SHF_EXECINSTR:
            return 0
        return 2 if s.sh_flags & SHF_WRITE else 1
    alloc = [s for s in img.sections
             if s.sh_flags & SHF_ALLOC and s.name not in (".modinfo", PERCPU_SECTION)
             and not s.sh_flags & SHF_RELA_LIVEPATCH and s.sh_type != SHT_RELA]
    alloc.sort(key=lambda s: (group(s), s.index))
    offsets: list[tuple[int, int]] = []
    size = 0
    ends = [0, 0, 0]
    for s in alloc:
        g = group(s)
        if g and not ends[g] and size:
            size = _page_align(size)     # debug_align(): each group starts a page
        size = (size + s.sh_addralign - 1) & ~(s.sh_addralign - 1)
        offsets.append((s.index, size))
        size += s.sh_size
        ends[g] = size
    size = max(_page_align(size), PAGE_SIZE)
    layout = CoreLayout(tuple(offsets), size, _page_align(ends[0]), _page_align(max(ends[0], ends[1])),
                        tuple(alloc))
    img.__dict__["_core_layout"] = layout
    return layout


def _core_image(img: ElfImage, layout: CoreLayout) -> bytes:
    """What the core of IMG holds before relocation: its sections' bytes at their offsets,
    zero between (made at the first load that got the memory; kept in the image)."""
    core = img.__dict__.get("_core_image")
    if core is None:
        buf = bytearray(layout.size)
        for s, (_index, off) in zip(layout.sections, layout.offsets):
            if s.sh_type != SHT_NOBITS and s.data:
                buf[off:off + len(s.data)] = s.data
        core = img.__dict__["_core_image"] = bytes(buf)
    return core


class ModuleLoader:
    """The module list and the two syscalls behind insmod and rmmod."""

    def __init__(self, kernel: "Kernel") -> None:
        self.k = kernel
        self.modules: dict[str, Module] = {}
        self.notifiers: list[Callable[[Module, ModuleState], None]] = []

    # --- load_module -----------------------------------------------------------------
    def load_module(self, image: bytes, args: str) -> Module:
        k = self.k
        try:
            img = k.elf_cache.parse(image)
        except ElfFormatError as e:
            if e.log:
                k.log.err(e.log)
            raise
        this = img.find_sec(".gnu.linkonce.this_module")
        if this is None:
            k.log.warn("No module found in object")
            raise KernelError(Errno.ENOEXEC)
        name = _modinfo_name(img, this)
        if not img.symbols:
            k.log.warn(f"{name}: module has no symbols (stripped?)")
            raise KernelError(Errno.ENOEXEC)
        mod = Module(name, img, args=args)
        self._check_modinfo(mod)
        self._add_unformed_module(mod)
        try:
            self._layout_and_copy(mod)
            self._simplify_symbols(mod)
            self._apply_relocations(mod)
            self._post_relocation(mod)
            self.module_enable_ro_nx(mod)
            self.k.cpu.invalidate(mod.base, mod.core_size)
        except BaseException:
            self._free_module(mod)
            raise
        return self._finish_load(mod)

    def load_builtin(self, image: bytes) -> Module:
        """Link the vmlinux object at boot: same layout and relocation, no module life cycle."""
        mod = Module("vmlinux", self.k.elf_cache.parse(image))
        self._layout_and_copy(mod)
        self._simplify_symbols(mod)
        self._apply_relocations(mod)
        self._read_exports(mod)
        self._read_fentry(mod)
        self.module_enable_ro_nx(mod)
        mod.symbols = self._kallsyms(mod)
        mod.state = ModuleState.LIVE
        return mod

    def module_enable_ro_nx(self, mod: Module) -> None:
        """complete_formation(): text RX, rodata RO, the rest RW and NX (STRICT_MODULE_RWX)."""
        pt = self.k.pagetable
        pt.protect(mod.base, mod.text_size, PROT_RX)
        pt.protect(mod.base + mod.text_size, mod.ro_size - mod.text_size, PROT_RO)
        pt.protect(mod.base + mod.ro_size, mod.core_size - mod.ro_size, PROT_RW)

    def _check_modinfo(self, mod: Module) -> None:
        k, img = self.k, mod.image
        magic = img.get_modinfo("vermagic")
        if magic is None:
            raise KernelError(Errno.ENOEXEC)
        if magic != k.profile.vermagic:
            k.log.err(f"{mod.name}: version magic '{magic}' should be '{k.profile.vermagic}'")
            raise KernelError(Errno.ENOEXEC)
        if img.get_modinfo("intree") is None:
            if TAINT_OOT_MODULE not in k.taints:
                k.log.warn(f"{mod.name}: loading out-of-tree module taints kernel.")
            k.add_taint(TAINT_OOT_MODULE)
            mod.taints.add(TAINT_OOT_MODULE)
        if img.get_modinfo("livepatch") is not None:
            mod.klp = True
            k.add_taint(TAINT_LIVEPATCH)
            mod.taints.add(TAINT_LIVEPATCH)
            k.log.notice_once(TAINT_LIVEPATCH_ONCE, f"{mod.name}: tainting kernel with TAINT_LIVEPATCH")
        lic = img.get_modinfo("license") or "unspecified"
        if lic not in GPL_COMPATIBLE:
            if TAINT_PROPRIETARY not in k.taints:
                k.log.warn(f"{mod.name}: module license '{lic}' taints kernel.")
                k.log.warn("Disabling lock debugging due to kernel taint")
            k.add_taint(TAINT_PROPRIETARY)
            mod.taints.add(TAINT_PROPRIETARY)

    def _add_unformed_module(self, mod: Module) -> None:
        old = self.modules.get(mod.name)
        if old is not None:
            raise KernelError(Errno.EEXIST if old.state == ModuleState.LIVE else Errno.EBUSY)
        if mod.name == "vmlinux":
            raise KernelError(Errno.EEXIST)
        self.modules[mod.name] = mod

    def _layout_and_copy(self, mod: Module) -> None:
        """Place SHF_ALLOC sections text, rodata, data by sh_addralign (not file offset)."""
        layout = _layout(mod.image)
        mod.text_size, mod.ro_size = layout.text_size, layout.ro_size
        mod.base = self.k.module_alloc(layout.size)
        mod.core_size = layout.size
        self.k.mem.write(mod.base, _core_image(mod.image, layout))   # sections, zero between
        for index, off in layout.offsets:
            mod.section_addr[index] = mod.base + off
        self._percpu_modalloc(mod)

    def _percpu_modalloc(self, mod: Module) -> None:
        """kernel/module.c percpu_modalloc(): .data..percpu goes to every CPU's per-CPU area
        (its symbols are CPU 0's copy), the module's own memory does not hold it."""
        sec = next((s for s in mod.image.sections
                    if s.name == PERCPU_SECTION and s.sh_flags & SHF_ALLOC), None)
        if sec is None or not sec.sh_size:
            return
        from kernel.percpu import pcpu_alloc
        if sec.sh_addralign > 4096:
            self.k.log.warn(f"{mod.name}: per-cpu alignment {sec.sh_addralign} > 4096")
            raise KernelError(Errno.ENOMEM)
        data = sec.data if sec.sh_type != SHT_NOBITS else b""
        try:
            mod.percpu = pcpu_alloc(self.k, sec.sh_size, sec.sh_addralign, data or b"")
        except KernelError:
            self.k.log.warn(f"Could not allocate {sec.sh_size} bytes percpu data")
            raise
        mod.section_addr[sec.index] = mod.percpu

    def _simplify_symbols(self, mod: Module) -> None:
        k = self.k
        values: list[int] = []
        missing = False
        for sym in mod.image.symbols:
            v = sym.value
            if sym.shndx == SHN_COMMON:
                k.log.warn(f"{mod.name}: please compile with -fno-common")
                raise KernelError(Errno.ENOEXEC)
            if sym.shndx in (SHN_ABS, SHN_LIVEPATCH) or sym.index == 0:
                pass
            elif sym.shndx == SHN_UNDEF:
                found = self._resolve_symbol(mod, sym.name)
                if found is not None:
                    v = found
                elif sym.bind == STB_WEAK:
                    v = 0
                else:
                    k.log.warn(f"{mod.name}: Unknown symbol {sym.name} (err -2)")
                    missing = True
            else:
                v += mod.section_addr.get(sym.shndx, 0)
            values.append(v)
        if missing:
            raise KernelError(Errno.ENOENT)
        mod.sym_values = values

    def _resolve_symbol(self, mod: Module, name: str) -> int | None:
        """resolve_symbol(): a module whose license taints the kernel (not GPL-compatible) does
        not see GPL-only exports (check_symbol: EXPORT_SYMBOL_GPL, kernel/api/gpl_only.py)."""
        gplok = TAINT_PROPRIETARY not in mod.taints
        for other in self.modules.values():
            if other is not mod and other.state != ModuleState.UNFORMED and name in other.exports:
                if not gplok and name in other.gpl_exports:
                    return None
                if other not in mod.uses:
                    if not self.try_module_get(other):
                        return None
                    mod.uses.append(other)
                    other.users.append(mod)
                return other.exports[name]
        if not gplok:
            from kernel.api.gpl_only import is_gpl_only
            vmlinux = self.k.vmlinux
            if (vmlinux is not None and name in vmlinux.gpl_exports) or is_gpl_only(name):
                return None
        return self.k.resolve_kernel_symbol(name)

    def _apply_relocations(self, mod: Module) -> None:
        img, k = mod.image, self.k
        mem = k.mem
        memo = img.relocated()
        vals = mod.sym_values
        values = tuple(vals)
        for idx, relas in img.relas.items():
            sec = img.sections[idx]
            if sec.sh_flags & SHF_RELA_LIVEPATCH:
                continue  # applied by livepatch when its object loads
            target = mod.section_addr.get(sec.sh_info)
            if target is None:
                continue
            tsec = img.sections[sec.sh_info]
            size = tsec.sh_size
            key = None
            try:
                key = (idx, target, values, mem.read(target, size)) if size > 0 else None
            except BadAddress:
                key = None      # (apply_relocate_add() then faults where it must)
            if key is not None:
                done = memo.get(key)
                if done is not None:
                    mem.write(target, done)
                    continue
            nvals = len(vals)
            apply_relocate_add(mem, target,             # (a Rela is the tuple offset, type, sym, addend)
                               ((off, rtype, vals[sym] if sym < nvals else 0, addend)
                                for off, rtype, sym, addend in relas), mod.name, k.log.err,
                               (tsec.name, size), k.fmt_ptr)
            if key is not None:
                memo[key] = mem.read(target, size)

    def _post_relocation(self, mod: Module) -> None:
        k, img, mem = self.k, mod.image, self.k.mem
        this = img.find_sec(".gnu.linkonce.this_module")
        if this is None or this.index not in mod.section_addr:
            raise KernelError(Errno.ENOEXEC)
        mod.struct_addr = mod.section_addr[this.index]
        mod.init = mem.u64(mod.struct_addr + CModule.init.offset)
        mod.exit = mem.u64(mod.struct_addr + CModule.exit.offset)
        self._read_exports(mod)
        self._read_fentry(mod)
        mod.params = self._read_params(mod)
        mod.symbols = self._kallsyms(mod)
        if mod.klp:
            mod.klp_info = k.copy_module_elf(mod)

    def _read_exports(self, mod: Module) -> None:
        k, img, mem = self.k, mod.image, self.k.mem
        for secname in ("__ksymtab", "__ksymtab_gpl"):
            sec = img.find_sec(secname)
            if sec is None or sec.index not in mod.section_addr:
                continue
            base = mod.section_addr[sec.index]
            for i in range(sec.sh_size // KSYMTAB_ENTRY):
                ent = base + i * KSYMTAB_ENTRY
                sym = mem.cstr(mem.u64(ent + 8))
                if k.resolve_export(sym) is not None:
                    k.log.err(f"{mod.name}: exports duplicate symbol {sym} (owned by {k.export_owner(sym)})")
                    raise KernelError(Errno.ENOEXEC)
                mod.exports[sym] = mem.u64(ent)
                if secname == "__ksymtab_gpl":
                    mod.gpl_exports.add(sym)

    def _read_fentry(self, mod: Module) -> None:
        mcount = mod.image.find_sec("__mcount_loc")
        if mcount is not None and mcount.index in mod.section_addr:
            base = mod.section_addr[mcount.index]
            mem = self.k.mem
            mod.fentry_sites = {mem.u64(base + 8 * i) for i in range(mcount.sh_size // 8)}

    def _param_type(self, ops: int) -> str:
        """Which builtin param_ops_<type> (or param_array_ops) OPS is; GUEST_OPS for a
        module's own kernel_param_ops."""
        sym = self.k.kallsyms.lookup(ops)
        from kernel.module.params import ALL_TYPES, ARRAY, GUEST_OPS
        if sym is not None and sym.addr == ops and sym.owner == "vmlinux":
            if sym.name == PARAM_ARRAY_OPS:
                return ARRAY
            if sym.name.startswith("param_ops_") and sym.name[len("param_ops_"):] in ALL_TYPES:
                return sym.name[len("param_ops_"):]
        return GUEST_OPS

    def _read_params(self, mod: Module) -> list[ModuleParam]:
        sec = mod.image.find_sec("__param")
        if sec is None or sec.index not in mod.section_addr:
            return []
        from kernel.module.params import ARRAY, ModuleParam
        k, mem = self.k, self.k.mem
        base = mod.section_addr[sec.index]
        out = []
        for i in range(sec.sh_size // KernelParam.size):
            ent = base + i * KernelParam.size
            ops = mem.u64(ent + KernelParam.ops.offset)
            arg = mem.u64(ent + KernelParam.arg.offset)
            ptype = self._param_type(ops)
            name_p = mem.u64(ent + KernelParam.name.offset)
            if not mem.valid(name_p) or not mem.valid(ops, KernelParamOps.size):
                k.log.err(f"{mod.name}: bad parameter #{i}")
                raise KernelError(Errno.ENOEXEC)
            p = ModuleParam(mem.cstr(name_p, MODULE_NAME_LEN), ptype,
                            mem.u16(ent + KernelParam.perm.offset), arg, kp=ent, ops=ops,
                            flags=mem.u8(ent + KernelParam.flags.offset),
                            ops_flags=mem.u32(ops + KernelParamOps.flags.offset))
            if ptype == ARRAY:
                if not mem.valid(arg, KparamArray.size):
                    k.log.err(f"{mod.name}: bad parameter #{i}")
                    raise KernelError(Errno.ENOEXEC)
                p.elem_ops = mem.u64(arg + KparamArray.ops.offset)
                p.elem_type = self._param_type(p.elem_ops)
            out.append(p)
        return out

    def _kallsyms(self, mod: Module) -> list[KSym]:
        """The module's kallsyms entries (a load of the same image with the same name and
        symbol values in another machine of the process has the same: they are kept)."""
        memo = mod.image.__dict__.setdefault("_kallsyms", {})
        key = (mod.name, tuple(mod.sym_values), tuple(mod.section_addr))
        done = memo.get(key)
        if done is None:
            done = memo[key] = tuple(self._make_kallsyms(mod))
        return list(done)

    def _make_kallsyms(self, mod: Module) -> list[KSym]:
        out = []
        secs = mod.image.sections
        for sym, val in zip(mod.image.symbols, mod.sym_values):
            if (not sym.name or sym.type in (STT_SECTION, STT_FILE) or sym.shndx not in mod.section_addr):
                continue
            flags = secs[sym.shndx].sh_flags
            letter = ("t" if flags & SHF_EXECINSTR else
                      ("b" if secs[sym.shndx].sh_type == SHT_NOBITS else "d") if flags & SHF_WRITE else "r")
            if sym.bind != STB_LOCAL:
                letter = letter.upper()
            out.append(KSym(val, sym.size, sym.name, letter, mod.name))
        return out

    def _finish_load(self, mod: Module) -> Module:
        k = self.k
        self.k.kallsyms.add_owner(mod.name, mod.symbols)
        mod.refs += 1  # held while the module initialises
        self._set_state(mod, ModuleState.COMING)
        try:
            k.klp_module_coming(mod)
        except KernelError as e:
            self._free_module(mod)
            if isinstance(e, RawReturn) and e.ret > 0:
                return mod  # load_module() returns it as is: init_module(2) "succeeds"
            raise
        self._notify(mod, ModuleState.COMING)
        try:
            if mod.args:                # (parse_args() of none does nothing: params.py comes with args)
                from kernel.module.params import parse_args
                parse_args(k, mod.name, mod.args, mod.params)
            k.mod_sysfs_setup(mod)
        except KernelError:
            self._going_cleanup(mod)
            raise
        return self._do_init_module(mod)

    def _do_init_module(self, mod: Module) -> Module:
        k = self.k
        ret = 0
        if mod.init:
            # An Oops kills insmod here: the module stays COMING, its memory and whatever
            # init registered stay in place, and it can never be removed (as in Linux).
            ret = s32(k.run_guest(k.sched.current, mod.init, (), via="do_one_initcall",
                                  host=("__do_sys_finit_module", "load_module", "do_init_module"),
                                  fatal=True))
        if ret < 0:
            self._going_cleanup(mod)
            raise KernelError(-ret)
        if ret > 0:
            # pr_warn("%s: '%s'->init suspiciously returned %d, ...", __func__, mod->name, ...)
            k.log.warn(f"do_init_module: '{mod.name}'->init suspiciously returned {ret}, "
                       "it should follow 0/-E convention")
            k.log.warn("do_init_module: loading module anyway...")
            task = k.sched.current
            frames = ("__do_sys_finit_module", "load_module", "do_init_module", "dump_stack")
            task.host_stack.extend(frames)
            try:
                k.dump_stack(task)
            finally:
                del task.host_stack[-len(frames):]
        self._set_state(mod, ModuleState.LIVE)
        self._notify(mod, ModuleState.LIVE)
        self.module_put(mod)
        return mod

    def _going_cleanup(self, mod: Module) -> None:
        """coming_cleanup / fail path: GOING, notifiers, livepatch, free."""
        self._set_state(mod, ModuleState.GOING)
        self._notify(mod, ModuleState.GOING)
        self.k.klp_module_going(mod)
        self._free_module(mod)

    # --- delete_module ---------------------------------------------------------------
    def delete_module(self, name: str, flags: int = 0) -> None:
        mod = self.modules.get(name)
        if mod is None or mod.state == ModuleState.UNFORMED:
            raise KernelError(Errno.ENOENT)
        if mod.users:
            raise KernelError(Errno.EAGAIN)
        if mod.state != ModuleState.LIVE:
            raise KernelError(Errno.EBUSY)
        forced = bool(flags & MODULE_FLAGS_FORCE)
        if mod.init and not mod.exit and not forced:
            raise KernelError(Errno.EBUSY)
        mod.refs -= 1
        if mod.refs != 0:
            if not forced:
                mod.refs += 1
                raise KernelError(Errno.EAGAIN)
            self.k.add_taint("R")
        self._set_state(mod, ModuleState.GOING)
        k = self.k
        if mod.exit:
            # An Oops kills rmmod here: the module stays GOING for good.
            k.run_guest(k.sched.current, mod.exit, (), via="__x64_sys_delete_module", host=(),
                        fatal=True)
        self._notify(mod, ModuleState.GOING)
        k.klp_module_going(mod)
        self._free_module(mod)

    # --- helpers ---------------------------------------------------------------------
    def _set_state(self, mod: Module, state: ModuleState) -> None:
        mod.state = state
        if mod.struct_addr:
            self.k.mem.set_u32(mod.struct_addr + CModule.state.offset, int(state))

    def _notify(self, mod: Module, state: ModuleState) -> None:
        for cb in list(self.notifiers):
            cb(mod, state)
        self._notify_guest(mod, state)

    def _notify_guest(self, mod: Module, state: ModuleState) -> None:
        """blocking_notifier_call_chain(&module_notify_list, STATE, mod): the notifiers modules
        registered with register_module_notifier() (vmlinux kernel/module_notify.c)."""
        k = self.k
        vml = k.vmlinux
        head = vml.symbol("module_notify_list") if vml is not None else None
        call = vml.symbol("klpsh_module_notify") if vml is not None else None
        if not head or not call or not mod.struct_addr:
            return
        if not k.mem.u64(head + BlockingNotifierHead.head.offset):
            return                                  # an empty chain: nothing to call
        k.run_guest(k.sched.current, call, (int(state), mod.struct_addr),
                    via="blocking_notifier_call_chain", host=())

    def _free_module(self, mod: Module) -> None:
        k = self.k
        k.mod_sysfs_teardown(mod)
        if self.modules.get(mod.name) is mod:
            del self.modules[mod.name]
        for dep in mod.uses:
            if mod in dep.users:
                dep.users.remove(mod)
            self.module_put(dep)
        mod.uses.clear()
        k.kallsyms.remove_owner(mod.name)
        k.on_module_freed(mod)
        mod.state = ModuleState.UNFORMED
        if mod.base:
            k.module_free(mod.base)
            mod.base = 0
        if mod.percpu:
            from kernel.percpu import free_percpu
            free_percpu(k, mod.percpu)
            mod.percpu = 0

    def try_module_get(self, mod: Module) -> bool:
        if mod.state == ModuleState.GOING or mod.refs == 0:
            return False
        mod.refs += 1
        return True

    def module_put(self, mod: Module) -> None:
        if mod.refs > 0:
            mod.refs -= 1

    def by_address(self, addr: int) -> Module | None:
        for m in self.modules.values():
            if m.base <= addr < m.base + m.core_size:
                return m
        return None
