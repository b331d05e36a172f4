"""klpsh modinfo tool: kmod's layout and errors, on hand-made ELF files (no kernel)."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from klpsh.tools import BUNDLED_MODULES, ToolContext
from klpsh.tools.modinfo import modinfo

MODINFO = [
    "livepatch=Y", "license=GPL", "author=klpsh", "description=Livepatch demo",
    "parmtype=pre_patch_ret:int", "parm=pre_patch_ret:pre_patch_ret (default=0)",
    "parmtype=sleep_secs:int", "depends=", "name=livepatch_demo",
    "vermagic=4.19.0-klpsh SMP mod_unload ",
]


def make_elf(modinfo_strings: list[str] | None, *, shstrndx: int | None = None) -> bytes:
    """A minimal ELF64 ET_REL: null, [.modinfo], .shstrtab."""
    names = b"\0.shstrtab\0.modinfo\0"
    body = b"".join(s.encode() + b"\0" for s in modinfo_strings or [])
    sections = [(0, 0, b"")]
    if modinfo_strings is not None:
        sections.append((11, 1, body))
    sections.append((1, 3, names))
    data = bytearray(64)
    headers = [bytes(64)]
    for name, typ, content in sections[1:]:
        headers.append(struct.pack("<IIQQQQIIQQ", name, typ, 0, 0, len(data), len(content),
                                   0, 0, 1, 0))
        data += content
    data += bytes(-len(data) % 8)
    shoff = len(data)
    data += b"".join(headers)
    idx = len(sections) - 1 if shstrndx is None else shstrndx
    struct.pack_into("<16sHHIQQQIHHHHHH", data, 0, b"\x7fELF\x02\x01\x01" + bytes(9), 1, 62, 1,
                     0, 0, shoff, 0, 64, 0, 0, 64, len(sections), idx)
    return bytes(data)


class Run:
    def __init__(self, tmp_path: Path) -> None:
        self.out: list[str] = []
        self.err: list[str] = []
        self.ctx = ToolContext(kernel=None, out=self.out.append, err=self.err.append,  # type: ignore[arg-type]
                               cwd=tmp_path, modules_dir=tmp_path / "modules")

    def __call__(self, *args: str) -> int:
        self.out.clear()
        self.err.clear()
        return modinfo(self.ctx, list(args))

    @property
    def stdout(self) -> str:
        return "".join(self.out)

    @property
    def stderr(self) -> str:
        return "".join(self.err)


@pytest.fixture
def run(tmp_path: Path) -> Run:
    (tmp_path / "modules").mkdir()
    (tmp_path / "modules" / "livepatch-demo.ko").write_bytes(make_elf(MODINFO))
    (tmp_path / "local.ko").write_bytes(make_elf(MODINFO[:2]))
    return Run(tmp_path)


EXPECTED_DEMO = (
    "livepatch:      Y\n"
    "license:        GPL\n"
    "author:         klpsh\n"
    "description:    Livepatch demo\n"
    "depends:        \n"
    "name:           livepatch_demo\n"
    "vermagic:       4.19.0-klpsh SMP mod_unload \n"
    "parm:           sleep_secs:int\n"
    "parm:           pre_patch_ret:pre_patch_ret (default=0) (int)\n"
)


def test_file_layout_and_order(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "modules" / "livepatch-demo.ko"
    assert run(str(path)) == 0
    assert run.stdout == f"filename:       {path}\n" + EXPECTED_DEMO
    assert run.stderr == ""


def test_relative_path_is_printed_absolute(run: Run, tmp_path: Path) -> None:
    assert run("local.ko") == 0
    assert run.stdout == (f"filename:       {tmp_path / 'local.ko'}\n"
                          "livepatch:      Y\nlicense:        GPL\n")


def test_samples_path_resolves_to_bundled_module(run: Run, tmp_path: Path) -> None:
    assert run("samples/livepatch/livepatch-demo.ko") == 0
    assert run.stdout.startswith(f"filename:       {tmp_path / 'modules' / 'livepatch-demo.ko'}\n")


def test_module_name_lookup(run: Run, tmp_path: Path) -> None:
    for name in ("livepatch_demo", "livepatch-demo"):
        assert run(name) == 0
        assert run.stdout == (f"filename:       {tmp_path / 'modules' / 'livepatch-demo.ko'}\n"
                              + EXPECTED_DEMO)


def test_module_not_found(run: Run) -> None:
    assert run("nosuch") == 1
    assert run.stdout == ""
    assert run.stderr == "modinfo: ERROR: Module nosuch not found.\n"
    assert run("nosuch.ko") == 1
    assert run.stderr == "modinfo: ERROR: Module nosuch.ko not found.\n"
    assert run("-m", "nosuch") == 1
    assert run.stderr == "modinfo: ERROR: Module name nosuch not found.\n"


def test_not_an_elf_file(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad-mod.ko"
    bad.write_text("this is not a module\n")
    assert run(str(bad)) == 1
    assert run.stdout == f"filename:       {bad}\n"
    assert run.stderr == "modinfo: ERROR: could not get modinfo from 'bad_mod': Exec format error\n"
    tiny = tmp_path / "tiny.ko"
    tiny.write_text("hello")
    assert run(str(tiny)) == 1
    assert run.stderr == "modinfo: ERROR: could not get modinfo from 'tiny': Invalid argument\n"


def test_broken_elf_and_missing_modinfo(run: Run, tmp_path: Path) -> None:
    broken = tmp_path / "broken.ko"
    broken.write_bytes(make_elf(MODINFO, shstrndx=9))
    assert run(str(broken)) == 1
    assert run.stderr == "modinfo: ERROR: could not get modinfo from 'broken': Invalid argument\n"
    truncated = tmp_path / "short.ko"
    truncated.write_bytes(make_elf(MODINFO)[:40])
    assert run(str(truncated)) == 1
    assert run.stderr == "modinfo: ERROR: could not get modinfo from 'short': Invalid argument\n"
    empty = tmp_path / "nomodinfo.ko"
    empty.write_bytes(make_elf(None))
    assert run(str(empty)) == 1
    assert run.stderr == "modinfo: ERROR: could not get modinfo from 'nomodinfo': No such file or directory\n"


def test_field_options(run: Run) -> None:
    assert run("-F", "license", "livepatch_demo") == 0
    assert run.stdout == "GPL\n"
    assert run("--field=vermagic", "livepatch_demo") == 0
    assert run.stdout == "4.19.0-klpsh SMP mod_unload \n"
    assert run("-l", "livepatch_demo") == 0
    assert run.stdout == "GPL\n"
    assert run("-p", "livepatch_demo") == 0
    assert run.stdout == "sleep_secs: (int)\npre_patch_ret:pre_patch_ret (default=0) (int)\n"
    assert run("-n", "livepatch_demo") == 0
    assert run.stdout.endswith("modules/livepatch-demo.ko\n")
    assert run("-F", "nosuchfield", "livepatch_demo") == 0
    assert run.stdout == ""


def test_null_separator(run: Run) -> None:
    assert run("-0", "local.ko") == 0
    assert run.stdout.split("\0")[1:] == ["livepatch=Y", "license=GPL", ""]


def test_usage_errors(run: Run) -> None:
    assert run() == 1
    assert run.stderr == "modinfo: ERROR: missing module or filename.\n"
    assert run("-x", "local.ko") == 1
    assert run.stderr == "modinfo: invalid option -- 'x'\n"
    assert run("-F") == 1
    assert run.stderr == "modinfo: option requires an argument -- 'F'\n"


def test_several_modules_status(run: Run) -> None:
    assert run("local.ko", "nosuch") == 1
    assert "license:        GPL\n" in run.stdout
    assert run.stderr == "modinfo: ERROR: Module nosuch not found.\n"


def test_invalid_parm_string_is_reported_and_skipped(run: Run, tmp_path: Path) -> None:
    odd = tmp_path / "odd.ko"
    odd.write_bytes(make_elf(["license=GPL", "parm=nocolon", "parmtype=x:int"]))
    assert run(str(odd)) == 0
    assert run.stdout.endswith("license:        GPL\nparm:           x:int\n")
    assert run.stderr == 'modinfo: ERROR: Found invalid "parm=nocolon": missing \':\'\n'


@pytest.mark.skipif(not (BUNDLED_MODULES / "livepatch-sample.ko").exists(),
                    reason="bundled modules not built yet")
def test_bundled_livepatch_sample(tmp_path: Path) -> None:
    r = Run(tmp_path)
    r.ctx.modules_dir = BUNDLED_MODULES
    assert r("samples/livepatch/livepatch-sample.ko") == 0
    lines = r.stdout.splitlines()
    assert lines[0] == f"filename:       {BUNDLED_MODULES / 'livepatch-sample.ko'}"
    assert "livepatch:      Y" in lines and "license:        GPL" in lines
