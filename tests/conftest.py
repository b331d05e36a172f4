"""Shared fixtures: a booted machine, the bundled modules, and module building."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))       # the fuzzers under fuzz/ (tests run them briefly)
MODULES = ROOT / "modules"
VMLINUX = ROOT / "kernel" / "vmlinux" / "vmlinux.o"
S = 1_000_000_000


def have_kernel() -> bool:
    return VMLINUX.exists() and (MODULES / "livepatch-callbacks-demo.ko").exists()


needs_kernel = pytest.mark.skipif(not have_kernel(), reason="vmlinux.o or bundled modules not built")
needs_gcc = pytest.mark.skipif(shutil.which("gcc") is None or shutil.which("ld") is None,
                               reason="gcc/ld not installed")


@pytest.fixture(scope="session")
def elf_cache():
    from kernel.module.elf import ElfCache
    return ElfCache()


@pytest.fixture
def kernel(elf_cache):
    from kernel.machine import Kernel
    k = Kernel.boot(clock_mode="virtual", elf_cache=elf_cache)
    k.lines = []
    k.printk.consoles.append(lambda r: k.lines.append(r.text))
    yield k
    k.shutdown()  # end its task threads: a machine left running holds all its memory


def ko(name: str) -> bytes:
    return (MODULES / f"{name}.ko").read_bytes()


@pytest.fixture(scope="session")
def build(tmp_path_factory):
    """Compile C source text into a .ko with klpsh's kbuild; returns its bytes."""
    from kernel import kbuild
    out = tmp_path_factory.mktemp("mods")

    def _build(name: str, source: str) -> bytes:
        src = out / f"{name}.c"
        src.write_text(source)
        return kbuild.build_module(src, out).read_bytes()
    return _build


TEST_MODULES = ROOT / "tests" / "modules"


@pytest.fixture(scope="session")
def test_module(tmp_path_factory):
    """The bytes of tests/modules/NAME.c built with kbuild, once per session."""
    from kernel import kbuild
    out = tmp_path_factory.mktemp("test-modules")
    built: dict[str, bytes] = {}

    def _get(name: str) -> bytes:
        if name not in built:
            built[name] = kbuild.build_module(TEST_MODULES / f"{name}.c", out).read_bytes()
        return built[name]
    return _get


def wait_until_cooked(fd: int, timeout: float = 30.0) -> None:
    """Wait until the pty FD is back in cooked mode (ISIG on): the prompt has handed the line
    over and a command runs, so a Ctrl-C now is a SIGINT, not a key the prompt reads."""
    import termios
    import time
    end = time.monotonic() + timeout
    while not termios.tcgetattr(fd)[3] & termios.ISIG:
        if time.monotonic() > end:
            raise AssertionError("the terminal never left the prompt's raw mode")
        time.sleep(0.01)
