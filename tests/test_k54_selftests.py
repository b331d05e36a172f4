"""The 5.4 livepatch selftests (tools/testing/selftests/livepatch: test-callbacks.sh,
test-livepatch.sh, test-shadow-vars.sh) as batch scenarios on the 5.4 profile.

Each tests/k54_scenarios/NAME.klp is one selftest case as a klpsh script: what functions.sh
does (modprobe, rmmod, echo to sysfs, the `grep ... > /dev/kmsg` of /proc files as a cat),
with a `sleep` where functions.sh polls until a transition is over. NAME.out is the case's
expected check_result() text. The modules are ours (tests/modules/5.4/test_klp_*.c, built
with `klpsh build --kernel 5.4`), behaving as the kernel's lib/livepatch test modules do.
The output is filtered as check_result() filters dmesg: lines naming livepatch or test_klp,
no tainting line, no timestamps; of the shell's echoed commands only those functions.sh logs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, needs_gcc, needs_kernel
from kernel import kbuild
from kernel.machine import Kernel
from klpsh.shell import Shell

pytestmark = [needs_kernel, needs_gcc]

SCENARIOS = ROOT / "tests" / "k54_scenarios"
MODULES_5_4 = ROOT / "tests" / "modules" / "5.4"
LOGGED_COMMANDS = ("modprobe", "rmmod", "echo")   # what functions.sh writes to /dev/kmsg
_TIMESTAMP = re.compile(r"^\[[ 0-9.]*\] ")


@pytest.fixture(scope="session")
def selftest_modules(tmp_path_factory) -> Path:
    """tests/modules/5.4/*.c built for the 5.4 kernel into one directory (modprobe's cwd)."""
    out = tmp_path_factory.mktemp("k54-selftest-modules")
    for src in sorted(MODULES_5_4.glob("test_klp_*.c")):
        kbuild.build_module(src, out, kernel="5.4")
    return out


def check_result(lines: list[str]) -> list[str]:
    """What functions.sh's check_result() compares: dmesg | grep -v tainting |
    grep -e livepatch: -e test_klp, timestamps cut."""
    out = []
    for line in lines:
        if line.startswith("% "):
            if line[2:].split()[0] not in LOGGED_COMMANDS:
                continue
        else:
            line = _TIMESTAMP.sub("", line)
        if "tainting" in line:
            continue
        if "livepatch:" in line or "test_klp" in line:
            out.append(line)
    return out


def run_scenario(script: Path, cwd: Path, elf_cache) -> tuple[list[str], Kernel]:
    kernel = Kernel.boot(clock_mode="virtual", elf_cache=elf_cache, kernel="5.4")
    lines: list[str] = []
    Shell(kernel, lines.append, cwd=cwd).run_script(script.read_text().splitlines())
    return lines, kernel


@pytest.mark.parametrize("name", sorted(p.stem for p in SCENARIOS.glob("*.klp")))
def test_selftest_scenario(name, selftest_modules, elf_cache):
    lines, kernel = run_scenario(SCENARIOS / f"{name}.klp", selftest_modules, elf_cache)
    try:
        want = (SCENARIOS / f"{name}.out").read_text().splitlines()
        assert check_result(lines) == want, "\n".join(lines)
        # every case leaves the machine as it found it: no module, no patch
        assert kernel.modules == {} and kernel.fs.listdir("/sys/kernel/livepatch") == []
    finally:
        kernel.shutdown()


def test_every_selftest_case_is_covered():
    """test-callbacks.sh has 11 cases, test-livepatch.sh 3, test-shadow-vars.sh 1 (5.4)."""
    names = [p.stem for p in SCENARIOS.glob("*.klp")]
    assert sum(n.startswith("callbacks-") for n in names) == 11
    assert sum(n.startswith("livepatch-") for n in names) == 3
    assert sum(n.startswith("shadow-vars-") for n in names) == 1
    assert all((SCENARIOS / f"{n}.out").exists() for n in names)
