"""The batch shell: parsing, echo of commands, kernel lines in order, redirection, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_kernel import FakeKernel, fake_image

from kernel.errno import Errno, KernelError
from klpsh.shell import Command, Shell, ShellSyntaxError, parse
from klpsh.tools import REGISTRY, ToolContext, load_tools, tool


@pytest.fixture
def sh(tmp_path: Path) -> tuple[Shell, list[str]]:
    mods = tmp_path / "modules"
    mods.mkdir()
    (mods / "livepatch-callbacks-busymod.ko").write_bytes(fake_image("livepatch_callbacks_busymod"))
    lines: list[str] = []
    return Shell(FakeKernel(), lines.append, cwd=tmp_path, modules_dir=mods), lines  # type: ignore[arg-type]


@pytest.mark.parametrize("line,cmd", [
    ("echo 0 > /sys/kernel/livepatch/p/enabled", Command(["echo", "0"], "/sys/kernel/livepatch/p/enabled")),
    ("echo -19 >/sys/x", Command(["echo", "-19"], "/sys/x")),
    ("echo 1 >> /sys/x", Command(["echo", "1"], "/sys/x", append=True)),
    ("echo 'a > b' \"c d\"", Command(["echo", "a > b", "c d"])),
    ("insmod m.ko a=1 b=-2  # a comment", Command(["insmod", "m.ko", "a=1", "b=-2"])),
    ("  ", None), ("# only a comment", None),
])
def test_parse(line: str, cmd: Command | None) -> None:
    assert parse(line) == cmd


@pytest.mark.parametrize("line", ["echo 'open", "ls |", "| wc", "a; b", "a && b", "echo >", "> /sys/x",
                                  "echo > > x", "cat < /proc/modules"])
def test_parse_errors(line: str) -> None:
    with pytest.raises(ShellSyntaxError):
        parse(line)


def test_commands_echoed_kernel_lines_then_tool_errors(sh: tuple[Shell, list[str]]) -> None:
    shell, out = sh
    shell.kernel.init_errors["livepatch_callbacks_busymod"] = Errno.ENODEV
    status = shell.run_line("insmod samples/livepatch/livepatch-callbacks-busymod.ko sleep_secs=5")
    assert status == 1
    assert out == [
        "% insmod samples/livepatch/livepatch-callbacks-busymod.ko sleep_secs=5",
        "[    0.000001] livepatch_callbacks_busymod: init failed",
        "insmod: ERROR: could not insert module samples/livepatch/livepatch-callbacks-busymod.ko: "
        "No such device",
    ]


def test_kernel_lines_appear_as_logged_during_sleep(sh: tuple[Shell, list[str]]) -> None:
    shell, out = sh
    shell.kernel.timers = [(5_000_000_000, "worker exit"), (2_000_000_000, "tick")]
    assert shell.run_script(["sleep 6", "# comment", "", "dmesg"]) == 0
    assert out == ["% sleep 6", "[    2.000000] tick", "[    5.000000] worker exit",
                   "% dmesg", "[    2.000000] tick", "[    5.000000] worker exit"]


def test_lines_logged_outside_commands_are_not_printed(sh: tuple[Shell, list[str]]) -> None:
    shell, out = sh
    shell.kernel.log("boot line")
    shell.run_line("sleep 1")
    shell.kernel.log("between commands")
    assert out == ["% sleep 1"]
    assert shell.kernel.printk.consoles == []


def test_no_echo_no_console_for_the_repl(tmp_path: Path) -> None:
    out: list[str] = []
    k = FakeKernel()
    shell = Shell(k, out.append, echo=False, console=False, cwd=tmp_path)  # type: ignore[arg-type]
    k.timers = [(1, "x")]
    shell.run_line("sleep 1")
    shell.run_line("echo hi")
    assert out == ["hi"]


def test_redirect_writes_to_kernel_fs(sh: tuple[Shell, list[str]]) -> None:
    shell, out = sh
    shell.run_line("insmod samples/livepatch/livepatch-callbacks-busymod.ko sleep_secs=5")
    out.clear()
    assert shell.run_line("echo 0 > /sys/module/livepatch_callbacks_busymod/parameters/sleep_secs") == 0
    assert out == ["% echo 0 > /sys/module/livepatch_callbacks_busymod/parameters/sleep_secs"]
    assert shell.kernel.fs.writes[-1] == (
        "/sys/module/livepatch_callbacks_busymod/parameters/sleep_secs", "0\n", "bash")
    shell.run_line("echo -n 7 > /sys/module/livepatch_callbacks_busymod/parameters/sleep_secs")
    assert shell.kernel.fs.writes[-1][1] == "7"
    shell.run_line("cat /proc/version > /sys/module/livepatch_callbacks_busymod/parameters/sleep_secs")
    assert shell.kernel.fs.writes[-1][2] == "cat"


@pytest.mark.parametrize("errno,setup,msg", [
    (Errno.EINVAL, "store", "bash: echo: write error: Invalid argument"),
    (Errno.ENODEV, "store", "bash: echo: write error: No such device"),
    (Errno.EBUSY, "store", "bash: echo: write error: Device or resource busy"),
    (Errno.EACCES, "mode", "bash: /proc/version: Permission denied"),
])
def test_redirect_errors(sh: tuple[Shell, list[str]], errno: Errno, setup: str, msg: str) -> None:
    shell, out = sh
    if setup == "store":
        shell.kernel.fs.store_errors["/proc/version"] = errno
    else:
        shell.kernel.fs.modes["/proc/version"] = 0o444
    assert shell.run_line("echo 1 > /proc/version") == 1
    assert out[1:] == [msg]


def test_redirect_to_missing_file(sh: tuple[Shell, list[str]]) -> None:
    shell, out = sh
    assert shell.run_line("echo 0 > /sys/kernel/livepatch/nope/enabled") == 1
    assert out[1:] == ["bash: /sys/kernel/livepatch/nope/enabled: No such file or directory"]


def test_redirect_of_another_tool_write_error(sh: tuple[Shell, list[str]]) -> None:
    shell, out = sh
    shell.kernel.fs.store_errors["/proc/version"] = Errno.EINVAL
    assert shell.run_line("cat /proc/version > /proc/version") == 1
    assert out[1:] == ["cat: write error: Invalid argument"]


def test_unterminated_output_is_a_line(sh: tuple[Shell, list[str]]) -> None:
    shell, out = sh
    shell.run_line("echo -n abc")
    shell.run_line("echo def")
    assert out == ["% echo -n abc", "abc", "% echo def", "def"]


def test_unknown_command_and_syntax_error(sh: tuple[Shell, list[str]]) -> None:
    shell, out = sh
    assert shell.run_line("frobnicate now") == 127
    assert shell.run_line("echo 'open") == 2
    assert shell.run_line("lsmod && head") == 2
    assert out[0:2] == ["% frobnicate now", "klpsh: frobnicate: command not found"]
    assert out[3] == "klpsh: no closing quotation"
    assert out[5].startswith("klpsh: unsupported operator `&&'")


def test_exit_stops_the_script(sh: tuple[Shell, list[str]]) -> None:
    shell, out = sh
    assert shell.run_script(["echo a", "exit 3", "echo b"]) == 3
    assert out == ["% echo a", "a", "% exit 3"]


def test_status_is_zero_despite_failures(sh: tuple[Shell, list[str]]) -> None:
    shell, _ = sh
    assert shell.run_script(["cat /nope", "rmmod nope", "bogus"]) == 0


def test_internal_errors_never_escape(sh: tuple[Shell, list[str]]) -> None:
    shell, out = sh
    load_tools()

    @tool("crash", "crash", "raise a Python error")
    def crash(ctx: ToolContext, args: list[str]) -> int:
        raise ValueError("boom")

    @tool("kerr", "kerr", "raise a stray KernelError")
    def kerr(ctx: ToolContext, args: list[str]) -> int:
        raise KernelError(Errno.EIO)

    try:
        assert shell.run_line("crash") == 1
        assert shell.run_line("kerr") == 1
        assert shell.run_line("echo still alive") == 0
    finally:
        del REGISTRY["crash"], REGISTRY["kerr"]
    assert out == ["% crash", "klpsh: internal error: ValueError: boom",
                   "% kerr", "kerr: Input/output error",
                   "% echo still alive", "still alive"]
    assert shell.kernel.printk.consoles == []


def test_console_printing_failure_is_contained(sh: tuple[Shell, list[str]]) -> None:
    shell, out = sh
    k = shell.kernel

    def bad_out(line: str) -> None:
        if line.startswith("["):
            raise OSError("console gone")
        out.append(line)

    shell.out = bad_out
    k.timers = [(1, "tick")]
    assert shell.run_line("sleep 1") == 1
    assert out[-1] == "klpsh: internal error: OSError: console gone"


@pytest.mark.skipif(not __import__("conftest").have_kernel(), reason="vmlinux.o or bundled modules not built")
def test_a_command_shows_the_console_and_terminal_only_while_it_runs(kernel, tmp_path) -> None:
    """_Showing: the shell's console printer and the command's stdout are on the machine's
    consoles and terminal writers while the command runs, and off again after it, even when
    the tool failed."""
    lines: list[str] = []
    sh = Shell(kernel, lines.append, cwd=tmp_path)
    consoles, writers = list(kernel.printk.consoles), list(kernel.terminal.writers)
    seen = []

    @tool("klpsh-test-show", "", "")
    def show(ctx: ToolContext, args: list[str]) -> int:
        seen.append((len(kernel.printk.consoles), len(kernel.terminal.writers)))
        kernel.log.info("klpsh-test-show: hello")
        raise RuntimeError("boom")

    try:
        sh.run_line("klpsh-test-show")
    finally:
        REGISTRY.pop("klpsh-test-show", None)
    assert seen == [(len(consoles) + 1, len(writers) + 1)]
    assert any(ln.endswith("klpsh-test-show: hello") for ln in lines)
    assert kernel.printk.consoles == consoles and kernel.terminal.writers == writers
