"""Documentation/livepatch/module-elf-format.rst of 5.4, rule by rule, on the 5.4 profile.

Read against 5.4.214: kernel/livepatch/core.c (klp_find_object_symbol, klp_resolve_symbols,
klp_write_object_relocations, klp_init_object_loaded, klp_module_coming), kernel/module.c
(check_modinfo_livepatch, simplify_symbols, apply_relocations, layout_symtab/add_kallsyms,
copy_module_elf) and arch/x86/kernel/module.c (apply_relocate_add).  5.4 still writes every
livepatch relocation from klp_init_object_loaded(): vmlinux's when klp_enable_patch() runs in
the patch module's init, a module's when it is loaded or comes later (klp_apply_section_relocs
and the early vmlinux relocations are 5.8).  The patch module is tests/modules/5.4/elf/k54_reloc.c
(klp-convert makes its .klp.rela sections); the target is modules/5.4/livepatch-callbacks-mod.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from conftest import MODULES, ROOT, S, needs_gcc, needs_kernel
from kernel import kbuild
from kernel.errno import Errno, KernelError
from kernel.machine import Kernel

elftools = pytest.importorskip("elftools")
from elftools.elf.elffile import ELFFile  # noqa: E402

pytestmark = [needs_kernel, needs_gcc]
LP = "/sys/kernel/livepatch"
SOURCE = ROOT / "tests" / "modules" / "5.4" / "elf" / "k54_reloc.c"
TARGET = "livepatch_callbacks_mod"
SHF_RELA_LIVEPATCH, SHN_LIVEPATCH, SHN_ABS = 0x00100000, 0xFF20, 0xFFF1


@pytest.fixture(scope="module")
def patch_ko(tmp_path_factory):
    """k54_reloc.ko built for 5.4 with the given -D flags (once per set of flags)."""
    built: dict[tuple[str, ...], bytes] = {}

    def get(*defines: str) -> bytes:
        if defines not in built:
            out = tmp_path_factory.mktemp("k54-reloc")
            built[defines] = kbuild.build_module(SOURCE, out, kernel="5.4",
                                                 ccflags=[f"-D{d}" for d in defines]).read_bytes()
        return built[defines]
    return get


@pytest.fixture
def k(elf_cache):
    machine = Kernel.boot(clock_mode="virtual", elf_cache=elf_cache, kernel="5.4")
    machine.lines = []
    machine.printk.consoles.append(lambda r: machine.lines.append(r.text))
    yield machine
    machine.shutdown()


def _target() -> bytes:
    return (MODULES / "5.4" / "livepatch-callbacks-mod.ko").read_bytes()


def _mine(k) -> list[str]:
    return [ln.partition(": ")[2] for ln in k.lines
            if ln.startswith("k54_reloc: ") and "tainting" not in ln]


# --- the format klp-convert writes (rst 3.1, 4.2) ----------------------------------------

def test_klp_rela_sections_and_klp_sym_symbols(patch_ko, tmp_path):
    """.klp.rela.<obj>.<section>: SHT_RELA, SHF_ALLOC | SHF_RELA_LIVEPATCH, linked to .symtab;
    every symbol they use is .klp.sym.<obj>.<name>,<pos> with st_shndx SHN_LIVEPATCH."""
    path = tmp_path / "k54_reloc.ko"
    path.write_bytes(patch_ko())
    with path.open("rb") as f:
        elf = ELFFile(f)
        symtab = elf.get_section_by_name(".symtab")
        klp = {s.name: s for s in elf.iter_sections() if s.name.startswith(".klp.rela.")}
        assert sorted(klp) == [f".klp.rela.{TARGET}.text", ".klp.rela.vmlinux.text"]
        used = set()
        for sec in klp.values():
            assert sec["sh_type"] == "SHT_RELA"
            assert sec["sh_flags"] & (SHF_RELA_LIVEPATCH | 0x2) == SHF_RELA_LIVEPATCH | 0x2
            assert elf.get_section(sec["sh_link"]).name == ".symtab"
            assert elf.get_section(sec["sh_info"]).name == ".text"
            for rel in sec.iter_relocations():
                sym = symtab.get_symbol(rel["r_info_sym"])
                assert sym["st_shndx"] == SHN_LIVEPATCH
                used.add(sym.name)
        assert used == {".klp.sym.vmlinux.klpsh_dup_count,2", ".klp.sym.vmlinux.cmdline_proc_show,0",
                        f".klp.sym.{TARGET}.static_counter,0", f".klp.sym.{TARGET}.static_helper,0"}
        assert not any(s.name.startswith(".klp.module_relocs") for s in elf.iter_sections())


# --- the module loader (rst 2, 3.1, 4, 5) ------------------------------------------------

def test_loader_leaves_livepatch_symbols_and_sections_to_livepatch(k, patch_ko):
    """modinfo livepatch=Y taints K (check_modinfo_livepatch); SHN_LIVEPATCH symbols are not
    resolved (no 'Unknown symbol' for unexported names) and SHF_RELA_LIVEPATCH sections not
    applied at load; Elf information (klp_info: header, section headers and names, symtab
    index) and the whole symbol table in its original order are kept for a livepatch module."""
    k.init_module(patch_ko(), "")
    assert "k54_reloc: tainting kernel with TAINT_LIVEPATCH" in k.lines
    assert "K" in k.taints and not any("Unknown symbol" in ln for ln in k.lines)
    mod = k.modules["k54_reloc"]
    info = mod.klp_info
    assert info is not None
    assert [s.name for s in info.sections] == [s.name for s in mod.image.sections]
    assert [s.name for s in info.symbols] == [s.name for s in mod.image.symbols]
    k.init_module(_target(), "")
    assert k.modules[TARGET].klp_info is None          # only livepatch modules keep it
    k.run_for(2 * S)


def test_vmlinux_relocations_are_written_by_klp_enable_patch(k, patch_ko):
    """5.4: klp_enable_patch() -> klp_init_object_loaded() writes .klp.rela.vmlinux.*; code of
    the patch module run before it still sees the unrelocated place."""
    k.init_module(patch_ko(), "")
    assert _mine(k)[-2:] == ["before klp_enable_patch: relocated 0", "after klp_enable_patch: relocated 1"]
    k.run_for(2 * S)
    assert k.fs.read("/proc/cmdline") == "dup 2\nmod not loaded\n"      # klpsh_dup_count sympos 2


def test_module_relocations_when_the_target_is_loaded_before(k, patch_ko):
    k.init_module(_target(), "")
    k.init_module(patch_ko(), "")
    k.run_for(2 * S)
    assert k.fs.read("/proc/cmdline") == "dup 2\ncounter 1 helper 2\n"
    assert k.fs.read("/proc/cmdline") == "dup 2\ncounter 2 helper 3\n"


def test_module_relocations_when_the_target_comes_later(k, patch_ko):
    """klp_module_coming() -> klp_init_object_loaded(): written before the module's init."""
    k.init_module(patch_ko(), "")
    k.run_for(2 * S)
    assert k.fs.read("/proc/cmdline") == "dup 2\nmod not loaded\n"
    k.init_module(_target(), "")
    assert f"livepatch: applying patch 'k54_reloc' to loading module '{TARGET}'" in k.lines
    assert k.fs.read("/proc/cmdline") == "dup 2\ncounter 1 helper 2\n"


def test_a_target_module_loaded_again_is_refused(k, patch_ko):
    """Nothing in 5.4 clears a module's relocations when it goes, so when it comes again x86's
    apply_relocate_add() finds the places written and klp_module_coming() refuses the module
    (the bug 6.3 fixed with klp_clear_object_relocs); once the patch is gone it loads."""
    k.init_module(patch_ko(), "")
    k.init_module(_target(), "")
    k.run_for(2 * S)
    k.delete_module(TARGET)
    assert f"livepatch: reverting patch 'k54_reloc' on unloading module '{TARGET}'" in k.lines
    n = len(k.lines)
    with pytest.raises(KernelError) as e:
        k.init_module(_target(), "")
    assert e.value.errno == Errno.ENOEXEC
    new = [ln for ln in k.lines[n:] if "livepatch" in ln or "x86/modules" in ln]
    assert new[0].startswith("module: x86/modules: Skipping invalid relocation target, existing "
                             "value is nonzero for type ")
    assert new[1:] == [
        f"livepatch: failed to initialize patch 'k54_reloc' for module '{TARGET}' (-8)",
        f"livepatch: patch 'k54_reloc' failed for module '{TARGET}', refusing to load module '{TARGET}'"]
    assert TARGET not in k.modules
    assert k.fs.read("/proc/cmdline") == "dup 2\nmod not loaded\n"
    k.fs.write(f"{LP}/k54_reloc/enabled", "0\n")
    k.run_for(2 * S)
    k.delete_module("k54_reloc")
    k.init_module(_target(), "")
    assert TARGET in k.modules


# --- errors: klp_find_object_symbol() and klp_resolve_symbols() ---------------------------

@pytest.mark.parametrize("defines,line", [
    (("DUPPOS=0",), "livepatch: unresolvable ambiguity for symbol 'klpsh_dup_count' in object '(null)'"),
    (("DUPPOS=3",), "livepatch: symbol position 3 for symbol 'klpsh_dup_count' in object 'vmlinux' not found"),
    (("klpsh_dup_count=klpsh_no_such_count",),
     "livepatch: symbol 'klpsh_no_such_count' not found in symbol table"),
])
def test_a_vmlinux_symbol_that_does_not_resolve_fails_klp_enable_patch(k, patch_ko, defines, line):
    with pytest.raises(KernelError) as e:
        k.init_module(patch_ko(*defines), "")
    assert e.value.errno == Errno.EINVAL
    assert line in k.lines
    assert _mine(k) == ["before klp_enable_patch: relocated 0"]
    assert "k54_reloc" not in k.modules and k.fs.listdir(LP) == []


def test_a_module_symbol_that_does_not_resolve(k, patch_ko):
    """At klp_enable_patch() when the module is there; at klp_module_coming() when it comes."""
    ko = patch_ko("MODPOS=2")
    want = f"livepatch: symbol position 2 for symbol 'static_counter' in object '{TARGET}' not found"
    k.init_module(_target(), "")
    with pytest.raises(KernelError) as e:
        k.init_module(ko, "")
    assert e.value.errno == Errno.EINVAL and want in k.lines
    k.delete_module(TARGET)
    k.lines.clear()
    k.init_module(ko, "")
    k.run_for(2 * S)
    with pytest.raises(KernelError) as e:
        k.init_module(_target(), "")
    assert e.value.errno == Errno.EINVAL
    assert [ln for ln in k.lines if ln.startswith("livepatch: ")][-3:] == [
        want,
        f"livepatch: failed to initialize patch 'k54_reloc' for module '{TARGET}' (-22)",
        f"livepatch: patch 'k54_reloc' failed for module '{TARGET}', refusing to load module '{TARGET}'"]
    assert TARGET not in k.modules


# --- errors a klp-convert never makes: the module's bytes changed --------------------------

def _sections(image: bytes) -> list[tuple[int, int, int, int, int, int]]:
    """(sh_name, sh_type, sh_offset, sh_size, sh_link, sh_entsize) of each section header."""
    shoff, = struct.unpack_from("<Q", image, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", image, 0x3A)
    out = []
    for i in range(shnum):
        name, typ, _flags, _addr, off, size, link, _info, _align, entsize = struct.unpack_from(
            "<IIQQQQIIQQ", image, shoff + i * shentsize)
        out.append((name, typ, off, size, link, entsize))
    return out


def _set_shndx(image: bytes, symname: str, shndx: int) -> bytes:
    """IMAGE with the st_shndx of the symbol called SYMNAME set to SHNDX."""
    data = bytearray(image)
    for _name, typ, off, size, link, entsize in _sections(image):
        if typ != 2:                                   # SHT_SYMTAB
            continue
        stroff = _sections(image)[link][2]
        for pos in range(off, off + size, entsize):
            st_name, = struct.unpack_from("<I", image, pos)
            end = image.index(b"\0", stroff + st_name)
            if image[stroff + st_name:end] == symname.encode():
                struct.pack_into("<H", data, pos + 6, shndx)
                return bytes(data)
    raise AssertionError(symname)


def _rename(image: bytes, old: str, new: str) -> bytes:
    """IMAGE with the one string OLD (a symbol or section name) spelt NEW (as long)."""
    assert len(old) == len(new) and image.count(old.encode() + b"\0") == 1
    return image.replace(old.encode() + b"\0", new.encode() + b"\0")


@pytest.mark.parametrize("change,line", [
    (lambda ko: _set_shndx(ko, ".klp.sym.vmlinux.klpsh_dup_count,2", SHN_ABS),
     "livepatch: symbol .klp.sym.vmlinux.klpsh_dup_count,2 is not marked as a livepatch symbol"),
    (lambda ko: _rename(ko, ".klp.sym.vmlinux.klpsh_dup_count,2", ".klp.sym.vmlinux.klpsh_dup_count;2"),
     "livepatch: symbol .klp.sym.vmlinux.klpsh_dup_count;2 has an incorrectly formatted name"),
    (lambda ko: _rename(ko, ".klp.rela.vmlinux.text", ".klp.rela..vmlinuxtext"),
     "livepatch: section .klp.rela..vmlinuxtext has an incorrectly formatted name"),
])
def test_malformed_livepatch_elf_fails_klp_enable_patch(k, patch_ko, change, line):
    with pytest.raises(KernelError) as e:
        k.init_module(change(patch_ko()), "")
    assert e.value.errno == Errno.EINVAL
    assert line in k.lines
    assert "k54_reloc" not in k.modules and k.fs.listdir(LP) == []


# --- klp_func.old_sympos: the same lookup for the function to patch ------------------------

SYMPOS_PATCH = """
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/livepatch.h>
extern int klpsh_dup_count_a(void), klpsh_dup_count_b(void);
static int new_count(void) { return 42; }
static struct klp_func funcs[] = { { .old_name = "klpsh_dup_count", .new_func = new_count,
				     .old_sympos = SYMPOS }, { } };
static struct klp_object objs[] = { { .funcs = funcs }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };
static int __init sympos_init(void)
{
	int ret = klp_enable_patch(&patch);
	pr_info("enable %d: a %d b %d\\n", ret, klpsh_dup_count_a(), klpsh_dup_count_b());
	return ret;
}
static void __exit sympos_exit(void) { }
module_init(sympos_init);
module_exit(sympos_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""


@pytest.mark.parametrize("sympos,line", [
    (0, "livepatch: unresolvable ambiguity for symbol 'klpsh_dup_count' in object '(null)'"),
    (3, "livepatch: symbol position 3 for symbol 'klpsh_dup_count' in object 'vmlinux' not found"),
    (1, None), (2, None)])
def test_old_sympos_picks_one_of_two_same_named_functions(k, tmp_path, sympos, line):
    """klp_init_object_loaded() looks func->old_name up with old_sympos as relocations are;
    the sysfs name is <function,sympos> (1 for 0)."""
    src = tmp_path / "sympos_patch.c"
    src.write_text(SYMPOS_PATCH)
    ko = kbuild.build_module(src, tmp_path, kernel="5.4", ccflags=[f"-DSYMPOS={sympos}"]).read_bytes()
    if line is not None:
        with pytest.raises(KernelError) as e:
            k.init_module(ko, "")
        assert e.value.errno == Errno.EINVAL and line in k.lines
        assert k.fs.listdir(LP) == []
        return
    k.init_module(ko, "")
    k.run_for(2 * S)
    assert k.fs.listdir(f"{LP}/sympos_patch/vmlinux") == [f"klpsh_dup_count,{sympos}"]
    want = "enable 0: a 42 b 2" if sympos == 1 else "enable 0: a 1 b 42"
    assert [ln for ln in k.lines if ln.startswith("sympos_patch: enable")] == [f"sympos_patch: {want}"]
