"""The kernel's own 5.4 selftest modules, unchanged, on the 5.4 profile.

Set KLPSH_LINUX_5_4 to a Linux 5.4 source tree (or to its lib/livepatch directory): its
lib/livepatch/test_klp_*.c are built with `klpsh build --kernel 5.4 --intree` (in-tree, as
the kernel's own build makes them: an out-of-tree module's taint line is one 5.4's
functions.sh does not filter) and every case of tests/k54_scenarios runs with them instead
of our equivalents, its check_result() text compared with the selftests' golden output.
Nothing of the kernel is kept in the project; without the variable the test is skipped.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, needs_gcc, needs_kernel
from test_k54_selftests import SCENARIOS, check_result, run_scenario

pytestmark = [needs_kernel, needs_gcc]
TREE = os.environ.get("KLPSH_LINUX_5_4", "")
NAMES = ("test_klp_atomic_replace", "test_klp_callbacks_busy", "test_klp_callbacks_demo",
         "test_klp_callbacks_demo2", "test_klp_callbacks_mod", "test_klp_livepatch",
         "test_klp_shadow_vars")


def _lib_livepatch() -> Path | None:
    for d in (Path(TREE) / "lib" / "livepatch", Path(TREE)):
        if TREE and all((d / f"{n}.c").is_file() for n in NAMES):
            return d
    return None


@pytest.fixture(scope="module")
def upstream_modules(tmp_path_factory) -> Path:
    src = _lib_livepatch()
    if src is None:
        pytest.skip("KLPSH_LINUX_5_4 names no Linux 5.4 tree with lib/livepatch/test_klp_*.c")
    out = tmp_path_factory.mktemp("upstream-5.4")
    proc = subprocess.run([sys.executable, "-m", "klpsh", "build", "--kernel", "5.4", "--intree",
                           *(str(src / f"{n}.c") for n in NAMES), "-o", str(out)],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert sorted(p.stem for p in out.glob("*.ko")) == sorted(NAMES)
    return out


@pytest.mark.parametrize("name", sorted(p.stem for p in SCENARIOS.glob("*.klp")))
def test_upstream_module_scenario(name, upstream_modules, elf_cache):
    lines, kernel = run_scenario(SCENARIOS / f"{name}.klp", upstream_modules, elf_cache)
    try:
        want = (SCENARIOS / f"{name}.out").read_text().splitlines()
        assert check_result(lines) == want, "\n".join(lines)
        assert kernel.modules == {} and kernel.fs.listdir("/sys/kernel/livepatch") == []
    finally:
        kernel.shutdown()
