"""modpost for klpsh: stage 2 of a module build (scripts/mod/modpost.c of 4.19).

For each linked module object: warn about a missing MODULE_LICENSE, check every undefined symbol
against what the kernel and the modules of the same build export (`WARNING: "sym" [dir/m.ko]
undefined!`), refuse a GPL-incompatible module that uses a GPL-only export (`FATAL: modpost:
GPL-incompatible module dir/m.ko uses GPL-only symbol 'sym'`), and write the <module>.mod.c that
holds __this_module and the modinfo modpost adds (vermagic, name, intree, depends).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from kernel.record import field, record

__all__ = ["ModpostError", "ObjectSymbols", "Exports", "kernel_exports", "object_symbols",
           "check_module", "mod_c", "GPL_COMPATIBLE"]

# license_is_gpl_compatible() of 4.19 (include/linux/license.h)
GPL_COMPATIBLE = frozenset({"GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL",
                            "Dual MIT/GPL", "Dual MPL/GPL"})


# defined by the .mod.c linked in after modpost
_LINKED_LATER = frozenset({"__this_module"})


class ModpostError(Exception):
    """modpost stopped the build: str() is its FATAL line."""


@record
class ObjectSymbols:
    """What one linked module object defines, needs and says about itself."""

    defined: set[str] = field(default_factory=set)
    undefined: dict[str, bool] = field(default_factory=dict)        # name -> weak
    exports: dict[str, bool] = field(default_factory=dict)          # name -> GPL-only
    modinfo: dict[str, list[str]] = field(default_factory=dict)


@record
class Exports:
    """The symbol table modpost resolves against: name -> (owner, GPL-only)."""

    table: dict[str, tuple[str, bool]] = field(default_factory=dict)

    def add(self, owner: str, names: dict[str, bool]) -> None:
        for name, gpl in names.items():
            self.table.setdefault(name, (owner, gpl))


def _ksymtab_names(elf, secname: str) -> list[str]:
    """Names of the struct kernel_symbol entries of an unlinked object's __ksymtab section."""
    sec = elf.get_section_by_name(secname)
    if sec is None:
        return []
    rela = elf.get_section_by_name(f".rela{secname}")
    strings = elf.get_section_by_name("__ksymtab_strings")
    if rela is None or strings is None:
        return []
    symtab = elf.get_section(rela["sh_link"])
    data = strings.data()
    names = []
    for r in rela.iter_relocations():
        if r["r_offset"] % 16 != 8:
            continue                     # the value field; the name field is at +8
        sym = symtab.get_symbol(r["r_info_sym"])
        off = sym["st_value"] + r["r_addend"]     # a section symbol has value 0
        if off >= len(data):
            continue
        end = data.find(b"\0", off)
        names.append(data[off:end].decode("latin-1"))
    return names


def object_symbols(path: Path) -> ObjectSymbols:
    """Read the symbol table, exports and modinfo of a (relocatable) module object."""
    from elftools.elf.elffile import ELFFile

    out = ObjectSymbols()
    with Path(path).open("rb") as f:
        elf = ELFFile(f)
        symtab = elf.get_section_by_name(".symtab")
        for sym in (symtab.iter_symbols() if symtab is not None else ()):
            bind = sym["st_info"]["bind"]
            if not sym.name or bind not in ("STB_GLOBAL", "STB_WEAK"):
                continue
            if sym["st_shndx"] == "SHN_UNDEF":
                out.undefined[sym.name] = bind == "STB_WEAK"
            else:
                out.defined.add(sym.name)
        for secname, gpl in (("__ksymtab", False), ("__ksymtab_gpl", True)):
            for name in _ksymtab_names(elf, secname):
                out.exports[name] = gpl
        info = elf.get_section_by_name(".modinfo")
        for entry in (info.data().split(b"\0") if info is not None else ()):
            if b"=" in entry:
                tag, _, value = entry.decode("utf-8", "replace").partition("=")
                out.modinfo.setdefault(tag, []).append(value)
    for name in out.defined:
        out.undefined.pop(name, None)
    return out


@lru_cache(maxsize=4)
def _vmlinux_exports(path: str, mtime: float) -> dict[str, bool]:
    return object_symbols(Path(path)).exports


def kernel_exports(vmlinux_o: Path) -> dict[str, bool]:
    """Everything the kernel exports to modules: vmlinux's ksymtabs and the Python API."""
    from kernel.api import declared_apis
    from kernel.api.gpl_only import is_gpl_only

    out: dict[str, bool] = {}
    if vmlinux_o.is_file():
        out.update(_vmlinux_exports(str(vmlinux_o), vmlinux_o.stat().st_mtime))
    for name in declared_apis():
        out.setdefault(name, is_gpl_only(name))
    return out


def check_module(modpath: str, syms: ObjectSymbols, exports: Exports, *, warn,
                 gpl_check: bool = True) -> list[str]:
    """modpost's checks of one module (MODPATH: its path without .ko); returns the modules it
    depends on.  Warnings go to WARN; a GPL-only symbol in a non-GPL module raises ModpostError."""
    licenses = syms.modinfo.get("license", [])
    if not licenses:
        warn(f"WARNING: modpost: missing MODULE_LICENSE() in {modpath}.o\n"
             "see include/linux/module.h for more information")
    gpl_ok = all(lic in GPL_COMPATIBLE for lic in licenses) if licenses else False
    depends: list[str] = []
    for name in sorted(syms.undefined):
        if name in _LINKED_LATER:
            continue
        found = exports.table.get(name)
        if found is None:
            if not syms.undefined[name]:
                warn(f'WARNING: "{name}" [{modpath}.ko] undefined!')
            continue
        owner, gpl = found
        if gpl and not gpl_ok and gpl_check:
            raise ModpostError(f"FATAL: modpost: GPL-incompatible module {modpath}.ko "
                               f"uses GPL-only symbol '{name}'")
        if owner != "vmlinux" and owner not in depends:
            depends.append(owner)
    return depends


def _c_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def mod_c(*, has_init: bool, has_exit: bool, intree: bool, depends: list[str]) -> str:
    """Source of <name>.mod.c: __this_module and the modinfo modpost adds."""
    lines = [
        "/* generated by kernel/modpost.py: do not edit */",
        "#include <linux/module.h>",
        "#include <linux/vermagic.h>",
        "#include <linux/compiler.h>",
        "",
        "MODULE_INFO(vermagic, VERMAGIC_STRING);",
        "MODULE_INFO(name, KBUILD_MODNAME);",
        "",
        "extern int init_module(void) __attribute__((__weak__));",
        "extern void cleanup_module(void) __attribute__((__weak__));",
        "",
        "__visible struct module __this_module",
        '__attribute__((__section__(".gnu.linkonce.this_module"))) = {',
        "\t.name = KBUILD_MODNAME,",
    ]
    if has_init:
        lines.append("\t.init = init_module,")
    if has_exit:
        lines.append("\t.exit = cleanup_module,")
    lines += ["};", ""]
    if intree:
        lines.append('MODULE_INFO(intree, "Y");')
    lines += [f"MODULE_INFO(depends, {_c_string(','.join(depends))});", ""]
    return "\n".join(lines)
