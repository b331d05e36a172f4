"""Input a hostile user can give the shell: odd module names, odd files to insmod, odd bytes
on stdin, odd escapes. Each gets the real tool's answer, never an internal error."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT, needs_gcc, needs_kernel
from klpsh.shell import Shell

pytestmark = needs_kernel

NAMED = """
#include <linux/module.h>
static int __init named_init(void) { return 0; }
module_init(named_init);
MODULE_LICENSE("GPL");
"""


@pytest.fixture
def shell(kernel, tmp_path):
    out: list[str] = []
    sh = Shell(kernel, out.append, cwd=tmp_path)
    sh.output = out
    return sh


def run(sh, line):
    n = len(sh.output)
    sh.run_line(line)
    return sh.output[n + 1:]


def renamed(image: bytes, old: str, new: str) -> bytes:
    """IMAGE with its module name (struct module's, .modinfo's) changed; same length."""
    assert len(new) == len(old) and image.count(old.encode() + b"\0") >= 1
    return image.replace(old.encode() + b"\0", new.encode() + b"\0")


@needs_gcc
@pytest.mark.parametrize("name", ["ab\ncd", "ab\tcd"])
def test_lsmod_after_a_module_whose_name_holds_a_blank(shell, build, tmp_path, name):
    (tmp_path / "m.ko").write_bytes(renamed(build("abxcd", NAMED), "abxcd", name))
    assert [ln[15:] for ln in run(shell, "insmod m.ko")] == [part for part in
                                         f"{name}: loading out-of-tree module taints kernel.".split("\n")]
    out = run(shell, "lsmod")
    assert out[0] == "Module                  Size  Used by"
    assert not any("internal error" in l for l in out)
    # libkmod takes the first blank-separated word of a /proc/modules line for a name, and
    # finds no /sys/module/ab (nor cd, the second half of a line cut by the newline)
    expect = ["ab                        -2  -2"]
    if "\n" in name:
        expect.append("cd                        -2  -2")
    assert out[1:] == expect


def test_insmod_refuses_what_is_no_module_file_before_reading_it(shell, tmp_path):
    big = tmp_path / "big.ko"
    with big.open("wb") as f:
        f.truncate(3 << 30)                      # sparse: no disk, no reading
    mid = tmp_path / "mid.ko"
    with mid.open("wb") as f:
        f.truncate(900 << 20)
    assert run(shell, "insmod /dev/zero") == ["insmod: ERROR: could not insert module /dev/zero: Invalid parameters"]
    assert run(shell, "insmod big.ko") == ["insmod: ERROR: could not insert module big.ko: File too large"]
    assert run(shell, "insmod mid.ko") == ["insmod: ERROR: could not insert module mid.ko: Cannot allocate memory"]


def test_a_nul_byte_in_a_command_line_is_dropped_as_bash_does(shell):
    assert run(shell, "insmod no\0where.ko") == [
        "insmod: ERROR: could not load module nowhere.ko: No such file or directory"]
    assert run(shell, "ech\0o hi") == ["hi"]


def test_invalid_utf8_on_batch_stdin_does_not_end_the_run():
    proc = subprocess.run([sys.executable, "-m", "klpsh", "-"], input=b"echo \xff\xfe\necho after\n",
                          capture_output=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode().splitlines() == ["% echo \ufffd\ufffd", "\ufffd\ufffd", "% echo after", "after"]
    assert b"Traceback" not in proc.stderr


@pytest.mark.parametrize("line", ["echo -e '\\U7fffffff'", "echo -e '\\'", "echo -e '\\x'", "echo -e '\\c'",
                                  "sleep 1e99999", "sleep 0x10 1e-999", "sleep inf", "sleep 1e30"])
def test_odd_arguments_get_the_tools_answers(shell, line):
    out = run(shell, line)
    assert not any("internal error" in l for l in out), out
    assert shell.kernel.clock.now <= 700 * 10**9
    assert run(shell, "cat /proc/uptime")[0].split()[0].replace(".", "").isdigit()


@pytest.mark.parametrize("args, seconds", [("1e3", 1000), ("0x10", 16), ("1m 1h", 3660), (".5 0.25s", 0.75),
                                           ("1d", 86400)])
def test_sleep_sleeps_what_coreutils_reads_the_interval_as(shell, args, seconds):
    """Floating-point numbers in any form strtod reads (hex too), suffixes s/m/h/d, the
    arguments summed; the virtual clock moves by that much, no more."""
    start = shell.kernel.clock.now
    assert run(shell, f"sleep {args}") == []
    assert shell.kernel.clock.now - start == pytest.approx(seconds * 10**9, abs=10**7)
