"""The controlling tty through the shell (tests/modules/tty_demo.c): what a module writes with its
tty's driver write method shows on the terminal among insmod's/rmmod's own output, not in dmesg;
a kernel thread has no tty."""

from __future__ import annotations

from conftest import needs_gcc, needs_kernel
from klpsh.shell import Shell

pytestmark = [needs_kernel, needs_gcc]


def test_module_writes_to_the_terminal(kernel, tmp_path, test_module) -> None:
    (tmp_path / "tty_demo.ko").write_bytes(test_module("tty_demo"))
    out: list[str] = []
    sh = Shell(kernel, out.append, cwd=tmp_path, console=False)
    sh.run_line("insmod tty_demo.ko")
    assert out == ["% insmod tty_demo.ko", "tty_demo: hello from the terminal", "tty_demo: same tty"]
    out.clear()
    sh.run_line("dmesg")
    log = [ln for ln in out if "tty_demo" in ln]
    assert len(log) == 1 and log[0].endswith("tty_demo: kthread tty 0, magic 5401, driver pts, ops shared")
    out.clear()
    sh.run_line("rmmod tty_demo")
    assert out == ["% rmmod tty_demo", "tty_demo: goodbye"]
    out.clear()
    sh.run_line("dmesg")
    assert not [ln for ln in out if "goodbye" in ln]
