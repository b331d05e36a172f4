"""Build, load, exercise and unload a directory of module directories, as a user would.

Each module directory (tests/modules/corpus/NAME, or any directory of module sources with a
Kbuild or Makefile) is copied to a scratch directory and built as `klpsh build DIR` builds it
(its Kbuild/Makefile read by kernel/kbuild_makefile.py).  Each built directory gets a fresh
machine and a shell, which runs what a user does with a new module:

    insmod DIR/NAME.ko          every .ko the build made, in obj-m order
    cat FILE                    every file the module added under /proc, /sys/kernel,
                                /sys/module/NAME/parameters and /dev
    echo 1 > FILE; cat FILE     the ones it may write to
    sleep 3                     its timers, works and threads run
    echo 0 > .../enabled        a livepatch is disabled first (4.19 keeps an enabled one),
    sleep 3                     and its transition given time
    rmmod NAME

A module builds if kbuild made its .ko files, loads if every insmod exits 0, and runs
cleanly if nothing it did logged an Oops, BUG, WARNING or Call Trace and rmmod succeeded.

    python tests/tools/corpus_run.py [DIR...] [-v] [--keep]

prints one line a module and the build and load rates (default DIR: tests/modules/corpus).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kernel import kbuild  # noqa: E402

CORPUS = ROOT / "tests" / "modules" / "corpus"
LIVEPATCH = "/sys/kernel/livepatch/"
ROOTS = ("/proc", "/sys/kernel", "/dev")
TROUBLE = ("Oops", "BUG:", "WARNING:", "Call Trace:", "general protection fault")


@dataclass
class Result:
    """What happened to one module directory."""

    name: str
    built: bool = False
    loaded: bool = False
    clean: bool = False
    error: str = ""
    transcript: list[str] = field(default_factory=list)


def module_dirs(paths: list[Path]) -> list[Path]:
    """The module directories under PATHS (a directory with a Kbuild or Makefile is one)."""
    out: list[Path] = []
    for p in paths:
        if (p / "Kbuild").exists() or (p / "Makefile").exists():
            out.append(p)
        else:
            out += sorted(d for d in p.iterdir() if d.is_dir() and
                          ((d / "Kbuild").exists() or (d / "Makefile").exists()))
    return out


def _files(k, base: str, depth: int = 3) -> set[str]:
    """Every file under BASE, DEPTH levels down (directories are walked, not listed)."""
    out: set[str] = set()
    if depth < 0 or not k.fs.exists(base):
        return out
    if not k.fs.isdir(base):
        return {base}
    for name in k.fs.listdir(base):
        path = f"{base.rstrip('/')}/{name}"
        if base == "/proc" and name.isdigit():
            continue
        out |= _files(k, path, depth - 1)
    return out


def _snapshot(k, names: list[str]) -> set[str]:
    files: set[str] = set()
    for base in ROOTS:
        files |= _files(k, base)
    for name in names:
        files |= _files(k, f"/sys/module/{name}/parameters", 1)
    return files


def build(src: Path, scratch: Path) -> tuple[list[Path], str]:
    """Copy SRC to SCRATCH and build it there; (the .ko files, "" or the build's error)."""
    work = scratch / src.name
    shutil.copytree(src, work)
    try:
        return kbuild.build_dir(work), ""
    except kbuild.BuildError as e:
        lines = [l for l in str(e).splitlines() if "error" in l.lower() or "ERROR" in l]
        return [], (lines or str(e).splitlines() or ["?"])[0].strip()


def exercise(kos: list[Path], elf_cache=None) -> tuple[bool, bool, list[str]]:
    """(loaded, ran cleanly, the transcript) of KOS on a fresh machine."""
    from kernel.machine import Kernel
    from klpsh.shell import Shell
    k = Kernel.boot(clock_mode="virtual", elf_cache=elf_cache)
    out: list[str] = []
    try:
        sh = Shell(k, out.append, cwd=kos[0].parent)
        names = [kbuild.module_name(ko) for ko in kos]
        before = _snapshot(k, [])
        loaded = all(sh.run_line(f"insmod {ko}") == 0 for ko in kos)
        status_ok = loaded
        if loaded:
            for path in sorted(_snapshot(k, names) - before):
                mode = getattr(k.vfs.lookup(path), "mode", 0)
                if path.startswith(LIVEPATCH):
                    continue                  # the patch's controls, used below
                if mode & 0o444:
                    status_ok &= sh.run_line(f"cat {path}") == 0
                if mode & 0o222:
                    sh.run_line(f"echo 1 > {path}")
                    if mode & 0o444:
                        sh.run_line(f"cat {path}")
            sh.run_line("sleep 3")
            for name in reversed(names):
                if k.fs.exists(f"{LIVEPATCH}{name}/enabled"):
                    sh.run_line(f"echo 0 > {LIVEPATCH}{name}/enabled")   # 4.19: disable first
                    sh.run_line("sleep 3")
                status_ok &= sh.run_line(f"rmmod {name}") == 0
        trouble = any(t in r.text for r in k.printk.records for t in TROUBLE)
        return loaded, status_ok and not trouble, out
    finally:
        k.shutdown()


def run(dirs: list[Path], verbose: bool = False) -> list[Result]:
    from kernel.module.elf import ElfCache
    cache = ElfCache()
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="klpsh-corpus-") as tmp:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:   # gcc runs apart
            builds = list(pool.map(lambda d: build(d, Path(tmp)), dirs))
        for d, (kos, error) in zip(dirs, builds):
            r = Result(d.name, error=error)
            r.built = bool(kos)
            if r.built:
                r.loaded, r.clean, r.transcript = exercise(kos, cache)
                if not r.loaded:
                    r.error = next((l for l in r.transcript if l.startswith("insmod:")), "insmod failed")
            results.append(r)
            state = "ok" if r.clean else ("RAN WITH ERRORS" if r.loaded else
                                          ("LOAD FAILED" if r.built else "BUILD FAILED"))
            print(f"{r.name:24} {state:16} {r.error}", flush=True)
            if verbose:
                print("\n".join("    " + l for l in r.transcript))
    return results


def rates(results: list[Result]) -> str:
    n = len(results) or 1
    b, l, c = (sum(getattr(r, a) for r in results) for a in ("built", "loaded", "clean"))
    return (f"{len(results)} modules: built {b} ({100 * b / n:.0f}%), loaded {l} ({100 * l / n:.0f}%), "
            f"ran cleanly {c} ({100 * c / n:.0f}%)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", type=Path, default=[CORPUS])
    ap.add_argument("-v", "--verbose", action="store_true", help="print each module's session")
    args = ap.parse_args(argv)
    results = run(module_dirs(args.dirs), args.verbose)
    print(rates(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
