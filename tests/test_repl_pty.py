"""The REPL in a real pty (pexpect): the document's nine transcripts typed in, completion,
history, the live console in real-time mode, the toolbar, colour, Ctrl-C/Ctrl-D."""

from __future__ import annotations

import io
import os
import re
import sys
import time
from pathlib import Path

import pytest

from klpsh.transcript import CMD, parse, to_script
from conftest import ROOT, needs_kernel

pexpect = pytest.importorskip("pexpect")

KLPSH = [sys.executable, "-m", "klpsh"]
PROMPT = "<klpsh>% "
TRANSCRIPTS = sorted((ROOT / "transcripts").glob("callbacks-test-*.txt"))
TAINT = re.compile(r": tainting kernel with TAINT_LIVEPATCH$")
KERNEL_LINE = re.compile(r"^\[\s*\d+\.\d{6}\] (.*)$")
ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
SGR_COLOUR = re.compile(r"\x1b\[[0-9;]*(?:3[0-7]|38;5;\d+|9[0-7])[0-9;]*m")
TIMEOUT = 20

pytestmark = needs_kernel


class Session:
    """One klpsh process in a pty; everything it printed is kept in `log`."""

    def __init__(self, tmp: Path, *args: str, term: str = "dumb", **env: str) -> None:
        environ = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        environ.update(TERM=term, XDG_STATE_HOME=str(tmp / "state"), PYTHONPATH=str(ROOT), **env)
        self.log = io.StringIO()
        self.child = pexpect.spawn(KLPSH[0], KLPSH[1:] + ["--prompt", PROMPT, *args], env=environ,
                                   cwd=str(tmp), encoding="utf-8", timeout=TIMEOUT,
                                   dimensions=(40, 160))
        self.child.logfile_read = self.log
        self.mark = 0  # where in the log the last prompt ended

    def _read(self) -> None:
        try:
            self.child.read_nonblocking(4096, timeout=0.05)  # logged into self.log
        except pexpect.TIMEOUT:
            pass
        except pexpect.EOF:
            raise AssertionError(f"klpsh ended; the screen had:\n{self.text()[-2000:]}") from None

    def prompt(self, timeout: float = TIMEOUT) -> None:
        """Wait for the next prompt after the previous one."""
        start = time.monotonic()
        while (at := self.log.getvalue().find(PROMPT.rstrip(), self.mark)) < 0:
            if time.monotonic() - start > timeout:
                raise AssertionError(f"no prompt; the screen had:\n{self.text()[-2000:]}")
            self._read()
        self.mark = at + len(PROMPT.rstrip())

    def wait_for(self, pattern: str, timeout: float = TIMEOUT) -> float:
        """Read until the text shown since the last prompt (escapes removed) matches PATTERN;
        the seconds it took. Highlighting splits words with escapes, so raw expect can't."""
        regex = re.compile(pattern)
        start = time.monotonic()
        while not regex.search(ESCAPE.sub("", self.log.getvalue()[self.mark:]).replace("\r", "")):
            if time.monotonic() - start > timeout:
                raise AssertionError(f"{pattern!r} not shown; the screen had:\n{self.text()[-2000:]}")
            self._read()
        return time.monotonic() - start

    def run(self, line: str) -> None:
        """Wait for the prompt, then type LINE and Enter."""
        self.prompt()
        self.child.sendline(line)

    def finish(self, line: str = "exit") -> int:
        self.run(line)
        self.child.expect(pexpect.EOF)
        self.child.close()
        return self.child.exitstatus

    def text(self) -> str:
        """What the terminal showed, escape sequences removed."""
        return ESCAPE.sub("", self.log.getvalue()).replace("\r", "")

    def lines(self) -> list[str]:
        """Output lines that are not prompts (with what was typed) or the banner."""
        return [ln for ln in self.text().split("\n")
                if ln and not ln.startswith(PROMPT.rstrip()) and not ln.startswith("klpsh: simulated Linux")]


def _expected(path: Path) -> list[str]:
    """The transcript's kernel lines and tool output, without timestamps or the taint notice."""
    return [ln.text for ln in parse(path.read_text()) if ln.kind != CMD and not TAINT.search(ln.text)]


def _shown(lines: list[str]) -> list[str]:
    out = []
    for ln in lines:
        m = KERNEL_LINE.match(ln)
        text = m.group(1) if m else ln
        if not TAINT.search(text):
            out.append(text)
    return out


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=lambda p: p.stem)
def test_golden_transcript_typed_into_the_repl(path: Path, tmp_path: Path) -> None:
    """Each of callbacks.txt's nine tests, typed with `sleep` for the document's gaps, shows
    every line of the document, in order."""
    s = Session(tmp_path, "--clock", "virtual")
    for line in to_script(parse(path.read_text())):
        s.run(line)
    assert s.finish() == 0
    assert _shown(s.lines()) == _expected(path)
    assert "Traceback" not in s.text()


def test_dumb_terminal_gets_no_escape_sequences(tmp_path: Path) -> None:
    s = Session(tmp_path, "--clock", "virtual")
    s.run("insmod samples/livepatch/livepatch-callbacks-mod.ko")
    s.run("lsmod")
    assert s.finish() == 0
    raw = s.log.getvalue()
    assert "\x1b" not in raw
    assert "livepatch_callbacks_mod: livepatch_callbacks_mod_init" in raw


def test_exit_status_and_ctrl_d(tmp_path: Path) -> None:
    assert Session(tmp_path, "--clock", "virtual").finish("exit 3") == 3
    s = Session(tmp_path, "--clock", "virtual")
    s.prompt()
    time.sleep(0.2)
    s.child.sendeof()
    s.child.expect(pexpect.EOF)
    s.child.close()
    assert s.child.exitstatus == 0


def test_bad_input_gets_tool_wording_never_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "junk.ko").write_bytes(b"\x7fELF" + b"\x02\x01\x01" + b"\0" * 40)
    s = Session(tmp_path, "--clock", "virtual")
    for line in ("frobnicate", "echo 'unterminated", "insmod junk.ko", "insmod nothere.ko",
                 "echo 2 > /sys/kernel/livepatch/none/enabled", "cat /proc/nope", "rmmod ghost",
                 "insmod samples/livepatch/livepatch-callbacks-busymod.ko sleep_secs=x",
                 "echo still alive"):
        s.run(line)
    assert s.finish() == 0
    shown = s.lines()
    assert "klpsh: frobnicate: command not found" in shown
    assert "insmod: ERROR: could not insert module junk.ko: Invalid module format" in shown
    assert "insmod: ERROR: could not load module nothere.ko: No such file or directory" in shown
    assert "bash: /sys/kernel/livepatch/none/enabled: No such file or directory" in shown
    assert "cat: /proc/nope: No such file or directory" in shown
    assert "rmmod: ERROR: Module ghost is not currently loaded" in shown
    assert any("invalid for parameter `sleep_secs'" in ln for ln in shown)
    assert shown[-1] == "still alive"
    assert "Traceback" not in s.text() and "internal error" not in s.text()


# --- a full terminal (TERM=xterm) --------------------------------------------------------------
def _xterm(tmp: Path, *args: str, **env: str) -> Session:
    return Session(tmp, *args, term="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1", **env)


def _tab(s: Session, text: str) -> None:
    """Type TEXT and Tab, and give the completer a moment."""
    s.child.send(text)
    time.sleep(0.3)
    s.child.send("\t")
    time.sleep(0.5)


def test_tab_completes_module_files_parameters_and_loaded_modules(tmp_path: Path) -> None:
    s = _xterm(tmp_path, "--clock", "virtual")
    s.prompt()
    _tab(s, "insmod samples/livepatch/livepatch-callbacks-bu")
    _tab(s, " sleep")
    s.child.send("2\r")
    s.wait_for("busymod_work_func, sleeping 2 seconds")
    s.prompt()
    _tab(s, "cat /sys/module/livepatch_callbacks_bu")
    _tab(s, "par")
    _tab(s, "sl")
    s.child.send("\r")
    s.wait_for("\n2\n")
    s.prompt()
    _tab(s, "rmmod livepatch_callbacks_b")
    s.child.send("\r")
    s.wait_for("livepatch_callbacks_busymod: livepatch_callbacks_mod_exit")
    assert s.finish() == 0
    text = s.text()
    assert "insmod samples/livepatch/livepatch-callbacks-busymod.ko sleep_secs=2" in text
    assert "cat /sys/module/livepatch_callbacks_busymod/parameters/sleep_secs" in text
    assert "rmmod livepatch_callbacks_busymod" in text
    assert "busymod_work_func exit" in text  # rmmod waited for the worker: the module did load


def test_completion_menu_lists_commands_with_what_they_do(tmp_path: Path) -> None:
    s = _xterm(tmp_path, "--clock", "virtual")
    s.prompt()
    _tab(s, "m")
    s.wait_for("modinfo +show information about a kernel module")
    s.wait_for("modprobe +load \\(or with -r remove\\) a module by name")
    s.child.send("\x03")
    assert s.finish() == 0


def test_history_is_kept_across_sessions_and_searchable(tmp_path: Path) -> None:
    s = _xterm(tmp_path, "--clock", "virtual")
    s.run("echo first-session")
    assert s.finish() == 0
    history = (tmp_path / "state" / "klpsh" / "history").read_text()
    assert "+echo first-session" in history and "+exit" in history

    s = _xterm(tmp_path, "--clock", "virtual")
    s.prompt()
    s.child.send("\x1b[A\x1b[A")  # up, up: past `exit`, the previous session's last command
    time.sleep(0.3)
    s.child.send("\r")
    s.wait_for("first-session\n")
    s.prompt()
    s.child.send("\x12first-s")  # Ctrl-R
    time.sleep(0.4)
    s.child.send("\r")
    s.wait_for("first-session\n")
    assert s.finish() == 0
    assert s.lines().count("first-session") == 2


def test_pasted_lines_from_the_document_run_one_by_one(tmp_path: Path) -> None:
    s = _xterm(tmp_path, "--clock", "virtual")
    s.prompt()
    s.child.send("\x1b[200~ % echo one\r\n % echo two\x1b[201~")  # a bracketed paste
    time.sleep(0.3)
    s.child.send("\r")
    s.wait_for("one\ntwo\n")
    assert s.finish() == 0


def test_ctrl_c_drops_the_line_being_typed(tmp_path: Path) -> None:
    s = _xterm(tmp_path, "--clock", "virtual")
    s.prompt()
    s.child.send("echo never-run")
    time.sleep(0.3)
    s.child.send("\x03")
    s.run("echo ran")
    s.wait_for("ran\n")
    assert s.finish() == 0
    assert "never-run\n" not in s.text()


def test_live_console_in_real_time_does_not_garble_the_typed_line(tmp_path: Path) -> None:
    """A transition completes about a second after insmod while the user types; its lines show
    above the prompt and the half-typed command survives."""
    s = _xterm(tmp_path)  # a terminal: real time by default
    s.run("insmod samples/livepatch/livepatch-callbacks-demo.ko")
    s.wait_for("starting patching transition")
    s.prompt()
    started = time.monotonic()
    s.child.send("echo sur")
    s.wait_for("'livepatch_callbacks_demo': patching complete", timeout=5)
    waited = time.monotonic() - started
    s.child.send("vived\r")
    s.wait_for("survived\n")
    assert s.finish() == 0
    assert 0.3 < waited < 4.0
    lines = s.lines()
    assert lines.index("survived") > next(i for i, ln in enumerate(lines) if "patching complete" in ln)


def test_ctrl_c_ends_a_real_time_sleep(tmp_path: Path) -> None:
    s = _xterm(tmp_path, "--clock", "real")
    s.run("sleep 30")
    time.sleep(0.5)
    started = time.monotonic()
    s.child.sendintr()
    s.run("echo back")
    s.wait_for("back\n")
    assert time.monotonic() - started < 3
    assert s.finish() == 0


def test_toolbar_shows_uptime_and_the_stalled_transition(tmp_path: Path) -> None:
    """With a terminal that answers cursor-position requests, the toolbar names the task that
    holds the transition up and the function it sleeps in."""
    s = Session(tmp_path, "--clock", "virtual", term="xterm-256color")

    def answer_cpr() -> None:
        s.child.expect_exact("\x1b[6n")
        s.child.send("\x1b[10;1R")

    answer_cpr()
    s.child.expect(r"up 0\.0s virtual clock \| 0 modules")
    s.child.sendline("insmod samples/livepatch/livepatch-callbacks-busymod.ko sleep_secs=30")
    answer_cpr()
    s.child.sendline("insmod samples/livepatch/livepatch-callbacks-demo.ko")
    answer_cpr()
    s.child.expect(r"livepatch_callbacks_demo: patching \d+/\d+ tasks, waiting for kworker/\d+:\d+\[\d+\] "
                   r"in busymod_work_func")
    s.child.sendline("exit")
    s.child.expect(pexpect.EOF)


def test_colours_and_no_color(tmp_path: Path) -> None:
    s = _xterm(tmp_path, "--clock", "virtual")
    s.run("insmod samples/livepatch/livepatch-callbacks-mod.ko")
    assert s.finish() == 0
    assert SGR_COLOUR.search(s.log.getvalue())

    s = _xterm(tmp_path, "--clock", "virtual", NO_COLOR="1")
    s.run("insmod samples/livepatch/livepatch-callbacks-mod.ko")
    assert s.finish() == 0
    assert not SGR_COLOUR.search(s.log.getvalue())
    assert "livepatch_callbacks_mod: livepatch_callbacks_mod_init" in s.text()


def test_no_cursor_position_warning_without_cpr_answers(tmp_path: Path) -> None:
    """A pty that never answers CPR (plain pexpect, no env var): no warning, the REPL works."""
    s = Session(tmp_path, "--clock", "virtual", term="xterm-256color")
    s.prompt()
    time.sleep(2.5)  # prompt_toolkit gives up waiting for the answer after 2 s
    s.child.sendline("echo fine")
    s.wait_for("fine\n")
    assert s.finish() == 0
    assert "CPR" not in s.text() and "WARNING" not in s.text()
