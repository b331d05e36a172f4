"""kernel.livepatch.reloc: livepatch symbol resolution and .klp.rela walking, no emulator."""

from __future__ import annotations

import struct

import pytest

from kernel.errno import Errno, KernelError
from kernel.livepatch.reloc import (SHF_RELA_LIVEPATCH, SHN_LIVEPATCH, KlpInfo, KlpSection,
                                    KlpSymbol, klp_find_object_symbol, klp_resolve_symbols,
                                    klp_write_object_relocations, scan_klp_rela, scan_klp_sym)

SHT_RELA = 4
SHF_ALLOC = 0x2
SHF_INFO_LINK = 0x40
R_X86_64_PC32 = 2

KALLSYMS: dict[str | None, list[tuple[str, int]]] = {
    None: [("printk", 0x1000), ("klpsh_dup_count", 0x2000), ("cmdline_proc_show", 0x2100),
           ("klpsh_dup_count", 0x2200)],
    "livepatch_callbacks_mod": [("livepatch_callbacks_mod_init", 0x9000),
                                ("static_counter", 0x9100), ("static_helper", 0x9200)],
}


def symbols_of(objname: str | None) -> list[tuple[str, int]]:
    return KALLSYMS.get(objname, [])


class Log:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, msg: str) -> None:
        self.lines.append(msg)


def lp_sym(name: str) -> KlpSymbol:
    return KlpSymbol(name=name, value=0, size=0, info=0x10, shndx=SHN_LIVEPATCH)


def rela(*syms: int) -> bytes:
    return b"".join(struct.pack("<QQq", 8 * i, (s << 32) | R_X86_64_PC32, -4)
                    for i, s in enumerate(syms))


def klp_sec(index: int, name: str, data: bytes, target: int = 1) -> KlpSection:
    return KlpSection(index=index, name=name, sh_type=SHT_RELA,
                      sh_flags=SHF_ALLOC | SHF_INFO_LINK | SHF_RELA_LIVEPATCH,
                      sh_info=target, sh_link=3, data=data)


def make_info(symbols: list[KlpSymbol], klp_sections: list[KlpSection]) -> KlpInfo:
    plain = [KlpSection(0, "", 0, 0, 0, 0, b""),
             KlpSection(1, ".text", 1, 0x6, 0, 0, b"\0" * 64),
             KlpSection(2, ".rela.text", SHT_RELA, 0x40, 1, 3, b""),
             KlpSection(3, ".symtab", 2, 0, 0, 4, b"")]
    return KlpInfo(sections=plain + klp_sections,
                   symbols=[KlpSymbol("", 0, 0, 0, 0)] + symbols,
                   section_addr={1: 0x40000})


# --- klp_find_object_symbol ---------------------------------------------------------------

def test_find_unique_symbol() -> None:
    log = Log()
    assert klp_find_object_symbol(symbols_of, None, "printk", 0, log) == 0x1000
    assert klp_find_object_symbol(symbols_of, "livepatch_callbacks_mod", "static_helper", 0,
                                  log) == 0x9200
    assert klp_find_object_symbol(symbols_of, None, "printk", 1, log) == 0x1000
    assert log.lines == []


def test_find_by_position() -> None:
    log = Log()
    assert klp_find_object_symbol(symbols_of, None, "klpsh_dup_count", 1, log) == 0x2000
    assert klp_find_object_symbol(symbols_of, None, "klpsh_dup_count", 2, log) == 0x2200
    assert log.lines == []


def test_not_found() -> None:
    log = Log()
    with pytest.raises(KernelError) as e:
        klp_find_object_symbol(symbols_of, None, "nosuch", 0, log)
    assert e.value.errno == Errno.EINVAL
    assert log.lines == ["symbol 'nosuch' not found in symbol table\n"]


def test_symbol_of_other_object_not_found() -> None:
    log = Log()
    with pytest.raises(KernelError):
        klp_find_object_symbol(symbols_of, "livepatch_callbacks_mod", "printk", 0, log)
    assert log.lines == ["symbol 'printk' not found in symbol table\n"]


def test_ambiguity_vmlinux_prints_null() -> None:
    log = Log()
    with pytest.raises(KernelError) as e:
        klp_find_object_symbol(symbols_of, None, "klpsh_dup_count", 0, log)
    assert e.value.errno == Errno.EINVAL
    assert log.lines == ["unresolvable ambiguity for symbol 'klpsh_dup_count' in object '(null)'\n"]


def test_ambiguity_in_module() -> None:
    log = Log()
    syms = {"m": [("f", 1), ("f", 2), ("f", 3)]}
    with pytest.raises(KernelError):
        klp_find_object_symbol(lambda o: syms.get(o, []), "m", "f", 0, log)
    assert log.lines == ["unresolvable ambiguity for symbol 'f' in object 'm'\n"]


def test_position_not_found() -> None:
    log = Log()
    with pytest.raises(KernelError) as e:
        klp_find_object_symbol(symbols_of, None, "klpsh_dup_count", 3, log)
    assert e.value.errno == Errno.EINVAL
    assert log.lines == ["symbol position 3 for symbol 'klpsh_dup_count' in object 'vmlinux' not found\n"]
    log.lines.clear()
    with pytest.raises(KernelError):
        klp_find_object_symbol(symbols_of, "livepatch_callbacks_mod", "static_counter", 2, log)
    assert log.lines == ["symbol position 2 for symbol 'static_counter' in object "
                         "'livepatch_callbacks_mod' not found\n"]


def test_walk_stops_early() -> None:
    """sympos 0 stops at the second match; sympos N at the N-th (later entries never read)."""
    seen: list[str] = []

    def walk(objname: str | None):
        for name, addr in [("a", 1), ("a", 2), ("boom", 0)]:
            seen.append(name)
            yield name, addr

    with pytest.raises(KernelError):
        klp_find_object_symbol(walk, None, "a", 0, Log())
    assert seen == ["a", "a"]
    seen.clear()
    assert klp_find_object_symbol(walk, None, "a", 1, Log()) == 1
    assert seen == ["a"]


def test_address_zero_counts_as_not_found() -> None:
    log = Log()
    with pytest.raises(KernelError):
        klp_find_object_symbol(lambda o: [("z", 0)], None, "z", 0, log)
    assert log.lines == ["symbol 'z' not found in symbol table\n"]


# --- sscanf emulation ---------------------------------------------------------------------

@pytest.mark.parametrize("name, want", [
    (".klp.sym.vmlinux.printk,0", ("vmlinux", "printk", 0)),
    (".klp.sym.btrfs.can_modify_feature.isra.3,0", ("btrfs", "can_modify_feature.isra.3", 0)),
    (".klp.sym.vmlinux.f, 7junk", ("vmlinux", "f", 7)),       # %lu skips blanks; rest ignored
    (".klp.sym.vmlinux.f,18446744073709551617", ("vmlinux", "f", 1)),  # wraps like simple_strtoul
    (".klp.sym." + "o" * 55 + ".f,1", ("o" * 55, "f", 1)),
    (".klp.sym.o." + "s" * 127 + ",2", ("o", "s" * 127, 2)),
    (".klp.sym.vmlinux.f,-1", None),        # the kernel's %lu takes no sign
    (".klp.sym.vmlinux.f,+1", None),
    (".klp.sym.vmlinux.f,", None),
    (".klp.sym.vmlinux.f", None),
    (".klp.sym..f,0", None),                # empty objname
    (".klp.sym.vmlinux.,0", None),          # empty symname
    (".klp.sym." + "o" * 56 + ".f,1", None),  # objname longer than %55
    (".klp.sym.o." + "s" * 128 + ",2", None),  # symname longer than %127
    (".klp.sym.vmlinux", None),
    ("klp.sym.vmlinux.f,0", None),
    ("", None),
])
def test_scan_klp_sym(name: str, want: tuple[str, str, int] | None) -> None:
    assert scan_klp_sym(name) == want


def test_scan_klp_rela() -> None:
    assert scan_klp_rela(".klp.rela.vmlinux.text") == "vmlinux"
    assert scan_klp_rela(".klp.rela.livepatch_callbacks_mod.text.f") == "livepatch_callbacks_mod"
    assert scan_klp_rela(".klp.rela." + "m" * 60 + ".text") == "m" * 55   # width truncates
    assert scan_klp_rela(".klp.rela..text") is None
    assert scan_klp_rela(".klp.rela.") is None
    assert scan_klp_rela(".rela.text") is None


# --- klp_resolve_symbols ------------------------------------------------------------------

def test_resolve_writes_values() -> None:
    syms = [lp_sym(".klp.sym.vmlinux.printk,0"),
            lp_sym(".klp.sym.vmlinux.klpsh_dup_count,2"),
            lp_sym(".klp.sym.livepatch_callbacks_mod.static_counter,0")]
    sec = klp_sec(4, ".klp.rela.vmlinux.text", rela(1, 2, 3, 1))
    info = make_info(syms, [sec])
    log = Log()
    klp_resolve_symbols(sec, info, symbols_of, log)
    assert [s.value for s in info.symbols[1:]] == [0x1000, 0x2200, 0x9100]
    assert log.lines == []


def test_resolve_not_livepatch_symbol() -> None:
    plain = KlpSymbol("printk", 0, 0, 0x10, 0)
    sec = klp_sec(4, ".klp.rela.vmlinux.text", rela(1))
    log = Log()
    with pytest.raises(KernelError) as e:
        klp_resolve_symbols(sec, make_info([plain], [sec]), symbols_of, log)
    assert e.value.errno == Errno.EINVAL
    assert log.lines == ["symbol printk is not marked as a livepatch symbol\n"]


@pytest.mark.parametrize("bad", [".klp.sym.vmlinux.printk", ".klp.sym.vmlinux.printk,x",
                                 ".klp.sym." + "v" * 56 + ".printk,0", "printk,0"])
def test_resolve_badly_formatted_name(bad: str) -> None:
    sec = klp_sec(4, ".klp.rela.vmlinux.text", rela(1))
    log = Log()
    with pytest.raises(KernelError) as e:
        klp_resolve_symbols(sec, make_info([lp_sym(bad)], [sec]), symbols_of, log)
    assert e.value.errno == Errno.EINVAL
    assert log.lines == [f"symbol {bad} has an incorrectly formatted name\n"]


def test_resolve_stops_at_first_failure() -> None:
    syms = [lp_sym(".klp.sym.vmlinux.printk,0"), lp_sym(".klp.sym.vmlinux.nosuch,0"),
            lp_sym(".klp.sym.vmlinux.klpsh_dup_count,0")]
    sec = klp_sec(4, ".klp.rela.vmlinux.text", rela(1, 2, 3))
    info = make_info(syms, [sec])
    log = Log()
    with pytest.raises(KernelError):
        klp_resolve_symbols(sec, info, symbols_of, log)
    assert log.lines == ["symbol 'nosuch' not found in symbol table\n"]
    assert info.symbols[1].value == 0x1000 and info.symbols[3].value == 0


def test_resolve_uses_symbol_objname_not_section_objname() -> None:
    """As in 4.19, the object named in the symbol decides where it is looked up."""
    syms = [lp_sym(".klp.sym.livepatch_callbacks_mod.static_helper,0")]
    sec = klp_sec(4, ".klp.rela.vmlinux.text", rela(1))
    info = make_info(syms, [sec])
    klp_resolve_symbols(sec, info, symbols_of, Log())
    assert info.symbols[1].value == 0x9200


# --- klp_write_object_relocations ---------------------------------------------------------

def _two_object_info() -> KlpInfo:
    syms = [lp_sym(".klp.sym.vmlinux.klpsh_dup_count,2"),
            lp_sym(".klp.sym.livepatch_callbacks_mod.static_counter,0"),
            lp_sym(".klp.sym.livepatch_callbacks_mod.static_helper,0")]
    return make_info(syms, [klp_sec(4, ".klp.rela.vmlinux.text", rela(1)),
                            klp_sec(5, ".klp.rela.livepatch_callbacks_mod.text", rela(2, 3))])


def test_write_relocations_per_object() -> None:
    info = _two_object_info()
    applied: list[str] = []
    log = Log()
    klp_write_object_relocations(info, None, symbols_of,
                                 lambda sec, inf: applied.append(sec.name), log)
    assert applied == [".klp.rela.vmlinux.text"]
    assert [s.value for s in info.symbols[1:]] == [0x2200, 0, 0]
    klp_write_object_relocations(info, "livepatch_callbacks_mod", symbols_of,
                                 lambda sec, inf: applied.append(sec.name), log)
    assert applied == [".klp.rela.vmlinux.text", ".klp.rela.livepatch_callbacks_mod.text"]
    assert [s.value for s in info.symbols[1:]] == [0x2200, 0x9100, 0x9200]
    assert log.lines == []


def test_write_relocations_skips_other_objects_and_plain_rela() -> None:
    info = _two_object_info()
    applied: list[str] = []
    klp_write_object_relocations(info, "some_other_mod", symbols_of,
                                 lambda sec, inf: applied.append(sec.name), Log())
    assert applied == []


def test_write_relocations_bad_section_name() -> None:
    info = _two_object_info()
    info.sections.append(klp_sec(6, ".klp.rela..text", rela(1)))
    log = Log()
    applied: list[str] = []
    with pytest.raises(KernelError) as e:
        klp_write_object_relocations(info, "livepatch_callbacks_mod", symbols_of,
                                     lambda sec, inf: applied.append(sec.name), log)
    assert e.value.errno == Errno.EINVAL
    # earlier sections of the walk were handled before the bad one stopped it
    assert applied == [".klp.rela.livepatch_callbacks_mod.text"]
    assert log.lines == ["section .klp.rela..text has an incorrectly formatted name\n"]


def test_write_relocations_long_objname_truncated_and_skipped() -> None:
    """%55[^.] reads 55 characters of a longer name: no error, it just never matches."""
    long_name = "m" * 60
    info = make_info([lp_sym(f".klp.sym.{long_name}.f,0")],
                     [klp_sec(4, f".klp.rela.{long_name}.text", rela(1))])
    applied: list[str] = []
    klp_write_object_relocations(info, long_name, symbols_of,
                                 lambda sec, inf: applied.append(sec.name), Log())
    assert applied == []


def test_write_relocations_resolution_error_stops_before_apply() -> None:
    info = make_info([lp_sym(".klp.sym.vmlinux.klpsh_dup_count,0")],
                     [klp_sec(4, ".klp.rela.vmlinux.text", rela(1)),
                      klp_sec(5, ".klp.rela.vmlinux.data", rela(1))])
    log = Log()
    applied: list[str] = []
    with pytest.raises(KernelError):
        klp_write_object_relocations(info, None, symbols_of,
                                     lambda sec, inf: applied.append(sec.name), log)
    assert applied == []
    assert log.lines == ["unresolvable ambiguity for symbol 'klpsh_dup_count' in object '(null)'\n"]


def test_apply_error_propagates() -> None:
    info = _two_object_info()

    def failing(sec: KlpSection, inf: KlpInfo) -> None:
        raise KernelError(Errno.ENOEXEC, "Unknown rela relocation")

    with pytest.raises(KernelError) as e:
        klp_write_object_relocations(info, None, symbols_of, failing, Log())
    assert e.value.errno == Errno.ENOEXEC


@pytest.mark.skipif(not __import__("conftest").have_kernel(), reason="vmlinux.o or bundled modules not built")
def test_each_load_keeps_symbols_of_its_own_and_the_image_s_sections(kernel) -> None:
    """copy_module_elf(): a load's klp_info has the image's sections (made once per image,
    shared: nothing writes them) and symbols of its own (klp_resolve_symbols writes their
    values), as the ELF gives them with the load's symbol values."""
    from conftest import ko
    name = "livepatch_callbacks_demo"
    infos = []
    for _ in range(2):
        kernel.init_module(ko("livepatch-callbacks-demo"), "")
        mod = kernel.modules[name]
        info = mod.klp_info
        img = mod.image
        assert [(s.name, s.value, s.size, s.info, s.shndx) for s in info.symbols] == \
            [(s.name, v, s.size, s.info, s.shndx) for s, v in zip(img.symbols, mod.sym_values)]
        assert [(s.index, s.name, s.sh_type, s.sh_flags, s.sh_info, s.sh_link, s.data) for s in info.sections] == \
            [(s.index, s.name, s.sh_type, s.sh_flags, s.sh_info, s.sh_link, s.data if s.sh_type == SHT_RELA else b"")
             for s in img.sections]
        assert info.section_addr == mod.section_addr and info.section_addr is not mod.section_addr
        infos.append(info)
        kernel.fs.write(f"/sys/kernel/livepatch/{name}/enabled", "0")
        kernel.run_until_time(kernel.clock.now + 5 * 10**9)
        kernel.delete_module(name)
    first, second = infos
    assert first.sections is not second.sections and all(a is b for a, b in zip(first.sections, second.sections))
    assert not any(a is b for a, b in zip(first.symbols, second.symbols))
