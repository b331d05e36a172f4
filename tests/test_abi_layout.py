"""The guest ABI as gcc sees it: kernel/abi.py against kernel/include, and the built objects.

The layout tests compile a C file with kbuild's flags that stores sizeof/offsetof values in
`const unsigned long` arrays, and read them back from the object's .rodata with pyelftools (plain
constants: no relocations are involved).  Skipped when gcc is not installed.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from kernel import abi, kbuild

elftools = pytest.importorskip("elftools")
from elftools.elf.elffile import ELFFile  # noqa: E402

needs_gcc = pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed")

REPO = Path(__file__).resolve().parent.parent
MODULES = REPO / "modules"
VMLINUX_O = REPO / "kernel" / "vmlinux" / "vmlinux.o"
PROC_INTERNAL_H = REPO / "kernel" / "vmlinux" / "fs" / "proc" / "internal.h"

# what a module needs to see every struct of abi.STRUCTS
LAYOUT_INCLUDES = ["linux/module.h", "linux/livepatch.h", "linux/sched.h", "linux/workqueue.h",
                   "linux/seq_file.h", "linux/mutex.h", "linux/completion.h", "linux/mm.h",
                   "linux/export.h", "linux/vermagic.h", "linux/jiffies.h", "linux/slab.h",
                   "linux/rwsem.h", "linux/fs.h", "linux/proc_fs.h", "linux/cdev.h", "linux/device.h",
                   "linux/miscdevice.h", "linux/utsname.h", "linux/debugfs.h", "linux/interrupt.h",
                   "linux/sched/signal.h", "linux/uaccess.h", "linux/tty.h",
                   "linux/platform_device.h", "linux/kprobes.h"]

# C expression -> the Python constant it must equal
CONSTANTS: dict[str, int] = {
    "HZ": abi.HZ,
    "MODULE_NAME_LEN": abi.MODULE_NAME_LEN,
    "TASK_COMM_LEN": abi.TASK_COMM_LEN,
    "KLP_UNDEFINED": abi.KLP_UNDEFINED,
    "KLP_UNPATCHED": abi.KLP_UNPATCHED,
    "KLP_PATCHED": abi.KLP_PATCHED,
    "MODULE_STATE_LIVE": abi.ModuleState.LIVE,
    "MODULE_STATE_COMING": abi.ModuleState.COMING,
    "MODULE_STATE_GOING": abi.ModuleState.GOING,
    "MODULE_STATE_UNFORMED": abi.ModuleState.UNFORMED,
    "INITIAL_JIFFIES": abi.INITIAL_JIFFIES,
    "MAX_ERRNO": abi.MAX_ERRNO,
    "PAGE_SIZE": abi.PAGE_SIZE,
    "KERNEL_PARAM_OPS_FL_NOARG": abi.KERNEL_PARAM_OPS_FL_NOARG,
    "KERNEL_PARAM_FL_UNSAFE": abi.KERNEL_PARAM_FL_UNSAFE,
    "KERNEL_PARAM_FL_HWPARAM": abi.KERNEL_PARAM_FL_HWPARAM,
    "TASK_RUNNING": abi.TASK_RUNNING,
    "TASK_INTERRUPTIBLE": abi.TASK_INTERRUPTIBLE,
    "TASK_UNINTERRUPTIBLE": abi.TASK_UNINTERRUPTIBLE,
    "TASK_DEAD": abi.TASK_DEAD,
    "TASK_NEW": abi.TASK_NEW,
    "PF_IDLE": abi.PF_IDLE,
    "PF_EXITING": abi.PF_EXITING,
    "PF_WQ_WORKER": abi.PF_WQ_WORKER,
    "PF_KTHREAD": abi.PF_KTHREAD,
    "TIMER_DEFERRABLE": abi.TIMER_DEFERRABLE,
    "TIMER_PINNED": abi.TIMER_PINNED,
    "TIMER_IRQSAFE": abi.TIMER_IRQSAFE,
    "GFP_KERNEL": abi.GFP_KERNEL,
    "GFP_ATOMIC": abi.GFP_ATOMIC,
    "GFP_NOWAIT": abi.GFP_NOWAIT,
    "__GFP_ZERO": abi.GFP_ZERO,
}

# headers that, as 4.19's, refuse to be included but through their parent
ONLY_FROM_PARENT = {"asm/bitops.h": "linux/bitops.h", "linux/rwlock.h": "linux/spinlock.h"}
FENTRY_PROLOGUE = bytes.fromhex("0f1f440000") + b"\x55"   # nopl 0x0(%rax,%rax,1); push %rbp
ALLOWED_RELOCS = {"R_X86_64_64", "R_X86_64_32", "R_X86_64_32S", "R_X86_64_PC32", "R_X86_64_PLT32"}


def _c_ident(name: str) -> str:
    return name.replace("struct ", "").replace(" ", "_")


def _fields(cls: abi.Struct, renames: dict[str, str | None]) -> list[tuple[str, str, int, int]]:
    """(python name, C name, offset, size) of each field of a mirror (a field renamed to
    None stands for bit-fields, which have no offset: their place is checked by the next)."""
    return [(name, renames.get(name, name), getattr(cls, name).offset, getattr(cls, name).size)
            for name, *_ in cls._fields_ if renames.get(name, name) is not None]


def _layout_source() -> str:
    lines = [f"#include <{h}>" for h in LAYOUT_INCLUDES]
    lines.append(f'#include "{PROC_INTERNAL_H}"')
    for cname, (cls, renames) in abi.STRUCTS.items():
        values = [f"sizeof({cname})"]
        for _, cfield, _, _ in _fields(cls, renames):
            values += [f"offsetof({cname}, {cfield})", f"sizeof_field({cname}, {cfield})"]
        lines.append(f"const unsigned long klpsh_layout_{_c_ident(cname)}[] = {{ {', '.join(values)} }};")
    lines.append(f"const long klpsh_constants[] = {{ {', '.join(f'(long)({c})' for c in CONSTANTS)} }};")
    lines.append("const char klpsh_vermagic[] = VERMAGIC_STRING;")
    return "\n".join(lines) + "\n"


def _compile(tmp: Path, name: str, source: str, *extra: str) -> Path:
    src = tmp / f"{name}.c"
    src.write_text(source)
    obj = tmp / f"{name}.o"
    cmd = ["gcc", *kbuild.compile_flags(name, name), "-Wall", "-Wextra", "-Werror", *extra,
           "-c", str(src), "-o", str(obj)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return obj


def _object_data(obj: Path) -> dict[str, bytes]:
    """Bytes of every defined data object, by symbol name (read straight from its section)."""
    out: dict[str, bytes] = {}
    with obj.open("rb") as f:
        elf = ELFFile(f)
        for sym in elf.get_section_by_name(".symtab").iter_symbols():
            if sym["st_info"]["type"] != "STT_OBJECT" or not isinstance(sym["st_shndx"], int):
                continue
            data = elf.get_section(sym["st_shndx"]).data()
            out[sym.name] = data[sym["st_value"]:sym["st_value"] + sym["st_size"]]
    return out


@pytest.fixture(scope="module")
def layout(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    tmp = tmp_path_factory.mktemp("abi")
    obj = _compile(tmp, "abi_layout", _layout_source(), "-DMODULE")
    with obj.open("rb") as f:
        rela = ELFFile(f).get_section_by_name(".rela.rodata")
        assert rela is None or rela.num_relocations() == 0, "layout constants must not need relocations"
    return _object_data(obj)


def _ulongs(data: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(data) // 8}Q", data))


@pytest.mark.parametrize("cname", list(abi.STRUCTS))
def test_struct_layout_matches_gcc(layout: dict[str, bytes], cname: str) -> None:
    cls, renames = abi.STRUCTS[cname]
    values = _ulongs(layout[f"klpsh_layout_{_c_ident(cname)}"])
    assert values[0] == cls.size, f"sizeof({cname})"
    for i, (pyname, cfield, offset, size) in enumerate(_fields(cls, renames)):
        assert values[1 + 2 * i] == offset, f"offsetof({cname}, {cfield}) (abi.{cls.__name__}.{pyname})"
        assert values[2 + 2 * i] == size, f"sizeof_field({cname}, {cfield}) (abi.{cls.__name__}.{pyname})"


def test_abi_md_sizes() -> None:
    """The sizes kernel/ABI.md promises."""
    expected = {"ListHead": 16, "Module": 200, "KernelParamOps": 32, "KernelParam": 40,
                "TaskStruct": 320, "SigPending": 24, "SignalStruct": 128, "TtyStruct": 40, "TtyDriver": 184, "TtyOperations": 88, "Ktermios": 44, "SighandStruct": 2088, "Siginfo": 128, "WorkStruct": 32, "TimerList": 40, "DelayedWork": 88,
                "SeqFile": 128, "SeqOperations": 32, "FileOperations": 256, "Inode": 584, "File": 256, "Dentry": 192, "Qstr": 16, "Path": 16, "Kobject": 64, "Cdev": 104, "Class": 120, "MiscDevice": 80, "KlpFunc": 72, "KlpCallbacks": 40, "KlpObject": 72, "KlpPatch": 40,
                "Mutex": 32, "Spinlock": 4, "RwSemaphore": 40, "BlockingNotifierHead": 48, "WaitQueueHead": 24, "Completion": 32, "SysInfo": 112, "KernelSymbol": 16}
    assert {name: getattr(abi, name).size for name in expected} == expected


def test_constants_match_headers(layout: dict[str, bytes]) -> None:
    data = layout["klpsh_constants"]
    values = struct.unpack(f"<{len(data) // 8}q", data)
    assert dict(zip(CONSTANTS, values)) == {c: int(v) for c, v in CONSTANTS.items()}


def test_vermagic_matches_header(layout: dict[str, bytes]) -> None:
    assert layout["klpsh_vermagic"] == abi.VERMAGIC.encode() + b"\0"


@needs_gcc
def test_every_header_compiles_alone_with_warnings_as_errors(tmp_path: Path) -> None:
    include = kbuild.INCLUDE_DIR
    headers = sorted(p.relative_to(include).as_posix() for p in include.rglob("*.h"))
    assert "linux/module.h" in headers
    flags = kbuild.compile_flags("hdr", "hdr")
    failures = []
    for header in (h for h in headers if h not in ONLY_FROM_PARENT):
        src = tmp_path / "hdr.c"
        src.write_text(f"#include <{header}>\nint klpsh_hdr_dummy;\n")
        proc = subprocess.run(["gcc", *flags, "-Wall", "-Wextra", "-Werror", "-fsyntax-only",
                               str(src)], capture_output=True, text=True, check=False)
        if proc.returncode:
            failures.append(f"{header}:\n{proc.stderr}")
    assert not failures, "\n".join(failures)


# --- the object-level ABI: what kbuild produces -------------------------------------------------

def _sections(path: Path) -> dict[str, object]:
    with path.open("rb") as f:
        return {s.name: s.header for s in ELFFile(f).iter_sections()}


def _frames_before_calls(path: Path) -> list[str]:
    """Functions that make a call before pushing %rbp (objdump's disassembly).  gcc may shrink-
    wrap or schedule the frame setup after the fentry NOP, but never past a call, so the
    frame-pointer walk of a task suspended in a kernel function sees every caller."""
    objdump = shutil.which("objdump")
    if objdump is None:
        return []
    out = subprocess.run([objdump, "-d", "--no-show-raw-insn", "-j", ".text", str(path)],
                         capture_output=True, text=True, check=False).stdout
    bad, name, framed = [], "", False
    for line in out.splitlines():
        if line.endswith(">:"):
            name, framed = line.split("<", 1)[1][:-2], False
        elif "push   %rbp" in line:
            framed = True
        elif "\tcall" in line and not framed and name:
            bad.append(name)
            name = ""
    return bad


def _check_code(path: Path) -> None:
    """Every function starts with the fentry NOP and sets up its frame before any call;
    __mcount_loc lists those NOPs; relocation types are the ones the loader implements."""
    with path.open("rb") as f:
        elf = ELFFile(f)
        text = elf.get_section_by_name(".text").data()
        text_index = next(i for i, s in enumerate(elf.iter_sections()) if s.name == ".text")
        funcs = {sym["st_value"]: sym.name for sym in elf.get_section_by_name(".symtab").iter_symbols()
                 if sym["st_info"]["type"] == "STT_FUNC" and sym["st_shndx"] == text_index}
        assert funcs
        for addr, name in funcs.items():
            assert text[addr:addr + 5] == FENTRY_PROLOGUE[:5], f"{path.name}: {name} prologue"
        mcount = elf.get_section_by_name(".rela__mcount_loc")
        assert mcount is not None
        locs = {r["r_addend"] for r in mcount.iter_relocations()}
        assert set(funcs) <= locs, f"{path.name}: functions missing from __mcount_loc"
        assert all(text[a:a + 5] == FENTRY_PROLOGUE[:5] for a in locs)
        from elftools.elf.relocation import RelocationSection
        from elftools.elf.enums import ENUM_RELOC_TYPE_x64
        names = {v: k for k, v in ENUM_RELOC_TYPE_x64.items()}
        for sec in elf.iter_sections():
            if isinstance(sec, RelocationSection):
                for rel in sec.iter_relocations():
                    assert names[rel["r_info_type"]] in ALLOWED_RELOCS, f"{path.name}: {sec.name}"
    assert not _frames_before_calls(path), f"{path.name}: calls before the frame is set up"


def _modinfo(path: Path) -> list[str]:
    with path.open("rb") as f:
        return [s.decode() for s in ELFFile(f).get_section_by_name(".modinfo").data().split(b"\0") if s]


BUNDLED = sorted(p.stem for p in MODULES.glob("*.c") if p.with_suffix(".ko").exists())


@pytest.mark.parametrize("stem", BUNDLED)
def test_bundled_module_objects(stem: str) -> None:
    ko = MODULES / f"{stem}.ko"
    sections = _sections(ko)
    for name in (".modinfo", ".gnu.linkonce.this_module", "__mcount_loc", ".text"):
        assert name in sections, name
    assert sections[".modinfo"]["sh_addralign"] == 1
    assert sections[".gnu.linkonce.this_module"]["sh_size"] == abi.Module.size
    if "__param" in sections:
        assert sections["__param"]["sh_size"] % abi.KernelParam.size == 0
    info = _modinfo(ko)
    name = kbuild.module_name(ko)
    assert f"vermagic={abi.VERMAGIC}" in info
    assert f"name={name}" in info
    assert "intree=Y" in info and "depends=" in info
    assert any(i.startswith("license=") for i in info)
    _check_code(ko)


def test_vmlinux_object() -> None:
    if not VMLINUX_O.exists():
        pytest.skip("kernel/vmlinux/vmlinux.o not built")
    sections = _sections(VMLINUX_O)
    assert "__ksymtab" in sections and ".modinfo" not in sections
    assert sections["__ksymtab"]["sh_size"] % abi.KernelSymbol.size == 0
    _check_code(VMLINUX_O)
    with VMLINUX_O.open("rb") as f:
        syms = [s.name for s in ELFFile(f).get_section_by_name(".symtab").iter_symbols()]
    assert syms.count("klpsh_dup_count") == 2
    for name in ("cmdline_proc_show", "meminfo_proc_show", "klpsh_proc_entries", "saved_command_line",
                 "jiffies", "system_wq", *(f"param_ops_{t}" for t in abi.PARAM_TYPES)):
        assert name in syms, name


@needs_gcc
def test_kbuild_module_abi(tmp_path: Path) -> None:
    """A module with parameters, exports and modinfo, built out of tree with kbuild."""
    src = tmp_path / "abi-probe.c"
    src.write_text("""
#include <linux/module.h>
static int count = 3;
module_param(count, int, 0644);
MODULE_PARM_DESC(count, "how many");
static char *who = "world";
module_param(who, charp, 0444);
noinline int abi_probe_add(int a) { return a + count; }
EXPORT_SYMBOL_GPL(abi_probe_add);
static int abi_probe_init(void) { pr_info("%s %d\\n", who, abi_probe_add(1)); return 0; }
module_init(abi_probe_init);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("klpsh");
""")
    ko = kbuild.build_module(src, tmp_path / "out")
    assert ko == tmp_path / "out" / "abi-probe.ko"
    sections = _sections(ko)
    assert sections["__param"]["sh_size"] == 2 * abi.KernelParam.size
    assert "__ksymtab_gpl" in sections and "__ksymtab" not in sections
    info = _modinfo(ko)
    assert "intree=Y" not in info                      # built outside the klpsh tree
    for tag in ("license=GPL", "author=klpsh", "parm=count:how many", "parmtype=count:int",
                "parmtype=who:charp", "name=abi_probe", f"vermagic={abi.VERMAGIC}"):
        assert tag in info, tag
    _check_code(ko)
    with ko.open("rb") as f:
        elf = ELFFile(f)
        symtab = elf.get_section_by_name(".symtab")
        defined = {s.name for s in symtab.iter_symbols() if s["st_shndx"] != "SHN_UNDEF"}
        undefined = {s.name for s in symtab.iter_symbols() if s["st_shndx"] == "SHN_UNDEF" and s.name}
        assert {"init_module", "__this_module"} <= defined
        assert "cleanup_module" not in defined | undefined   # no module_exit: .exit stays NULL
        assert undefined == {"printk", "param_ops_int", "param_ops_charp"}


@needs_gcc
def test_kbuild_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.c"
    bad.write_text("int x = ;\n")
    with pytest.raises(kbuild.BuildError, match="error: expected expression"):
        kbuild.build_module(bad, tmp_path)
    assert not (tmp_path / "bad.ko").exists()
    with pytest.raises(kbuild.BuildError, match="No such file or directory"):
        kbuild.build_module(tmp_path / "missing.c", tmp_path)
    assert kbuild.main([str(bad), "-o", str(tmp_path)]) == 1
    assert kbuild.main([]) == 1


def _gcc_version() -> str:
    proc = subprocess.run(["gcc", "--version"], capture_output=True, text=True, check=False)
    return proc.stdout.splitlines()[0] if proc.stdout else ""


@needs_gcc
def test_bundled_modules_are_up_to_date(tmp_path: Path) -> None:
    """The committed .ko files are what their sources build to (with the same gcc)."""
    if not BUNDLED:
        pytest.skip("no bundled modules")
    with (MODULES / f"{BUNDLED[0]}.ko").open("rb") as f:
        comment = ELFFile(f).get_section_by_name(".comment").data().decode(errors="replace")
    version = _gcc_version()
    if not version or version.split()[-1] not in comment:
        pytest.skip(f"bundled modules were built by another gcc ({comment.strip(chr(0))!r})")
    stale = [stem for stem in BUNDLED
             if kbuild.build_module(MODULES / f"{stem}.c", tmp_path).read_bytes()
             != (MODULES / f"{stem}.ko").read_bytes()]
    assert not stale, f"rebuild with: python -m kernel.kbuild modules/*.c -o modules ({stale})"
