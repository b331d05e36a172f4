"""kbuild for klpsh: compile module sources into .ko files, and kernel/vmlinux into vmlinux.o.

A module `foo-bar.c` is compiled with the flags of kernel/ABI.md into an object, a generated
`foo-bar.mod.c` supplies `struct module __this_module` and the vermagic/name modinfo, and the two are
linked with `ld -r` into `foo-bar.ko` (module name `foo_bar`).  Livepatch modules (modinfo
`livepatch=Y`) are then handed to `kernel.klp_convert.convert()` when that module exists.

A module directory is built as `make -C KDIR M=DIR modules` builds it on 4.19: its Kbuild (or
Makefile) is read with KERNELRELEASE set (kernel/kbuild_makefile.py), every module of obj-m is
compiled with 4.19's KBUILD_CFLAGS plus the file's ccflags-y / EXTRA_CFLAGS / CFLAGS_obj.o, a
composite module (NAME-objs, NAME-y) is linked from its objects with `ld -r`, and modpost
(kernel/modpost.py) checks the symbols and writes the .mod.c.

Library use: `build_module(source, outdir)`, `build_dir(directory)` and `build_vmlinux(outdir)`
raise `BuildError`.  Command line: `klpsh build [DIR | SRC.c...] [-I DIR] [-D NAME[=VALUE]]
[-o DIR]`, `klpsh build --vmlinux`, and `klpsh make [-C KDIR] [M=DIR] [modules|clean]`, printing
kbuild's progress lines and gcc's messages as they are.
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

from kernel import modpost
from kernel.kbuild_makefile import MakeError, ModuleSpec, kbuild_file, read_kbuild_dir
from kernel.record import field, record

__all__ = [
    "BuildError",
    "DEFAULT_TREE",
    "HeaderTree",
    "INCLUDE_DIR",
    "KBUILD_WARNINGS",
    "VMLINUX_DIR",
    "build_dir",
    "build_module",
    "build_vmlinux",
    "clean_dir",
    "compile_flags",
    "gcc_include_dir",
    "include_dirs",
    "main",
    "make_main",
    "module_name",
]

KERNEL_DIR = Path(__file__).resolve().parent
REPO_ROOT = KERNEL_DIR.parent
INCLUDE_DIR = KERNEL_DIR / "include"
VMLINUX_DIR = KERNEL_DIR / "vmlinux"

# struct module.name is char[MODULE_NAME_LEN] (56) and must stay NUL-terminated
_MODULE_NAME_MAX = 55

# Code generation flags of kernel/ABI.md (everything but the include paths and -D options),
# with the code-generation options of 4.19's top Makefile but -fconserve-stack (which changes
# gcc 12's inlining decisions, and so which functions a module's traces and livepatches see).
_CODEGEN_FLAGS: tuple[str, ...] = (
    "-O2", "-std=gnu11",
    "-fno-pic", "-mcmodel=kernel", "-mno-red-zone", "-fno-stack-protector", "-fcf-protection=none",
    "-fno-asynchronous-unwind-tables", "-fno-unwind-tables", "-ffreestanding", "-fno-common",
    "-fno-strict-aliasing", "-fshort-wchar", "-fno-delete-null-pointer-checks",
    "-fno-allow-store-data-races", "-fno-strict-overflow", "-fno-merge-all-constants",
    "-fmerge-constants", "-fno-stack-check",
    "-mno-sse", "-mno-sse2", "-mno-mmx", "-mno-80387",
    "-fno-omit-frame-pointer", "-fno-optimize-sibling-calls",
    "-pg", "-mfentry", "-mnop-mcount", "-mrecord-mcount",
    "-fno-jump-tables", "-falign-functions=16",
)

# The warning options of 4.19's KBUILD_CFLAGS (top Makefile, gcc, W= unset, CONFIG_FRAME_WARN=2048).
KBUILD_WARNINGS: tuple[str, ...] = (
    "-Wall", "-Wundef", "-Wstrict-prototypes", "-Wno-trigraphs",
    "-Werror=implicit-function-declaration", "-Wno-format-security",
    "-Wno-frame-address", "-Wno-format-truncation", "-Wno-format-overflow",
    "-Wno-int-in-bool-context", "-Wframe-larger-than=2048", "-Wno-unused-but-set-variable",
    "-Wno-unused-const-variable", "-Wdeclaration-after-statement", "-Wno-pointer-sign",
    "-Wno-stringop-truncation", "-Werror=implicit-int", "-Werror=strict-prototypes",
    "-Werror=date-time", "-Werror=incompatible-pointer-types", "-Werror=designated-init",
)

# what every translation unit sees first (4.19: USERINCLUDE and c_flags of scripts/Makefile.lib)
FORCED_INCLUDES: tuple[str, ...] = ("linux/kconfig.h", "linux/compiler_types.h")

Log = Callable[[str], None]


class BuildError(Exception):
    """A module or vmlinux could not be built; str() is the message to show the user."""

    def __init__(self, message: str, make_lines: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.make_lines = list(make_lines)    # make's own `*** ... Error N` lines, after MESSAGE


@record(frozen=True)
class HeaderTree:
    """The headers a kernel profile builds modules against: DIRS in search order (a profile's
    overlay first, then the base tree), and the vmlinux object whose exports modpost knows."""

    include_dirs: tuple[Path, ...] = (INCLUDE_DIR,)
    vmlinux_o: Path = VMLINUX_DIR / "vmlinux.o"

    def find(self, relpath: str) -> Path | None:
        for d in self.include_dirs:
            p = d / relpath
            if p.is_file():
                return p
        return None

    @property
    def release(self) -> str:
        """UTS_RELEASE of generated/utsrelease.h (what `uname -r` says)."""
        path = self.find("generated/utsrelease.h")
        if path is not None:
            for line in path.read_text().splitlines():
                parts = line.split(None, 2)
                if len(parts) == 3 and parts[:2] == ["#define", "UTS_RELEASE"]:
                    return parts[2].strip().strip('"')
        return "4.19.0-klpsh"

    def config(self) -> dict[str, str]:
        """CONFIG_* of config/auto.conf, as Kbuild's make sees them."""
        path = self.find("config/auto.conf")
        out: dict[str, str] = {}
        if path is not None:
            for line in path.read_text().splitlines():
                line = line.strip()
                if line and not line.startswith("#") and "=" in line:
                    key, _, value = line.partition("=")
                    out[key] = value
        return out


    @classmethod
    def for_kernel(cls, kernel: str | None = None) -> "HeaderTree":
        """The header tree of kernel profile KERNEL ("4.19", the default, or "5.4")."""
        from kernel.profile import get_profile
        if kernel is None:
            return DEFAULT_TREE
        dirs = include_dirs(kernel)          # BuildError for an unknown kernel
        return cls(tuple(dirs), get_profile(kernel).vmlinux_object)


DEFAULT_TREE = HeaderTree()


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


def module_name(source: Path) -> str:
    """KBUILD_MODNAME of a source file: its stem with '-' turned into '_'."""
    return _name_fix(Path(source).stem)


def _name_fix(stem: str) -> str:
    """Kbuild's name-fix: '-' and ',' become '_'."""
    return stem.replace("-", "_").replace(",", "_")


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BuildError(f"klpsh build: {name} not found: install {package} to build modules")
    return path


def _run(cmd: Sequence[str], cwd: Path, diag: Log | None, make_lines: Sequence[str] = ()) -> None:
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
            raise BuildError(output.rstrip("\n"), make_lines)
        raise BuildError(f"klpsh build: {Path(cmd[0]).name} exited with status {proc.returncode}",
                         make_lines)
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


def compile_flags(modname: str, basename: str, *, module: bool = True,
                  gcc_include: str | None = None, kernel: str | None = None,
                  tree: HeaderTree | None = None, extra: Sequence[str] = ()) -> list[str]:
    """The complete gcc flags (without -c/-o) for one translation unit, per kernel/ABI.md.

    EXTRA (the module's ccflags-y, CFLAGS_obj.o, -I/-D of the command line) follows the kernel's
    own flags, so the module's include directories are searched after the kernel's, as in 4.19.
    """
    tree = tree or HeaderTree.for_kernel(kernel)
    flags = ["-nostdinc", "-isystem", gcc_include or gcc_include_dir()]
    for d in tree.include_dirs:
        flags += ["-I", str(d)]
    for header in FORCED_INCLUDES:
        found = tree.find(header)
        if found is not None:
            flags += ["-include", str(found)]
    flags.append("-D__KERNEL__")
    if module:
        flags.append("-DMODULE")
    flags += [*KBUILD_WARNINGS, *extra]
    flags += [f'-DKBUILD_BASENAME="{basename}"', f'-DKBUILD_MODNAME="{modname}"']
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


# --- building modules -----------------------------------------------------------------------

@record
class _Job:
    """One module of a build: where its sources are, how its paths are shown, its flags."""

    spec: ModuleSpec
    srcdir: Path
    outdir: Path
    ccflags: list[str]
    obj_cflags: dict[str, list[str]] = field(default_factory=dict)
    obj_cflags_remove: dict[str, list[str]] = field(default_factory=dict)
    show: Callable[[Path], str] = str
    intree: bool = False
    linked: Path | None = None
    symbols: modpost.ObjectSymbols | None = None

    @property
    def modname(self) -> str:
        return _name_fix(Path(self.spec.name).name)

    @property
    def ko(self) -> Path:
        return self.outdir / f"{self.spec.name}.ko"

    def modpath(self) -> str:
        """modpost's name of the module: its path without .ko, as shown."""
        return self.show(self.outdir / self.spec.name)


class _Builder:
    """Stages 1 and 2 of `make modules` for a list of jobs (scripts/Makefile.build, modpost)."""

    def __init__(self, tree: HeaderTree, log: Log | None, diag: Log | None, tmp: Path,
                 make_style: bool, gpl_check: bool = True) -> None:
        self.tree = tree
        self.gpl_check = gpl_check
        self.log = log
        self.diag = diag
        self.tmp = tmp
        self.make_style = make_style
        self.gcc = _tool("gcc", "gcc")
        self.ld = _tool("ld", "binutils")
        self.include = gcc_include_dir(self.gcc)

    def _say(self, line: str) -> None:
        if self.log:
            self.log(line)

    def _make_lines(self, target: str, job: _Job, *, stop: str | None = None) -> list[str]:
        if not self.make_style:
            return []
        first = stop or f"make[1]: *** [scripts/Makefile.build:304: {target}] Error 1"
        return [first, f"make: *** [Makefile:1517: _module_{job.srcdir}] Error 2"]

    def compile_job(self, job: _Job, index: int) -> None:
        work = self.tmp / f"m{index}"
        work.mkdir()
        objects: list[Path] = []
        target_obj = job.outdir / f"{job.spec.name}.o"
        for k, obj in enumerate(job.spec.objects):
            stem = obj[:-2] if obj.endswith(".o") else obj
            source = job.srcdir / f"{stem}.c"
            asm = job.srcdir / f"{stem}.S"
            shown_obj = job.show(job.outdir / obj)
            if not source.is_file() and asm.is_file():
                source = asm
            if not source.is_file():
                needed = f", needed by '{job.show(target_obj)}'" if job.spec.composite else ""
                msg = f"make[1]: *** No rule to make target '{shown_obj}'{needed}.  Stop."
                if not self.make_style:
                    raise BuildError(f"klpsh build: {job.show(source)}: No such file or directory")
                raise BuildError(msg, [f"make: *** [Makefile:1517: _module_{job.srcdir}] Error 2"])
            if job.spec.name and len(job.modname) > _MODULE_NAME_MAX:
                raise BuildError(f"klpsh build: module name '{job.modname}' is too long "
                                 f"(at most {_MODULE_NAME_MAX} characters)")
            flags = [*job.ccflags, *job.obj_cflags.get(obj, [])]
            remove = set(job.obj_cflags_remove.get(obj, []))
            flags = [f for f in flags if f not in remove]
            out = work / f"{k}-{Path(stem).name}.o"
            self._say(f"  CC [M]  {shown_obj}" if source.suffix == ".c" else f"  AS [M]  {shown_obj}")
            cmd = [self.gcc, *compile_flags(job.modname, _name_fix(Path(stem).name), gcc_include=self.include,
                                            tree=self.tree, extra=flags)]
            if remove:
                cmd = [c for c in cmd if c not in remove]
            if source.suffix == ".S":
                cmd.append("-D__ASSEMBLY__")
            cmd += ["-c", _source_arg(source), "-o", str(out)]
            _run(cmd, REPO_ROOT, self.diag, self._make_lines(shown_obj, job))
            objects.append(out)
        linked = work / f"{Path(job.spec.name).name}.o"
        if job.spec.composite:
            self._say(f"  LD [M]  {job.show(target_obj)}")
            _run([self.ld, "-r", "-o", str(linked), *map(str, objects)], work, self.diag,
                 self._make_lines(job.show(target_obj), job))
        else:
            os.replace(objects[0], linked)
        job.linked = linked
        job.symbols = modpost.object_symbols(linked)

    def modpost(self, jobs: list[_Job]) -> dict[int, list[str]]:
        """Stage 2: modpost over every module; returns each job's depends."""
        self._say("  Building modules, stage 2.")
        self._say(f"  MODPOST {len(jobs)} modules")
        exports = modpost.Exports()
        exports.add("vmlinux", modpost.kernel_exports(self.tree.vmlinux_o))
        for job in jobs:
            assert job.symbols is not None
            exports.add(job.modname, job.symbols.exports)
        warn = self.diag or (lambda _line: None)
        depends: dict[int, list[str]] = {}
        for i, job in enumerate(jobs):
            assert job.symbols is not None
            syms = job.symbols
            if syms.modinfo.get("livepatch") == ["Y"]:
                # klp-convert resolves the symbols of a livepatch module after modpost
                syms = modpost.ObjectSymbols(syms.defined, {}, syms.exports, syms.modinfo)
            try:
                depends[i] = modpost.check_module(job.modpath(), syms, exports, warn=warn,
                                                  gpl_check=self.gpl_check)
            except modpost.ModpostError as exc:
                lines = ([f"make[1]: *** [scripts/Makefile.modpost:92: __modpost] Error 1",
                          "make: *** [Makefile:1520: modules] Error 2"] if self.make_style else [])
                raise BuildError(str(exc), lines) from exc
            depends[i] = [d for d in depends[i] if d != job.modname]
        return depends

    def finish_job(self, job: _Job, index: int, depends: list[str]) -> Path:
        assert job.linked is not None and job.symbols is not None
        work = job.linked.parent
        mod_c = work / f"{Path(job.spec.name).name}.mod.c"
        mod_c.write_text(modpost.mod_c(has_init="init_module" in job.symbols.defined,
                                       has_exit="cleanup_module" in job.symbols.defined,
                                       intree=job.intree, depends=depends))
        mod_o = work / f"{Path(job.spec.name).name}.mod.o"
        self._say(f"  CC      {job.show(job.outdir / (job.spec.name + '.mod.o'))}")
        _run([self.gcc, *compile_flags(job.modname, f"{job.modname}.mod", gcc_include=self.include,
                                       tree=self.tree),
              "-c", mod_c.name, "-o", mod_o.name], work, self.diag)
        self._say(f"  LD [M]  {job.show(job.ko)}")
        built = work / f"{Path(job.spec.name).name}.ko"
        _run([self.ld, "-r", "-o", built.name, job.linked.name, mod_o.name], work, self.diag)
        if job.symbols.modinfo.get("livepatch") == ["Y"]:
            _klp_convert(built)
        _install(built, job.ko)
        return job.ko

    def run(self, jobs: list[_Job]) -> list[Path]:
        for i, job in enumerate(jobs):
            self.compile_job(job, i)
        depends = self.modpost(jobs)
        return [self.finish_job(job, i, depends[i]) for i, job in enumerate(jobs)]


def build_module(source: Path, outdir: Path | None = None, *, log: Log | None = None,
                 diag: Log | None = None, intree: bool | None = None,
                 kernel: str | None = None, ccflags: Sequence[str] = (),
                 gpl_check: bool = True) -> Path:
    """Build SOURCE (a module's .c file) into OUTDIR/<stem>.ko and return that path.

    log receives the kbuild progress lines, diag the compiler's warnings.  intree defaults to
    whether the source lies inside the klpsh tree.  kernel picks the headers (and so the
    vermagic): "4.19" (default) or "5.4".  CCFLAGS are added after the kernel's flags.
    gpl_check=False skips modpost's GPL-only check (a module built against a kernel whose
    export table says otherwise: the loader still refuses it).  Raises BuildError.
    """
    source = Path(source)
    if not source.is_file():
        raise BuildError(f"klpsh build: {source}: No such file or directory")
    if source.suffix != ".c":
        raise BuildError(f"klpsh build: {source}: not a C source file")
    if len(module_name(source)) > _MODULE_NAME_MAX:
        raise BuildError(f"klpsh build: module name '{module_name(source)}' is too long "
                         f"(at most {_MODULE_NAME_MAX} characters)")
    outdir = Path(outdir) if outdir is not None else source.parent
    job = _Job(ModuleSpec(source.stem, [f"{source.stem}.o"], False), source.parent, outdir,
               list(ccflags), show=lambda p: _display(p),
               intree=_is_intree(source) if intree is None else intree)
    with tempfile.TemporaryDirectory(prefix="klpsh-build-") as tmpname:
        builder = _Builder(HeaderTree.for_kernel(kernel), log, diag, Path(tmpname), make_style=False,
                           gpl_check=gpl_check)
        builder.compile_job(job, 0)
        depends = _quiet_modpost(builder, job)
        return builder.finish_job(job, 0, depends)


def _quiet_modpost(builder: _Builder, job: _Job) -> list[str]:
    """modpost for a single-file build: its checks, without the stage-2 progress lines."""
    log, builder.log = builder.log, None
    try:
        return builder.modpost([job])[0]
    finally:
        builder.log = log


def _resolve_include(flag: str, srcdir: Path) -> str:
    """-Irelative in a Kbuild file: the module directory's if it exists there, else the kernel
    tree's (where 4.19's make runs)."""
    if flag.startswith("-I") and len(flag) > 2 and not os.path.isabs(flag[2:]):
        rel = flag[2:]
        if (srcdir / rel).is_dir():
            return f"-I{(srcdir / rel).resolve()}"
        return f"-I{(KERNEL_DIR / rel).resolve()}"
    return flag


def _split_include_flags(flags: list[str]) -> list[str]:
    """Join `-I DIR` / `-D NAME` pairs into single words (make words are split by blanks)."""
    out: list[str] = []
    i = 0
    while i < len(flags):
        f = flags[i]
        if f in ("-I", "-D", "-U", "-include", "-isystem") and i + 1 < len(flags):
            out.append(f + flags[i + 1] if f in ("-I", "-D", "-U") else f"{f} {flags[i + 1]}")
            i += 2
            continue
        out.append(f)
        i += 1
    return [w for item in out for w in (item.split(" ", 1) if item.startswith(("-include ", "-isystem ")) else [item])]


def _jobs_for(kdir, outdir: Path | None, extra: list[str], intree: bool | None) -> list[_Job]:
    jobs: list[_Job] = []
    ccflags = [_resolve_include(f, kdir.directory) for f in _split_include_flags(kdir.ccflags)]
    for spec in kdir.modules:
        out = outdir if outdir is not None else kdir.directory
        jobs.append(_Job(spec, kdir.directory, out, ccflags + extra,
                         {o: [_resolve_include(f, kdir.directory) for f in v]
                          for o, v in kdir.obj_cflags.items()},
                         kdir.obj_cflags_remove, show=str,
                         intree=_is_intree(kdir.directory) if intree is None else intree))
    for sub in kdir.subdirs:
        jobs += _jobs_for(sub, (outdir / sub.directory.name) if outdir else None, extra, intree)
    return jobs


def build_dir(directory: Path, outdir: Path | None = None, *, log: Log | None = None,
              diag: Log | None = None, extra_cflags: Sequence[str] = (),
              variables: dict[str, str] | None = None, kernel: str | None = None,
              intree: bool | None = None) -> list[Path]:
    """`make -C KDIR M=DIRECTORY modules`: build every module DIRECTORY's Kbuild/Makefile names.

    Returns the .ko paths (in obj-m order).  EXTRA_CFLAGS come after the file's own flags
    (command-line -I/-D).  Raises BuildError, whose make_lines say what make would add.
    """
    tree = HeaderTree.for_kernel(kernel)
    directory = Path(directory)
    if not directory.is_dir():
        raise BuildError(f"make: *** {directory}: No such file or directory.  Stop.")
    try:
        kdir = read_kbuild_dir(directory, release=tree.release, config=tree.config(),
                               variables=variables)
    except MakeError as exc:
        raise BuildError(str(exc)) from exc
    for message in kdir.messages:
        if diag:
            diag(message)
    jobs = _jobs_for(kdir, Path(outdir).resolve() if outdir else None, list(extra_cflags), intree)
    with tempfile.TemporaryDirectory(prefix="klpsh-build-") as tmpname:
        return _Builder(tree, log, diag, Path(tmpname), make_style=True).run(jobs)


# files `make clean` removes from a module directory (scripts/Makefile.clean, 4.19 top Makefile)
_CLEAN_PATTERNS = ("*.ko", "*.o", "*.mod.c", "*.mod.o", ".*.cmd", "*.symvers", "modules.order",
                   ".tmp_versions", ".cache.mk")


def clean_dir(directory: Path) -> list[Path]:
    """`make clean`: remove what a module build leaves in DIRECTORY; returns the removed paths."""
    removed: list[Path] = []
    directory = Path(directory)
    for pattern in _CLEAN_PATTERNS:
        for p in sorted(directory.glob(pattern)):
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)
            removed.append(p)
    return removed


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


# --- command lines ---------------------------------------------------------------------------

def _out(line: str) -> None:
    print(line, flush=True)


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _report(exc: BuildError) -> None:
    _err(str(exc))
    for line in exc.make_lines:
        _err(line)


def _cmdline_flags(includes: Sequence[str], defines: Sequence[str]) -> list[str]:
    return [f"-I{Path(d).resolve()}" for d in includes] + [f"-D{d}" for d in defines]


def main(argv: Sequence[str] | None = None) -> int:
    """`klpsh build [DIR | SRC.c...] [-I DIR] [-D NAME[=VALUE]] [-o DIR]` / `--vmlinux`.

    Returns the exit status: 0, 1 for a failed SRC.c build, 2 (make's) for a failed directory.
    """
    parser = argparse.ArgumentParser(
        prog="klpsh build",
        description="Compile kernel modules against kernel/include: a module directory (its Kbuild "
                    "or Makefile: obj-m, NAME-objs/NAME-y, ccflags-y, EXTRA_CFLAGS) or C sources "
                    "(one .ko each). Without arguments: the current directory.")
    parser.add_argument("targets", nargs="*", metavar="DIR|SRC.c",
                        help="module directories or module source files")
    parser.add_argument("-o", "--output", metavar="DIR", type=Path,
                        help="where to put the .ko files (default: beside the sources)")
    parser.add_argument("-I", dest="includes", action="append", default=[], metavar="DIR",
                        help="add DIR to the include path (after the kernel's)")
    parser.add_argument("-D", dest="defines", action="append", default=[], metavar="NAME[=VALUE]",
                        help="define a macro for every source")
    parser.add_argument("--kernel", metavar="VERSION", default=None,
                        help="the kernel to build for: 4.19 (default) or 5.4 (its headers and vermagic)")
    parser.add_argument("--intree", action="store_true", default=None,
                        help="mark the modules in-tree (modinfo intree=Y), as kbuild does for the "
                             "kernel's own modules (e.g. lib/livepatch): loading them does not "
                             "taint the kernel O (default: only sources inside klpsh are)")
    parser.add_argument("--vmlinux", action="store_true",
                        help="(re)build kernel/vmlinux/vmlinux.o (into DIR with -o)")
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:  # --help, or a usage error already printed by argparse
        return 0 if exc.code in (0, None) else 1
    extra = _cmdline_flags(args.includes, args.defines)
    targets = list(args.targets)
    if not targets and not args.vmlinux:
        targets = ["."]
    try:
        if args.vmlinux:
            build_vmlinux(args.output, log=_out, diag=_err)
        for target in targets:
            path = Path(target)
            if path.is_dir():
                if kbuild_file(path) is None:
                    _err(f"klpsh build: {target}: no Kbuild or Makefile here (give SRC.c files, "
                         "or a directory with a Kbuild or Makefile)")
                    return 1
                build_dir(path, args.output, log=_out, diag=_err, extra_cflags=extra,
                          kernel=args.kernel, intree=args.intree)
            else:
                build_module(path, args.output, log=_out, diag=_err, ccflags=extra,
                             kernel=args.kernel, intree=args.intree)
    except BuildError as exc:
        _report(exc)
        return 2 if exc.make_lines else 1
    except OSError as exc:
        _err(f"klpsh build: {exc}")
        return 1
    return 0


def make_main(argv: Sequence[str] | None = None) -> int:
    """`klpsh make [-C KDIR] [M=DIR] [VAR=VALUE...] [modules|all|clean]`, as a user types make.

    -C names the kernel build tree (`/lib/modules/$(uname -r)/build`): klpsh's own headers are
    used whatever it says, unless no M= is given and it is a module directory itself.  Without
    M=, the module directory is the current one (as the `all:` rule of an out-of-tree Makefile
    would pass M=$(PWD)).  Exit status as make's: 0, or 2 after an error.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    kdir: str | None = None
    variables: dict[str, str] = {}
    goals: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "-C" and i + 1 < len(args):
            kdir = args[i + 1]
            i += 2
            continue
        if a.startswith("-C") and len(a) > 2:
            kdir = a[2:]
        elif a.startswith("-j") or a in ("-s", "--silent", "-k", "-w", "--no-print-directory"):
            pass
        elif a == "-f" and i + 1 < len(args):
            i += 2
            continue
        elif a.startswith("-"):
            _err(f"make: invalid option -- '{a.lstrip('-')[:1]}'")
            return 2
        elif "=" in a:
            key, _, value = a.partition("=")
            variables[key] = value
        else:
            goals.append(a)
        i += 1
    moddir_s = variables.pop("M", None) or variables.pop("SUBDIRS", None)
    if moddir_s is None:
        base = Path(kdir) if kdir else Path.cwd()
        moddir = base if base.is_dir() and kbuild_file(base) is not None else Path.cwd()
    else:
        moddir = Path(moddir_s) if os.path.isabs(moddir_s) else (Path(kdir or ".") / moddir_s)
    moddir = moddir.resolve()
    extra = []
    for key in ("KCFLAGS", "KCPPFLAGS"):
        if key in variables:
            extra += variables.pop(key).split()
    goals = goals or ["modules"]
    status = 0
    for goal in goals:
        if goal == "clean":
            if kbuild_file(moddir) is None:
                _err(f"make: *** No rule to make target 'clean'.  Stop.")
                return 2
            clean_dir(moddir)
        elif goal in ("modules", "all", "default"):
            if not moddir.is_dir():
                _err(f"make: *** {moddir}: No such file or directory.  Stop.")
                return 2
            if kbuild_file(moddir) is None:
                _err("make: *** No targets specified and no makefile found.  Stop.")
                return 2
            try:
                build_dir(moddir, log=_out, diag=_err, extra_cflags=extra, variables=variables)
            except BuildError as exc:
                _report(exc)
                return 2
        elif goal in ("modules_install", "install"):
            _err(f"make: *** klpsh has no /lib/modules to install into: insmod or modprobe "
                 f"the .ko from {moddir}.  Stop.")
            status = 2
        else:
            _err(f"make: *** No rule to make target '{goal}'.  Stop.")
            return 2
    return status


if __name__ == "__main__":
    sys.exit(main())
