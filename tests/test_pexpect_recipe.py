"""The README's recipe for golden tests through pexpect, with a normal TERM and with TERM=dumb:
the prompt's text is in the output as it reads, and each kernel line arrives whole (colour never
splits it), so plain expect_exact() of the document's lines works on any terminal."""

from __future__ import annotations

import os
import sys

import pytest

from conftest import ROOT, needs_kernel, wait_until_cooked

pexpect = pytest.importorskip("pexpect")
pytestmark = needs_kernel
TIMEOUT = 30   # generous: CI is a busy 2-core machine; every wait is for what it needs
DEMO = "livepatch_callbacks_demo"


def spawn(term: str, tmp_path, *args: str) -> "pexpect.spawn":
    """The recipe: klpsh in a pty with TERM=TERM; PROMPT_TOOLKIT_NO_CPR=1 as pexpect answers
    no cursor-position requests; --clock virtual for deterministic timestamps."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(TERM=term, PROMPT_TOOLKIT_NO_CPR="1", XDG_STATE_HOME=str(tmp_path),
               PYTHONPATH=str(ROOT))
    return pexpect.spawn(sys.executable, ["-m", "klpsh", "--clock", "virtual", *args], env=env,
                         cwd=str(ROOT), encoding="utf-8", timeout=TIMEOUT, dimensions=(24, 200))


@pytest.mark.parametrize("term", ["xterm-256color", "dumb"])
def test_golden_test_recipe(term: str, tmp_path) -> None:
    child = spawn(term, tmp_path)
    child.expect_exact("% ")
    child.sendline("insmod samples/livepatch/livepatch-callbacks-demo.ko")
    child.expect_exact(f"livepatch: enabling patch '{DEMO}'")
    child.expect_exact(f"livepatch: '{DEMO}': starting patching transition")
    child.expect_exact("% ")
    child.sendline("sleep 2")
    child.expect_exact(f"livepatch_callbacks_demo: post_patch_callback: vmlinux")
    child.expect_exact(f"livepatch: '{DEMO}': patching complete")
    child.expect_exact("% ")
    child.sendline("rmmod nosuch")
    child.expect_exact("rmmod: ERROR: Module nosuch is not currently loaded")
    child.expect_exact("% ")
    child.sendline("exit 3")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 3


def test_a_kernel_line_after_ctrl_c_starts_on_a_fresh_line(tmp_path) -> None:
    """rmmod of the busy module blocks (its worker sleeps 2 s); Ctrl-C echoes ^C, and the
    worker's line that follows starts a line of its own."""
    child = spawn("dumb", tmp_path, "--clock", "real")
    child.expect_exact("% ")
    child.sendline("insmod samples/livepatch/livepatch-callbacks-busymod.ko sleep_secs=2")
    child.expect_exact("sleeping 2 seconds ...")
    child.expect_exact("% ")
    child.sendline("rmmod livepatch_callbacks_busymod")
    child.expect(r"rmmod livepatch_callbacks_busymod\r*\n")   # accepted: the command runs
    wait_until_cooked(child.child_fd)
    child.sendintr()
    child.expect_exact("busymod_work_func exit")
    before = child.before
    child.expect_exact("% ")
    child.sendline("exit")
    child.expect(pexpect.EOF)
    assert "^C" in before
    screen = before.replace("\r", "")
    line = screen[screen.rindex("\n", 0, screen.rindex("livepatch_callbacks_busymod:")) + 1:]
    assert line.startswith("[") and "^C" not in line, repr(screen[-200:])
