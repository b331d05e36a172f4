"""kernel.klp_convert: .klp.module_relocs annotations -> .klp.rela sections and .klp.sym symbols."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kernel.klp_convert import (SHF_RELA_LIVEPATCH, SHN_LIVEPATCH, KlpConvertError, convert)

GCC = shutil.which("gcc")
LD = shutil.which("ld")
READELF = shutil.which("readelf")
needs_gcc = pytest.mark.skipif(GCC is None or LD is None, reason="gcc/ld not installed")
needs_readelf = pytest.mark.skipif(READELF is None, reason="readelf not installed")

# Stand-alone copies of the annotation macros, so these tests need no kernel headers;
# test_kbuild_* below uses the real ones from kernel/include/linux/livepatch.h.
PRELUDE = r"""
struct klp_module_reloc { void *sym; unsigned int sympos; } __attribute__((packed));
#define KLP_MODULE_RELOC(obj) struct klp_module_reloc \
    __attribute__((__section__(".klp.module_relocs." #obj), aligned(4), used))
#define KLP_SYMPOS(symbol, pos) { .sym = &symbol, .sympos = pos, }
extern int printk(const char *fmt, ...);
"""

PATCH_SRC = PRELUDE + r"""
extern int static_counter;
extern int static_helper(int);
extern int klpsh_dup_count(void);
static KLP_MODULE_RELOC(livepatch_callbacks_mod) mod_relocs[] = {
    KLP_SYMPOS(static_counter, 0), KLP_SYMPOS(static_helper, 0),
};
KLP_MODULE_RELOC(vmlinux) vmlinux_relocs[] = { KLP_SYMPOS(klpsh_dup_count, 2) };
int new_func(void)
{
    printk("counter %d\n", static_counter);
    return static_helper(static_counter) + klpsh_dup_count();
}
int (*helper_ptr)(int) = static_helper;
"""

CFLAGS = ["-O2", "-std=gnu11", "-ffreestanding", "-fno-pic", "-mcmodel=kernel", "-mno-red-zone",
          "-fno-stack-protector", "-fno-asynchronous-unwind-tables", "-fno-common",
          "-fno-omit-frame-pointer", "-pg", "-mfentry", "-mnop-mcount", "-mrecord-mcount"]


def build_raw(tmp_path: Path, source: str, name: str = "lp") -> Path:
    """gcc -c + ld -r, as kbuild does, without the kernel headers."""
    src = tmp_path / f"{name}.c"
    src.write_text(source)
    obj = tmp_path / f"{name}.o"
    ko = tmp_path / f"{name}.ko"
    subprocess.run([GCC, "-c", *CFLAGS, str(src), "-o", str(obj)], check=True)
    subprocess.run([LD, "-r", str(obj), "-o", str(ko)], check=True)
    return ko


def readelf(ko: Path) -> str:
    """readelf -W -S -s -r; the test fails on any readelf warning."""
    proc = subprocess.run([READELF, "-W", "-S", "-s", "-r", str(ko)], capture_output=True,
                          text=True, check=True)
    assert proc.stderr == ""
    return proc.stdout


def section_lines(text: str) -> dict[str, tuple[int, list[str]]]:
    """Section name -> (index, the fields after the name) from `readelf -S -W`."""
    out = {}
    for m in re.finditer(r"^\s*\[\s*(\d+)\]\s+(\S+)\s+(.*)$", text, re.M):
        if m.group(1) != "0":
            out[m.group(2)] = (int(m.group(1)), m.group(3).split())
    return out


def text_section_of(ko: Path, func: str) -> str:
    """Name of the section holding FUNC (gcc may put it in .text.unlikely or so)."""
    from elftools.elf.elffile import ELFFile

    with ko.open("rb") as f:
        elf = ELFFile(f)
        sym = elf.get_section_by_name(".symtab").get_symbol_by_name(func)[0]
        return elf.get_section(sym["st_shndx"]).name


def check_converted(ko: Path, text: str = ".text") -> None:
    """What the document's readelf examples show, for PATCH_SRC (new_func in section TEXT)."""
    out = readelf(ko)
    secs = section_lines(out)
    assert not any(n.startswith(".klp.module_relocs") or n.startswith(".rela.klp.module_relocs")
                   for n in secs)
    by_index = {idx: name for name, (idx, _) in secs.items()}
    for name in (f".klp.rela.livepatch_callbacks_mod{text}", f".klp.rela.vmlinux{text}",
                 ".klp.rela.livepatch_callbacks_mod.data"):
        typ, _addr, _off, _size, es, flg, lk, inf, al = secs[name][1]
        assert (typ, es, flg, al) == ("RELA", "18", "AIo", "8"), name
        assert by_index[int(lk)] == ".symtab"
        target = name[len(".klp.rela."):].split(".", 1)[1]
        assert by_index[int(inf)] == "." + target
    assert re.search(r"NOTYPE\s+GLOBAL\s+DEFAULT\s+OS \[0xff20\] "
                     r"\.klp\.sym\.livepatch_callbacks_mod\.static_counter,0$", out, re.M)
    assert re.search(r"OS \[0xff20\] \.klp\.sym\.livepatch_callbacks_mod\.static_helper,0$",
                     out, re.M)
    assert re.search(r"OS \[0xff20\] \.klp\.sym\.vmlinux\.klpsh_dup_count,2$", out, re.M)
    assert re.search(r"UND printk$", out, re.M)   # unannotated undefined symbols stay
    rel = out.split(f"Relocation section '.klp.rela.vmlinux{text}'")[1].split("\n\n")[0]
    assert "R_X86_64_PLT32" in rel and ".klp.sym.vmlinux.klpsh_dup_count,2 - 4" in rel
    rel = out.split("Relocation section '.klp.rela.livepatch_callbacks_mod.data'")[1]
    assert re.search(r"R_X86_64_64\s+0+ \.klp\.sym\.livepatch_callbacks_mod\.static_helper,0 \+ 0",
                     rel.split("\n\n")[0])
    plain = out.split(f"Relocation section '.rela{text}'")[1].split("\n\n")[0]
    assert ".klp.sym" not in plain and "printk - 4" in plain


def check_pyelftools(ko: Path, before: list[tuple[str, str, object]]) -> None:
    """pyelftools reads the file; symbol indices are kept, annotated ones renamed in place."""
    from elftools.elf.elffile import ELFFile

    with ko.open("rb") as f:
        elf = ELFFile(f)
        flags = {s.name: s["sh_flags"] for s in elf.iter_sections()}
        assert flags[".klp.rela.vmlinux.text"] & SHF_RELA_LIVEPATCH
        syms = list(elf.get_section_by_name(".symtab").iter_symbols())
        assert len(syms) == len(before)
        for sym, (name, _bind, shndx) in zip(syms, before):
            if sym.name.startswith(".klp.sym."):
                assert f".{name}," in sym.name and shndx == "SHN_UNDEF"
                assert sym["st_shndx"] == SHN_LIVEPATCH and sym["st_info"]["bind"] == "STB_GLOBAL"
            else:
                assert sym.name == name
        for rsec in (s for s in elf.iter_sections() if s["sh_type"] == "SHT_RELA"):
            for r in rsec.iter_relocations():
                assert r["r_info_sym"] < len(syms)


def symbol_list(ko: Path) -> list[tuple[str, str, object]]:
    from elftools.elf.elffile import ELFFile

    with ko.open("rb") as f:
        return [(s.name, s["st_info"]["bind"], s["st_shndx"])
                for s in ELFFile(f).get_section_by_name(".symtab").iter_symbols()]


@needs_gcc
@needs_readelf
def test_convert_standalone_module(tmp_path: Path) -> None:
    ko = build_raw(tmp_path, PATCH_SRC)
    before = symbol_list(ko)
    assert convert(ko) is True
    check_converted(ko)
    check_pyelftools(ko, before)
    after = symbol_list(ko)
    assert [n for n, _, _ in after if not n.startswith(".klp.sym.")] == \
        [n for n, _, _ in before if n not in ("static_counter", "static_helper", "klpsh_dup_count")]
    # A second run finds no annotations left and leaves the file alone.
    data = ko.read_bytes()
    assert convert(ko) is False
    assert ko.read_bytes() == data


@needs_gcc
def test_no_annotations_is_a_no_op(tmp_path: Path) -> None:
    ko = build_raw(tmp_path, PRELUDE + "extern int x; int f(void) { return printk(\"%d\", x); }\n")
    data = ko.read_bytes()
    assert convert(ko) is False
    assert ko.read_bytes() == data


@needs_gcc
def test_annotated_symbol_defined_in_module(tmp_path: Path) -> None:
    src = PRELUDE + """
int static_counter = 3;
KLP_MODULE_RELOC(livepatch_callbacks_mod) r[] = { KLP_SYMPOS(static_counter, 0) };
int f(void) { return static_counter; }
"""
    ko = build_raw(tmp_path, src)
    data = ko.read_bytes()
    with pytest.raises(KlpConvertError, match="symbol 'static_counter' is annotated for object "
                       "'livepatch_callbacks_mod' but is defined in this module"):
        convert(ko)
    assert ko.read_bytes() == data


@needs_gcc
def test_annotated_static_symbol_defined_in_module(tmp_path: Path) -> None:
    src = PRELUDE + """
static int hidden = 3;
KLP_MODULE_RELOC(vmlinux) r[] = { KLP_SYMPOS(hidden, 0) };
int f(void) { return hidden++; }
"""
    with pytest.raises(KlpConvertError, match="'hidden' is annotated .* defined in this module"):
        convert(build_raw(tmp_path, src))


@needs_gcc
def test_entry_without_symbol(tmp_path: Path) -> None:
    src = PRELUDE + """
KLP_MODULE_RELOC(vmlinux) r[] = { { .sym = 0, .sympos = 1 } };
"""
    with pytest.raises(KlpConvertError, match="entry 0 names no symbol"):
        convert(build_raw(tmp_path, src))


@needs_gcc
def test_entry_with_offset(tmp_path: Path) -> None:
    src = PRELUDE + """
extern char buf[];
KLP_MODULE_RELOC(vmlinux) r[] = { { .sym = buf + 4, .sympos = 0 } };
int f(void) { return buf[0]; }
"""
    with pytest.raises(KlpConvertError, match="must be the plain address of a symbol"):
        convert(build_raw(tmp_path, src))


@needs_gcc
def test_conflicting_annotations(tmp_path: Path) -> None:
    src = PRELUDE + """
extern int shared(void);
KLP_MODULE_RELOC(vmlinux) a[] = { KLP_SYMPOS(shared, 0) };
KLP_MODULE_RELOC(some_mod) b[] = { KLP_SYMPOS(shared, 1) };
int f(void) { return shared(); }
"""
    with pytest.raises(KlpConvertError, match="annotated twice"):
        convert(build_raw(tmp_path, src))


@needs_gcc
def test_same_annotation_twice_is_fine(tmp_path: Path) -> None:
    src = PRELUDE + """
extern int shared(void);
KLP_MODULE_RELOC(vmlinux) a[] = { KLP_SYMPOS(shared, 0), KLP_SYMPOS(shared, 0) };
int f(void) { return shared(); }
"""
    ko = build_raw(tmp_path, src)
    assert convert(ko) is True


@needs_gcc
def test_annotation_array_used_by_code(tmp_path: Path) -> None:
    src = PRELUDE + """
extern int x;
KLP_MODULE_RELOC(vmlinux) r[] = { KLP_SYMPOS(x, 0) };
void *f(void) { return r; }
"""
    with pytest.raises(KlpConvertError, match="refers to the klp_module_reloc annotation"):
        convert(build_raw(tmp_path, src))


@needs_gcc
def test_bad_object_name(tmp_path: Path) -> None:
    long_name = "m" * 56
    src = PRELUDE + f"""
extern int x;
KLP_MODULE_RELOC({long_name}) r[] = {{ KLP_SYMPOS(x, 0) }};
int f(void) {{ return x; }}
"""
    with pytest.raises(KlpConvertError, match="object name longer than 55"):
        convert(build_raw(tmp_path, src))


def test_not_an_elf(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ko"
    bad.write_bytes(b"not an elf file at all" * 4)
    with pytest.raises(KlpConvertError, match="bad.ko: not an ELF file"):
        convert(bad)


@needs_gcc
def test_cli_reports_errors_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kernel.klp_convert import main

    src = PRELUDE + "int x; KLP_MODULE_RELOC(vmlinux) r[] = { KLP_SYMPOS(x, 0) };\n"
    ko = build_raw(tmp_path, src)
    assert main([str(ko)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("klp-convert: lp.ko: symbol 'x' is annotated") and "Traceback" not in err


# --- through kernel.kbuild, with the real <linux/livepatch.h> -------------------------------

KBUILD_SRC = r"""
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/livepatch.h>

extern int static_counter;
extern int static_helper(int);
extern int klpsh_dup_count(void);

static KLP_MODULE_RELOC(livepatch_callbacks_mod) mod_relocs[] = {
	KLP_SYMPOS(static_counter, 0),
	KLP_SYMPOS(static_helper, 0),
};
KLP_MODULE_RELOC(vmlinux) vmlinux_relocs[] = { KLP_SYMPOS(klpsh_dup_count, 2) };

int new_func(void)
{
	pr_info("counter %d\n", static_counter);
	return static_helper(static_counter) + klpsh_dup_count();
}
int (*helper_ptr)(int) = static_helper;

MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""


def kbuild_module(tmp_path: Path, source: str, name: str = "klp-test") -> Path:
    kbuild = pytest.importorskip("kernel.kbuild")
    src = tmp_path / f"{name}.c"
    src.write_text(source)
    return kbuild.build_module(src, tmp_path / "out")


@needs_gcc
@needs_readelf
def test_kbuild_converts_annotated_livepatch_module(tmp_path: Path) -> None:
    ko = kbuild_module(tmp_path, KBUILD_SRC)
    text = readelf(ko)
    assert ".klp.module_relocs" not in text
    check_converted(ko, text_section_of(ko, "new_func"))
    from elftools.elf.elffile import ELFFile

    with ko.open("rb") as f:
        elf = ELFFile(f)
        names = {s.name for s in elf.get_section_by_name(".symtab").iter_symbols()}
        assert {".klp.sym.livepatch_callbacks_mod.static_counter,0",
                ".klp.sym.livepatch_callbacks_mod.static_helper,0",
                ".klp.sym.vmlinux.klpsh_dup_count,2"} <= names
        assert not {"static_counter", "static_helper", "klpsh_dup_count"} & names
        assert elf.get_section_by_name(".modinfo") is not None


@needs_gcc
def test_kbuild_reports_bad_annotation_as_build_error(tmp_path: Path) -> None:
    kbuild = pytest.importorskip("kernel.kbuild")
    src = KBUILD_SRC.replace("extern int static_counter;", "int static_counter = 1;")
    with pytest.raises(kbuild.BuildError, match="symbol 'static_counter' is annotated for object "
                       "'livepatch_callbacks_mod' but is defined in this module"):
        kbuild_module(tmp_path, src)
    assert not (tmp_path / "out" / "klp-test.ko").exists()


BUNDLED = Path(__file__).resolve().parent.parent / "modules" / "livepatch-klp-reloc.ko"


@needs_readelf
@pytest.mark.skipif(not BUNDLED.exists(), reason="modules/livepatch-klp-reloc.ko not built")
def test_bundled_sample_is_converted() -> None:
    text = readelf(BUNDLED)
    secs = section_lines(text)
    assert secs[".klp.rela.vmlinux.text"][1][5] == "AIo"
    assert secs[".klp.rela.livepatch_callbacks_mod.text"][1][5] == "AIo"
    for sym in (".klp.sym.vmlinux.klpsh_dup_count,2",
                ".klp.sym.livepatch_callbacks_mod.static_counter,0",
                ".klp.sym.livepatch_callbacks_mod.static_helper,0"):
        assert re.search(rf"NOTYPE\s+GLOBAL\s+DEFAULT\s+OS \[0xff20\] {re.escape(sym)}$", text, re.M)
