"""The klpsh command: modes, options, exit codes; in-process on a fake kernel and as a subprocess."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fake_kernel import FakeKernel

from klpsh import cli

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def fake_boot(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Boot a FakeKernel instead of the real one; returns the clock modes asked for."""
    clocks: list[str] = []

    def boot(clock: str, kernel: str | None = None) -> FakeKernel:
        clocks.append(clock)
        return FakeKernel()

    monkeypatch.setattr(cli, "boot", boot)
    return clocks


class NotATty(io.StringIO):
    def isatty(self) -> bool:
        return False


# --- in process, fake kernel ------------------------------------------------------------------

def test_script_file(tmp_path: Path, fake_boot: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "s.klp"
    script.write_text("# a comment\necho hello\n\ncat /nope\n")
    assert cli.main([str(script)]) == 0
    assert capsys.readouterr().out == ("% echo hello\nhello\n% cat /nope\n"
                                       "cat: /nope: No such file or directory\n")
    assert fake_boot == ["virtual"]


def test_stdin_when_not_a_tty(fake_boot: list[str], monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", NotATty("echo a\nexit 4\necho b\n"))
    assert cli.main([]) == 4
    assert capsys.readouterr().out == "% echo a\na\n% exit 4\n"


def test_dash_reads_stdin_and_clock_option(fake_boot: list[str], monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", NotATty("echo x\n"))
    assert cli.main(["--clock", "real", "-"]) == 0
    assert capsys.readouterr().out == "% echo x\nx\n"
    assert fake_boot == ["real"]


def test_missing_script(tmp_path: Path, fake_boot: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([str(tmp_path / "nope")]) == 127
    assert capsys.readouterr().err == f"klpsh: {tmp_path / 'nope'}: No such file or directory\n"
    assert fake_boot == []


def test_bad_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--clock", "sundial"]) == 2
    assert "invalid choice: 'sundial'" in capsys.readouterr().err


def test_help_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "--clock" in out and "klpsh build" in out and "klpsh replay" in out


@pytest.mark.parametrize("argv", [[], ["first.klp"], ["samples/x y.klp"]])
def test_the_plain_forms_get_the_parsers_defaults(argv: list[str]) -> None:
    """`klpsh` and `klpsh SCRIPT` skip argparse (start-up); their options are what it gives."""
    assert vars(cli._options(argv)) == vars(cli._parser().parse_args(argv))


def test_boot_failure_is_one_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def boot(clock: str, kernel: str | None = None) -> None:
        raise FileNotFoundError("vmlinux.o")

    monkeypatch.setattr(cli, "boot", boot)
    monkeypatch.setattr(sys, "stdin", NotATty("echo a\n"))
    assert cli.main(["-"]) == 1
    assert capsys.readouterr().out == "klpsh: internal error: FileNotFoundError: vmlinux.o\n"


def test_repl_on_a_tty_falls_back_to_batch_without_repl(fake_boot: list[str], monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Tty("echo t\n"))
    monkeypatch.setattr(cli, "_optional_module", lambda name: None)
    assert cli.main([]) == 0
    assert capsys.readouterr().out == "% echo t\nt\n"


def test_repl_is_started_on_a_tty(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, str] = {}

    class FakeRepl:
        @staticmethod
        def run(clock: str, prompt: str, kernel: str) -> int:
            seen.update(clock=clock, prompt=prompt, kernel=kernel)
            return 0

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Tty(""))
    monkeypatch.setattr(cli, "_optional_module", lambda name: FakeRepl if name == "klpsh.repl" else None)
    assert cli.main(["--prompt", "klpsh> "]) == 0
    assert seen == {"clock": "real", "prompt": "klpsh> ", "kernel": "4.19"}
    assert cli.main(["--kernel", "5.4"]) == 0
    assert seen["kernel"] == "5.4"


def test_subcommands_delegate(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, list[str]]] = []

    class Mod:
        def __init__(self, name: str) -> None:
            self.name = name

        def main(self, argv: list[str]) -> int:
            calls.append((self.name, argv))
            return 3

    monkeypatch.setattr(cli, "_optional_module", Mod)
    assert cli.main(["build", "a.c", "-o", "out"]) == 3
    assert cli.main(["replay", "t1.txt", "t2.txt"]) == 3
    assert calls == [("kernel.kbuild", ["a.c", "-o", "out"]), ("klpsh.transcript", ["t1.txt", "t2.txt"])]


def test_missing_subcommand_module(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cli, "_optional_module", lambda name: None)
    assert cli.main(["replay", "x"]) == 2
    assert capsys.readouterr().err == "klpsh: replay: not available in this version\n"


def test_closed_pipe_is_quiet(fake_boot: list[str]) -> None:
    class Closed(io.StringIO):
        def write(self, s: str) -> int:
            raise BrokenPipeError

    assert cli.run_batch(["echo a", "echo b"], stream=Closed()) == 0


# --- subprocess, real kernel ------------------------------------------------------------------

def _klpsh(*args: str, stdin: str = "", cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run([sys.executable, "-m", "klpsh", *args], input=stdin, capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=120)


def test_subprocess_script_and_stdin(tmp_path: Path) -> None:
    script = tmp_path / "s.klp"
    script.write_text("echo hello\nls /sys/module/nope\n")
    by_file = _klpsh(str(script), cwd=tmp_path)
    by_stdin = _klpsh(stdin=script.read_text(), cwd=tmp_path)
    expected = ("% echo hello\nhello\n% ls /sys/module/nope\n"
                "ls: cannot access '/sys/module/nope': No such file or directory\n")
    for proc in (by_file, by_stdin):
        assert (proc.returncode, proc.stdout, proc.stderr) == (0, expected, "")


def test_subprocess_exit_status(tmp_path: Path) -> None:
    assert _klpsh("-", stdin="exit 7\necho not reached\n").returncode == 7
    assert _klpsh("-", stdin="rmmod nope\n").returncode == 0
    assert _klpsh(str(tmp_path / "nope.klp")).returncode == 127


def test_subprocess_bad_input_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "junk.ko").write_bytes(b"\x7fELF" + bytes(range(256)) * 4)
    (tmp_path / "empty.ko").write_bytes(b"")
    bad = "\n".join([
        "insmod junk.ko", "insmod empty.ko", "insmod nothere.ko", "insmod", "rmmod", "rmmod -Z x",
        "modprobe", "modprobe nosuch", "echo 'unterminated", "echo 1 > /sys/nope", "cat /proc",
        "cat /sys/module/../../etc/passwd", "ls /nonexistent", "sleep -5", "sleep abc", "dmesg -Q",
        "frobnicate", "lsmod extra", "echo \x00\x01\x02", "| |", "> >", "exit zz",
    ]) + "\n"
    proc = _klpsh("-", stdin=bad, cwd=tmp_path)
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "internal error" not in proc.stdout
    assert proc.returncode == 2  # from `exit zz`
    assert "insmod: ERROR: could not insert module junk.ko: Invalid module format" in proc.stdout
    assert "insmod: ERROR: could not insert module empty.ko: Invalid module format" in proc.stdout


def test_batch_does_not_import_prompt_toolkit(tmp_path: Path) -> None:
    code = ("import sys, io; sys.stdin = io.StringIO('echo hi\\n'); from klpsh import cli; "
            "rc = cli.main(['-']); assert 'prompt_toolkit' not in sys.modules, 'imported'; sys.exit(rc)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert proc.returncode == 0, proc.stderr


def _python(code: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=60)


def test_leave_now_flushes_and_runs_atexit_handlers() -> None:
    """The command's fast exit keeps what a normal exit does for the user: buffered output
    written, atexit handlers run, the status; finalizers of objects are what it skips."""
    proc = _python("import atexit, sys\n"
                   "from klpsh.cli import leave_now\n"
                   "atexit.register(lambda: print('atexit ran'))\n"
                   "class Noisy:\n"
                   "    def __del__(self): print('finalized')\n"
                   "keep = Noisy()\n"
                   "sys.stdout.write('x' * 100000)\n"
                   "sys.stderr.write('err')\n"
                   "leave_now(3)\n"
                   "print('not reached')\n")
    assert proc.returncode == 3
    assert proc.stdout == "x" * 100000 + "atexit ran\n"
    assert proc.stderr == "err"


def test_leave_now_leaves_the_usual_exit_to_a_process_with_threads() -> None:
    proc = _python("import threading, time\n"
                   "from klpsh.cli import leave_now\n"
                   "ev = threading.Event()\n"
                   "t = threading.Thread(target=lambda: (ev.wait(), print('thread done')))\n"
                   "t.start()\n"
                   "status = leave_now(4)\n"
                   "print('returned', status)\n"
                   "ev.set(); t.join()\n")
    assert (proc.returncode, proc.stdout) == (0, "returned 4\nthread done\n")
