"""kbuild for klpsh: compile module sources into .ko files, and kernel/vmlinux into vmlinux.o.

A module `foo-bar.c` is compiled with the flags of kernel/ABI.md into an object, a generated
`foo-bar.mod.c` supplies `struct module __this_module` and the vermagic/name modinfo, and the two are
linked with `ld -r` into `foo-bar.ko` (module name `foo_bar`).  Livepatch modules (modinfo
`livepatch=Y`) are then handed to `kernel.klp_convert.convert()` when that module exists.

Library use: `build_module(source, outdir)` and `build_vmlinux(outdir)` raise `BuildError`.
Command line: `python -m kernel.kbuild SRC.c... [-o DIR]` or `python -m kernel.kbuild --vmlinux`
(also `klpsh build ...`), printing kbuild-style progress lines.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

__all__ = [
    "BuildError",
    "INCLUDE_DIR",
    "VMLINUX_DIR",
    "build_module",
    "build_vmlinux",
    "compile_flags",
    "gcc_include_dir",
    "include_dirs",
    "main",
    "module_name",
]

KERNEL_DIR = Path(__file__).resolve().parent
REPO_ROOT = KERNEL_DIR.parent
INCLUDE_DIR = KERNEL_DIR / "include"
VMLINUX_DIR = KERNEL_DIR / "vmlinux"

# struct module.name is char[MODULE_NAME_LEN] (56) and must stay NUL-terminated
_MODULE_NAME_MAX = 55

# Code generation flags of kernel/ABI.md (everything but the include paths and -D options).
_CODEGEN_FLAGS: tuple[str, ...] = (
    "-O2", "-std=gnu11",
    "-fno-pic", "-mcmodel=kernel", "-mno-red-zone", "-fno-stack-protector", "-fcf-protection=none",
    "-fno-asynchronous-unwind-tables", "-fno-unwind-tables", "-ffreestanding", "-fno-common",
    "-fno-strict-aliasing",
    "-mno-sse", "-mno-sse2", "-mno-mmx", "-mno-80387",
    "-fno-omit-frame-pointer", "-fno-optimize-sibling-calls",
    "-pg", "-mfentry", "-mnop-mcount", "-mrecord-mcount",
    "-fno-jump-tables", "-falign-functions=16",
)

Log = Callable[[str], None]


class BuildError(Exception):
    """A module or vmlinux could not be built; str() is the message to show the user."""


def module_name(source: Path) -> str:
    """KBUILD_MODNAME of a source file: its stem with '-' turned into '_'."""
    return Path(source).stem.replace("-", "_")


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BuildError(f"klpsh build: {name} not found: install {package} to build modules")
    return path


def _run(cmd: Sequence[str], cwd: Path, diag: Log | None) -> None:
    """Run a compiler or linker; its stderr becomes the BuildError message on failure."""
    try:
        proc = subprocess.run(list(cmd), cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:  # tool vanished between which() and now
        raise BuildError(f"klpsh build: {cmd[0]} not found: {exc.strerror}") from exc
    except OSError as exc:
        raise BuildError(f"klpsh build: cannot run {cmd[0]}: {exc.strerror}") from exc
    output = proc.stderr + proc.stdout
    if proc.returncode != 0:
        if output.strip():
            raise BuildError(output.rstrip("\n"))
        raise BuildError(f"klpsh build: {Path(cmd[0]).name} exited with status {proc.returncode}")
    if output.strip() and diag is not None:
        diag(output.rstrip("\n"))  # warnings


def gcc_include_dir(gcc: str | None = None) -> str:
    """gcc's own header directory (stdarg.h ...), the only system include path modules get."""
    gcc = gcc or _tool("gcc", "gcc")
    try:
        proc = subprocess.run([gcc, "-print-file-name=include"], capture_output=True, text=True,
                              check=False)
    except OSError as exc:
        raise BuildError(f"klpsh build: cannot run {gcc}: {exc.strerror}") from exc
    path = proc.stdout.strip()
    if proc.returncode != 0 or not path:
        raise BuildError(proc.stderr.rstrip("\n") or "klpsh build: gcc -print-file-name=include failed")
    return path


def include_dirs(kernel: str | None = None) -> tuple[Path, ...]:
    """The header directories of kernel KERNEL ("4.19", the default, or "5.4"), searched in
    order: the kernel's own overlay (what differs), then the shared kernel/include."""
    from kernel.profile import get_profile
    try:
        return get_profile(kernel).include_dirs
    except KeyError:
        from kernel.profile import KERNEL_NAMES
        raise BuildError(f"klpsh build: unknown kernel '{kernel}' "
                         f"(choose from {', '.join(KERNEL_NAMES)})") from None


def compile_flags(modname: str, basename: str, *, module: bool = True,
                  gcc_include: str | None = None, kernel: str | None = None) -> list[str]:
    """The complete gcc flags (without -c/-o) for one translation unit, per kernel/ABI.md."""
    flags = ["-nostdinc", "-isystem", gcc_include or gcc_include_dir()]
    for inc in include_dirs(kernel):
        flags += ["-I", str(inc)]
    flags.append("-D__KERNEL__")
    if module:
        flags.append("-DMODULE")
    flags += [f'-DKBUILD_MODNAME="{modname}"', f'-DKBUILD_BASENAME="{basename}"']
    return [*_CODEGEN_FLAGS[:2], *flags, *_CODEGEN_FLAGS[2:]]


def _display(path: Path) -> str:
    """Path as kbuild would print it: relative to the current directory when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _source_arg(source: Path) -> str:
    """Path handed to gcc (run in REPO_ROOT): repository-relative when possible.

    It becomes __FILE__ (WARN/BUG messages) and the STT_FILE symbol, so the committed .ko files do
    not depend on where the build was started.
    """
    resolved = source.resolve()
    try:
        return resolved.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(resolved)


def _is_intree(source: Path) -> bool:
    """Sources inside the klpsh tree are in-tree modules (like samples/ in Linux): modinfo intree=Y."""
    try:
        source.resolve().relative_to(REPO_ROOT)
    except ValueError:
        return False
    return True


def _c_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _defined_globals(obj: Path) -> set[str]:
    """Names of the global symbols an object file defines."""
    from elftools.elf.elffile import ELFFile

    with obj.open("rb") as f:
        symtab = ELFFile(f).get_section_by_name(".symtab")
        if symtab is None:
            return set()
        return {sym.name for sym in symtab.iter_symbols()
                if sym["st_shndx"] != "SHN_UNDEF" and sym["st_info"]["bind"] in ("STB_GLOBAL", "STB_WEAK")}


def _modinfo(ko: Path) -> dict[str, list[str]]:
    """The .modinfo tags of an object: tag -> values in section order."""
    from elftools.elf.elffile import ELFFile

    tags: dict[str, list[str]] = {}
    with ko.open("rb") as f:
        section = ELFFile(f).get_section_by_name(".modinfo")
        data = section.data() if section is not None else b""
    for entry in data.split(b"\0"):
        if b"=" in entry:
            tag, _, value = entry.decode("utf-8", "replace").partition("=")
            tags.setdefault(tag, []).append(value)
    return tags


def _mod_c(name: str, *, has_init: bool, has_exit: bool, intree: bool) -> str:
    """Source of <name>.mod.c: __this_module and the modinfo modpost would add."""
    lines = [
        "/* generated by kernel/kbuild.py: do not edit */",
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
    lines += ['MODULE_INFO(depends, "");', ""]
    return "\n".join(lines)


def _klp_convert(ko: Path) -> None:
    """Hand a livepatch module to kernel.klp_convert.convert(), if that module exists."""
    package = __package__ or "kernel"
    try:
        spec = importlib.util.find_spec(f"{package}.klp_convert")
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        return
    try:
        convert = importlib.import_module(f"{package}.klp_convert").convert
        convert(ko)
    except BuildError:
        raise
    except Exception as exc:  # noqa: BLE001 - turned into a build error, never a traceback
        raise BuildError(f"klpsh build: klp-convert failed for {ko.name}: {exc}") from exc


def _install(built: Path, dest: Path) -> None:
    """Move a finished file into place without ever leaving a half-written target."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f".{dest.name}.tmp")
    shutil.copyfile(built, partial)
    os.replace(partial, dest)


def build_module(source: Path, outdir: Path | None = None, *, log: Log | None = None,
                 diag: Log | None = None, intree: bool | None = None,
                 kernel: str | None = None) -> Path:
    """Build SOURCE (a module's .c file) into OUTDIR/<stem>.ko and return that path.

    log receives the kbuild progress lines, diag the compiler's warnings.  intree defaults to
    whether the source lies inside the klpsh tree.  kernel picks the headers (and so the
    vermagic): "4.19" (default) or "5.4".  Raises BuildError.
    """
    source = Path(source)
    if not source.is_file():
        raise BuildError(f"klpsh build: {source}: No such file or directory")
    if source.suffix != ".c":
        raise BuildError(f"klpsh build: {source}: not a C source file")
    stem = source.stem
    name = module_name(source)
    if len(name) > _MODULE_NAME_MAX:
        raise BuildError(f"klpsh build: module name '{name}' is too long "
                         f"(at most {_MODULE_NAME_MAX} characters)")
    outdir = Path(outdir) if outdir is not None else source.parent
    ko = outdir / f"{stem}.ko"
    include_dirs(kernel)  # an unknown kernel is a build error before anything runs
    gcc = _tool("gcc", "gcc")
    ld = _tool("ld", "binutils")
    include = gcc_include_dir(gcc)
    if intree is None:
        intree = _is_intree(source)

    with tempfile.TemporaryDirectory(prefix="klpsh-build-") as tmpname:
        tmp = Path(tmpname)
        obj = tmp / f"{stem}.o"
        if log:
            log(f"  CC [M]  {_display(outdir / f'{stem}.o')}")
        _run([gcc, *compile_flags(name, name, gcc_include=include, kernel=kernel), "-c", _source_arg(source),
              "-o", str(obj)], REPO_ROOT, diag)

        defined = _defined_globals(obj)
        mod_c = tmp / f"{stem}.mod.c"
        mod_c.write_text(_mod_c(name, has_init="init_module" in defined,
                                has_exit="cleanup_module" in defined, intree=intree))
        if log:
            log(f"  CC      {_display(outdir / f'{stem}.mod.o')}")
        _run([gcc, *compile_flags(name, f"{name}.mod", gcc_include=include, kernel=kernel),
              "-c", mod_c.name,
              "-o", f"{stem}.mod.o"], tmp, diag)

        if log:
            log(f"  LD [M]  {_display(ko)}")
        built = tmp / f"{stem}.ko"
        _run([ld, "-r", "-o", built.name, obj.name, f"{stem}.mod.o"], tmp, diag)

        if _modinfo(built).get("livepatch") == ["Y"]:
            _klp_convert(built)
        _install(built, ko)
    return ko


def build_vmlinux(outdir: Path | None = None, *, log: Log | None = None,
                  diag: Log | None = None) -> Path:
    """Build every kernel/vmlinux/**/*.c into OUTDIR/vmlinux.o (default kernel/vmlinux)."""
    outdir = Path(outdir) if outdir is not None else VMLINUX_DIR
    target = outdir / "vmlinux.o"
    sources = sorted(VMLINUX_DIR.rglob("*.c"), key=lambda p: p.relative_to(VMLINUX_DIR).as_posix())
    if not sources:
        raise BuildError(f"klpsh build: no C sources under {VMLINUX_DIR}")
    gcc = _tool("gcc", "gcc")
    ld = _tool("ld", "binutils")
    include = gcc_include_dir(gcc)

    with tempfile.TemporaryDirectory(prefix="klpsh-build-") as tmpname:
        tmp = Path(tmpname)
        objects: list[str] = []
        for src in sources:
            rel = src.relative_to(VMLINUX_DIR).with_suffix(".o")
            obj = tmp / "__".join(rel.parts)
            if log:
                log(f"  CC      {_display(src.with_suffix('.o'))}")
            _run([gcc, *compile_flags("vmlinux", src.stem.replace("-", "_"), module=False,
                                      gcc_include=include),
                  "-c", _source_arg(src), "-o", str(obj)], REPO_ROOT, diag)
            objects.append(obj.name)
        if log:
            log(f"  LD      {_display(target)}")
        _run([ld, "-r", "-o", "vmlinux.o", *objects], tmp, diag)
        _install(tmp / "vmlinux.o", target)
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """`klpsh build SRC.c... [-o DIR]` / `--vmlinux`: returns the exit status (0 or 1)."""
    parser = argparse.ArgumentParser(
        prog="klpsh build",
        description="Compile kernel module sources into .ko files against kernel/include.")
    parser.add_argument("sources", nargs="*", metavar="SRC.c", help="module source files")
    parser.add_argument("-o", "--output", metavar="DIR", type=Path,
                        help="where to put the .ko files (default: beside each source)")
    parser.add_argument("--kernel", metavar="VERSION", default=None,
                        help="the kernel to build for: 4.19 (default) or 5.4 (its headers and vermagic)")
    parser.add_argument("--vmlinux", action="store_true",
                        help="(re)build kernel/vmlinux/vmlinux.o (into DIR with -o)")
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:  # --help, or a usage error already printed by argparse
        return 0 if exc.code in (0, None) else 1
    if not args.sources and not args.vmlinux:
        parser.print_usage(sys.stderr)
        print("klpsh build: nothing to build: give SRC.c files or --vmlinux", file=sys.stderr)
        return 1

    def out(line: str) -> None:
        print(line, flush=True)

    def err(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    try:
        if args.vmlinux:
            build_vmlinux(args.output, log=out, diag=err)
        for src in args.sources:
            build_module(Path(src), args.output, log=out, diag=err, kernel=args.kernel)
    except BuildError as exc:
        err(str(exc))
        return 1
    except OSError as exc:
        err(f"klpsh build: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
