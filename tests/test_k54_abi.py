"""The 5.4 headers (kernel/include-5.4 in front of kernel/include) as gcc sees them: the
livepatch structures of kernel/abi.py STRUCTS_5_4, the 5.4 version magic, and no trace of
the 4.19-only API."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from kernel import abi, kbuild
from kernel.profile import get_profile

elftools = pytest.importorskip("elftools")
from elftools.elf.elffile import ELFFile  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed")


def _compile(tmp: Path, source: str) -> dict[str, bytes]:
    src = tmp / "k54_layout.c"
    src.write_text(source)
    obj = tmp / "k54_layout.o"
    proc = subprocess.run(["gcc", *kbuild.compile_flags("k54_layout", "k54_layout", kernel="5.4"),
                           "-Wall", "-Werror", "-DMODULE", "-c", str(src), "-o", str(obj)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    out: dict[str, bytes] = {}
    with obj.open("rb") as f:
        elf = ELFFile(f)
        for sym in elf.get_section_by_name(".symtab").iter_symbols():
            if sym["st_info"]["type"] == "STT_OBJECT" and isinstance(sym["st_shndx"], int):
                data = elf.get_section(sym["st_shndx"]).data()
                out[sym.name] = data[sym["st_value"]:sym["st_value"] + sym["st_size"]]
    return out


def test_livepatch_structs_match_the_5_4_header(tmp_path):
    lines = ["#include <linux/livepatch.h>", "#include <linux/vermagic.h>",
             "#include <linux/platform_device.h>"]
    expect: dict[str, list[int]] = {}
    for cname, (cls, renames) in abi.STRUCTS_5_4.items():
        values, want = [f"sizeof({cname})"], [cls.size]
        for name, *_ in cls._fields_:
            cfield = renames.get(name, name)
            values += [f"offsetof({cname}, {cfield})", f"sizeof_field({cname}, {cfield})"]
            want += [getattr(cls, name).offset, getattr(cls, name).size]
        ident = "k54_" + cname.replace("struct ", "")
        lines.append(f"const unsigned long {ident}[] = {{ {', '.join(values)} }};")
        expect[ident] = want
    lines.append("const char k54_vermagic[] = VERMAGIC_STRING;")
    got = _compile(tmp_path, "\n".join(lines) + "\n")
    for ident, want in expect.items():
        assert list(struct.unpack(f"<{len(want)}Q", got[ident])) == want, ident
    assert got["k54_vermagic"] == get_profile("5.4").vermagic.encode() + b"\0"


def test_the_5_4_header_has_only_klp_enable_patch(tmp_path):
    src = "#include <linux/livepatch.h>\nint (*const probe)(struct klp_patch *) = klp_register_patch;\n"
    with pytest.raises(AssertionError, match="klp_register_patch"):
        _compile(tmp_path, src)
    got = _compile(tmp_path, "#include <linux/livepatch.h>\n"
                             "int (*const probe)(struct klp_patch *) = klp_enable_patch;\n"
                             "const struct klp_patch p = { .replace = true };\n"
                             "const struct klp_func f = { .old_name = \"x\" };\n")
    assert "p" in got and "f" in got


def test_what_a_module_fills_in_is_where_5_4_has_it(tmp_path):
    """The members a 5.4 patch module sets (and old_func, which some read) at the offsets of
    5.4's include/linux/livepatch.h on x86-64 (5.4.214).  The core-private rest differs on
    purpose: klpsh's structures have no kobject (sysfs is the Python core's), no free_work
    and no completion (kernel/ABI.md)."""
    src = "\n".join([
        "#include <linux/livepatch.h>",
        "const unsigned long k54_ext[] = {",
        " offsetof(struct klp_func, old_name), offsetof(struct klp_func, new_func),",
        " offsetof(struct klp_func, old_sympos), offsetof(struct klp_func, old_func),",
        " offsetof(struct klp_callbacks, pre_patch), offsetof(struct klp_callbacks, post_patch),",
        " offsetof(struct klp_callbacks, pre_unpatch), offsetof(struct klp_callbacks, post_unpatch),",
        " offsetof(struct klp_callbacks, post_unpatch_enabled), sizeof(struct klp_callbacks),",
        " offsetof(struct klp_object, name), offsetof(struct klp_object, funcs),",
        " offsetof(struct klp_object, callbacks),",
        " offsetof(struct klp_patch, mod), offsetof(struct klp_patch, objs),",
        " offsetof(struct klp_patch, replace) };", ""])
    got = _compile(tmp_path, src)["k54_ext"]
    assert list(struct.unpack("<16Q", got)) == [0, 8, 16, 24, 0, 8, 16, 24, 32, 40, 0, 8, 16, 0, 8, 16]
