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
from conftest import ROOT, needs_kernel, wait_until_cooked

pexpect = pytest.importorskip("pexpect")

KLPSH = [sys.executable, "-m", "klpsh"]
PROMPT = "<klpsh>% "
TRANSCRIPTS = sorted((ROOT / "transcripts").glob("callbacks-test-*.txt"))
TAINT = re.compile(r": tainting kernel with TAINT_LIVEPATCH$")
KERNEL_LINE = re.compile(r"^\[\s*\d+\.\d{6}\] (.*)$")
ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
SGR_COLOUR = re.compile(r"\x1b\[[0-9;]*(?:3[0-7]|38;5;\d+|9[0-7])[0-9;]*m")
TIMEOUT = 30   # generous: a busy 2-core machine; every wait is for what it needs

pytestmark = needs_kernel


class Session:
    """One klpsh process in a pty; everything it printed is kept in `log`."""

    def __init__(self, tmp: Path, *args: str, term: str = "dumb", **env: str) -> None:
        environ = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        environ.update(TERM=term, XDG_STATE_HOME=str(tmp / "state"), PYTHONPATH=str(ROOT), **env)
        self.log = io.StringIO()
        self.child = pexpect.spawn(KLPSH[0], KLPSH[1:] + ["--prompt", PROMPT, *args], env=environ,
                                   cwd=str(tmp), encoding="utf-8", codec_errors="replace", timeout=TIMEOUT,
                                   dimensions=(40, 160))
        self.child.logfile_read = self.log
        self.mark = 0          # where (in text()) the last prompt waited for ended
        self.seen = 0          # where the last output waited for (wait_for) ended
        self.typed: str | None = None   # the line run() typed at that prompt

    def _read(self) -> None:
        try:
            self.child.read_nonblocking(4096, timeout=0.05)  # logged into self.log
        except pexpect.TIMEOUT:
            pass
        except pexpect.EOF:
            raise AssertionError(f"klpsh ended; the screen had:\n{self.text()[-2000:]}") from None

    def _at_prompt(self) -> bool:
        """The prompt reads the terminal: raw mode (no ISIG), as only a prompt sets it."""
        import termios
        return not termios.tcgetattr(self.child.child_fd)[3] & termios.ISIG

    def prompt(self, timeout: float = TIMEOUT) -> None:
        """Wait until the REPL waits at its next prompt: the line run() typed was taken (it
        shows after the prompt, then a newline), and a prompt is the last thing on the screen
        while the terminal is in the prompt's raw mode. (The prompt's line is drawn again each
        time it changes, so a prompt on the screen alone does not say a new one is up.)"""
        start = time.monotonic()
        prompt = PROMPT.rstrip()
        while True:
            text = self.text()
            lo = max(self.mark, self.seen)
            if self.typed is not None:
                at = text.find(f"{prompt} {self.typed}\n", max(lo - len(prompt), 0))
                if at >= 0:
                    self.mark = lo = at + len(prompt) + len(self.typed) + 2
                    self.typed = None
            if self.typed is None:
                at = text.rfind(prompt, lo)
                if at >= 0 and not text[at + len(prompt):].strip() and self._at_prompt():
                    self.mark = at + len(prompt)
                    return
            if time.monotonic() - start > timeout:
                raise AssertionError(f"no prompt; the screen had:\n{text[-2000:]}")
            self._read()

    def wait_for(self, pattern: str, timeout: float = TIMEOUT) -> float:
        """Read until the text shown since the last prompt (escapes removed) matches PATTERN;
        the seconds it took. Highlighting splits words with escapes, so raw expect can't."""
        regex = re.compile(pattern)
        start = time.monotonic()
        while not (m := regex.search(self.text(), self.mark)):
            if time.monotonic() - start > timeout:
                raise AssertionError(f"{pattern!r} not shown; the screen had:\n{self.text()[-2000:]}")
            self._read()
        self.seen = max(self.seen, m.end())
        self.typed = None     # output came: the line typed was taken before it
        return time.monotonic() - start

    def run(self, line: str) -> None:
        """Wait for the prompt, then type LINE and Enter."""
        self.prompt()
        self.child.sendline(line)
        self.typed = line

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


def _tab(s: Session, text: str, completed: str = "") -> None:
    """Type TEXT and Tab; wait until the screen shows COMPLETED (what the completion adds), as
    a key typed before the completion is in would make prompt_toolkit drop it."""
    s.child.send(text + "\t")
    if completed:
        s.wait_for(re.escape(completed))


def test_tab_completes_module_files_parameters_and_loaded_modules(tmp_path: Path) -> None:
    s = _xterm(tmp_path, "--clock", "virtual")
    s.prompt()
    _tab(s, "insmod samples/livepatch/livepatch-callbacks-bu", "symod.ko")
    _tab(s, " sleep", "_secs=")
    s.child.send("2\r")
    s.wait_for("busymod_work_func, sleeping 2 seconds")
    s.prompt()
    _tab(s, "cat /sys/module/livepatch_callbacks_bu", "symod/")
    _tab(s, "par", "ameters/")
    _tab(s, "sl", "eep_secs")
    s.child.send("\r")
    s.wait_for("\n2\n")
    s.prompt()
    _tab(s, "rmmod livepatch_callbacks_b", "usymod")
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
    s.wait_for("echo first-session")   # history is loaded in the background: wait for it
    s.child.send("\r")
    s.wait_for("first-session\n")
    s.prompt()
    s.child.send("\x12first-s\r")  # Ctrl-R, then Enter runs what it found
    s.wait_for("first-session\n")
    assert s.finish() == 0
    assert s.lines().count("first-session") == 2


def test_pasted_lines_from_the_document_run_one_by_one(tmp_path: Path) -> None:
    s = _xterm(tmp_path, "--clock", "virtual")
    s.prompt()
    s.child.send("\x1b[200~ % echo one\r\n % echo two\x1b[201~\r")  # a bracketed paste, Enter
    s.wait_for("one\ntwo\n")
    assert s.finish() == 0


def test_ctrl_c_drops_the_line_being_typed(tmp_path: Path) -> None:
    s = _xterm(tmp_path, "--clock", "virtual")
    s.prompt()
    s.child.send("echo never-run\x03")
    s.run("echo ran")
    s.wait_for("ran\n")
    assert s.finish() == 0
    assert "never-run\n" not in s.text()


def test_live_console_in_real_time_does_not_garble_the_typed_line(tmp_path: Path) -> None:
    """A transition completes while the user types (it waits for busymod's worker, asleep for
    two seconds); its lines show above the prompt and the half-typed command survives."""
    s = _xterm(tmp_path)  # a terminal: real time by default
    s.run("insmod samples/livepatch/livepatch-callbacks-busymod.ko sleep_secs=2")
    s.run("insmod samples/livepatch/livepatch-callbacks-demo.ko")
    s.wait_for("starting patching transition")
    s.prompt()
    s.child.send("echo sur")
    s.wait_for("echo sur")
    typed = s.seen
    s.wait_for("'livepatch_callbacks_demo': patching complete")
    done = s.seen
    assert typed < done, "the transition was over before the line was typed"
    s.child.send("vived\r")
    s.wait_for("survived\n")
    assert s.finish() == 0
    lines = s.lines()
    assert lines.index("survived") > next(i for i, ln in enumerate(lines) if "patching complete" in ln)


def test_ctrl_c_ends_a_real_time_sleep(tmp_path: Path) -> None:
    s = _xterm(tmp_path, "--clock", "real")
    s.run("sleep 30")
    wait_until_cooked(s.child.child_fd)
    started = time.monotonic()
    s.child.sendintr()
    s.run("echo back")
    s.wait_for("back\n")
    assert time.monotonic() - started < 15      # the 30 s sleep was cut short
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
    """A pty that never answers CPR (plain pexpect, no env var): no warning, the REPL works.

    prompt_toolkit gives up on the answer when a prompt has waited 2 s for it (its timer runs
    only while the prompt is up), and from then on asks no more; the warning would come then.
    A prompt that asks again shows the timer had not run yet (a loaded machine): wait again."""
    s = Session(tmp_path, "--clock", "virtual", term="xterm-256color")
    s.prompt()
    for attempt in range(10):
        time.sleep(2.5)  # prompt_toolkit's own timer (Renderer.CPR_TIMEOUT, 2 s)
        s.child.sendline(f"echo fine-{attempt}")
        s.wait_for(f"fine-{attempt}\n")
        s.prompt()
        raw = s.log.getvalue()
        if "\x1b[6n" not in raw[raw.rfind(f"fine-{attempt}\r"):]:   # the new prompt asked nothing
            break
    else:
        raise AssertionError("prompt_toolkit never gave up asking for the cursor position")
    s.child.sendline("exit")
    s.child.expect(pexpect.EOF)
    s.child.close()
    assert s.child.exitstatus == 0
    assert "CPR" not in s.text() and "WARNING" not in s.text()


@pytest.mark.parametrize("term", ["dumb", "xterm-256color"])
def test_the_terminal_does_not_echo_once_the_prompt_shows(tmp_path: Path, term: str) -> None:
    """A line typed the moment the prompt appears is echoed once, by the prompt: the terminal's
    own echo is already off (else, on a loaded machine, the typed line showed up a second time
    as a line of output among the kernel lines)."""
    import termios
    s = Session(tmp_path, "--clock", "virtual", term=term, PROMPT_TOOLKIT_NO_CPR="1")
    for _ in range(3):
        s.prompt()
        assert not termios.tcgetattr(s.child.child_fd)[3] & termios.ECHO
        s.child.sendline("echo typed-once")
    assert s.finish() == 0
    assert s.lines().count("typed-once") == 3
    assert "echo typed-once" not in s.lines()


MOUSE_LOOKALIKES = ("\x1b[0m", "\x1b[;m", "\x1b[1;2;3;4M", "\x1b[<1;2m", "\x1b[Mabc", "\x1b[M\x7f\x7f\x7f",
                    "\x1b[99;99R", "\x1b[<0;3;3M")


def test_escape_sequences_that_look_like_mouse_reports(tmp_path: Path) -> None:
    """prompt_toolkit takes `ESC [ 0 m` (and any `ESC [ digits;... m/M`) for a mouse report and
    its handler failed on it ("Unhandled exception in event loop"); now only well-formed
    reports reach it and the rest is dropped."""
    s = _xterm(tmp_path, "--clock", "virtual")
    for i, keys in enumerate(MOUSE_LOOKALIKES):
        s.prompt()
        s.child.send(keys)
        s.child.sendline(f"echo after-{i}")
        s.wait_for(f"after-{i}\n")
    assert s.finish() == 0
    assert "Unhandled exception" not in s.text() and "Press ENTER" not in s.text()


def test_random_bytes_typed_into_the_repl(tmp_path: Path) -> None:
    """Whatever bytes a terminal sends: the REPL keeps running and never shows a traceback."""
    import random
    rng = random.Random(9)
    alphabet = [bytes([b]) for b in range(1, 256) if b not in (3, 4, 0x1A, 0x1C)] + \
        [b"\x1b[", b"\x1bO", b"\x1b[<", b"\x1b[M", b"0", b"1;", b";", b"m", b"M", b"~", b"R",
         b"\x1b[200~", b"\x1b[201~"]
    s = _xterm(tmp_path, "--clock", "virtual")
    s.prompt()
    for i in range(6):
        junk = b"".join(rng.choice(alphabet) for _ in range(40))
        os.write(s.child.child_fd, junk + b"\x1b[201~\x03")   # end any paste; Ctrl-C drops the line
        s.child.sendline(f"echo alive-{i}")
        s.wait_for(f"alive-{i}\n")
    assert s.finish() == 0
    text = s.text()
    assert "Unhandled exception" not in text and "Traceback" not in text and "internal error" not in text
