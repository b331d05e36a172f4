"""The REPL in-process: the session loop, the live console, Ctrl-C handling, the toolbar, the
real-time clock, history and terminal detection. (tests/test_repl_pty.py drives it in a pty.)"""

from __future__ import annotations

import asyncio
import io
import os
import signal
import threading
from pathlib import Path

import pytest
from conftest import S, needs_kernel

MS = S // 1000
from prompt_toolkit.history import FileHistory, InMemoryHistory
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from kernel.time import WallClockPacer
from klpsh import repl as repl_mod
from klpsh.repl import Repl, Terminal, history_path
from klpsh.shell import Shell
from klpsh.toolbar import status_line, toolbar_fragments

pytestmark = needs_kernel
DEMO = "samples/livepatch/livepatch-callbacks-demo.ko"
BUSY = "samples/livepatch/livepatch-callbacks-busymod.ko"


def _repl(kernel, **kw) -> tuple[Repl, io.StringIO]:
    out = io.StringIO()
    r = Repl(kernel, input=kw.pop("input", None), output=DummyOutput(), stdout=out,
             history=InMemoryHistory(), env={"NO_COLOR": "1"}, **kw)
    return r, out


def _session(kernel, text: str, close: bool = False) -> tuple[int, list[str]]:
    with create_pipe_input() as inp:
        inp.send_text(text)
        if close:
            inp.close()
        r, out = _repl(kernel, input=inp)
        status = r.run()
    return status, out.getvalue().splitlines()


def test_commands_run_and_their_lines_print_in_order(kernel) -> None:
    status, lines = _session(kernel, "insmod samples/livepatch/livepatch-callbacks-mod.ko\n"
                                     "lsmod\nnosuchtool\nexit 4\n")
    assert status == 4
    assert lines[0] == "klpsh: simulated Linux 4.19.0-klpsh, virtual clock; `help` lists the commands, Ctrl-D leaves."
    assert lines[1] == "[    0.001060] livepatch_callbacks_mod: livepatch_callbacks_mod_init"  # its load's cost
    assert lines[2].startswith("Module ") and lines[3].startswith("livepatch_callbacks_mod ")
    assert lines[4] == "klpsh: nosuchtool: command not found"
    assert not any(ln.startswith("% ") for ln in lines)  # what was typed is not echoed again


def test_end_of_input_leaves_with_status_0(kernel) -> None:
    status, lines = _session(kernel, "echo bye\n", close=True)
    assert status == 0 and lines[-1] == "bye"


def test_kernel_lines_logged_while_prompting_wait_for_the_loop(kernel) -> None:
    """A line logged (from any thread) while the prompt is up is queued, then printed by the
    event loop above the prompt: nothing writes into the line being edited."""
    r, out = _repl(kernel)
    loop = asyncio.new_event_loop()
    try:
        r.prompting = loop
        t = threading.Thread(target=lambda: kernel.printk.log(6, "from a task thread"))
        t.start()
        t.join()
        assert out.getvalue() == ""
        loop.run_until_complete(asyncio.sleep(0.05))
        assert out.getvalue().splitlines() == ["[    0.000000] from a task thread"]
    finally:
        r.prompting = None
        loop.close()


def test_ctrl_c_during_a_command_only_raises_the_flag(kernel) -> None:
    r, _ = _repl(kernel)
    before = signal.getsignal(signal.SIGINT)
    with r._ctrl_c_flags():
        os.kill(os.getpid(), signal.SIGINT)
        assert r._interrupted
    assert signal.getsignal(signal.SIGINT) is before


def _fake_wall(kernel) -> list[float]:
    """Give a real-time machine a wall clock the test moves; returns [now]."""
    wall = [0.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        wall[0] += s
    kernel.clock.pacer = WallClockPacer(kernel.clock.now, monotonic=lambda: wall[0], sleep=sleep)
    wall.append(slept)  # type: ignore[arg-type]
    return wall


def test_real_time_machine_follows_the_wall_clock(kernel) -> None:
    wall = _fake_wall(kernel)
    out: list[str] = []
    Shell(kernel, out.append, echo=False).run_line(f"insmod {DEMO}")
    assert "livepatch: 'livepatch_callbacks_demo': starting patching transition" in kernel.lines
    assert 0 < kernel.clock.now < 10 * MS   # its work took machine time, the wall's pace
    waited = len(wall[1])
    kernel.catch_up()  # the wall clock has not moved: neither does the machine
    assert "livepatch: 'livepatch_callbacks_demo': patching complete" not in kernel.lines
    wall[0] += 2.0
    kernel.catch_up()
    assert kernel.lines[-1] == "livepatch: 'livepatch_callbacks_demo': patching complete"
    assert kernel.clock.now == kernel.clock.pacer.wall_now() > 2 * S
    assert len(wall[1]) == waited  # catching up never waits


def test_real_time_sleep_waits_on_the_wall_and_ctrl_c_ends_it(kernel) -> None:
    wall = _fake_wall(kernel)
    out: list[str] = []
    Shell(kernel, out.append, echo=False).run_line("sleep 1.5")
    assert kernel.clock.now == 3 * S // 2 and abs(wall[0] - 1.5) < 1e-6
    checks = iter([False, False, True])
    sh = Shell(kernel, out.append, echo=False, interrupted=lambda: next(checks, True))
    assert sh.run_line("sleep 10") == 130
    assert kernel.clock.now < 2 * S


def test_toolbar_names_what_holds_a_transition(kernel) -> None:
    sh = Shell(kernel, lambda _: None, echo=False)
    assert status_line(kernel) == (" up 0.0s virtual clock | 0 modules | taint none ", None)
    sh.run_line(f"insmod {BUSY} sleep_secs=30")
    sh.run_line(f"insmod {DEMO}")
    sh.run_line("sleep 2")
    summary, transition = status_line(kernel)
    assert summary == " up 2.0s virtual clock | 2 modules | taint K "
    worker = next(t for t in kernel.ps() if t.patch_state == 0 and t.comm.startswith("kworker"))
    total = len(kernel.ps()) - 1 + len(kernel.sched.idle)  # ps shows one idle task of two
    assert transition == (f" livepatch_callbacks_demo: patching {total - 1}/{total} tasks, "
                          f"waiting for {worker.comm}[{worker.pid}] in busymod_work_func ")
    frags = toolbar_fragments(kernel)
    assert frags[0] == ("class:bottom-toolbar.busy", transition)
    sh.run_line("echo 1 > /sys/kernel/livepatch/livepatch_callbacks_demo/force")
    sh.run_line("sleep 2")
    assert status_line(kernel)[1] is None


def test_transition_status_agrees_with_proc_patch_state(kernel) -> None:
    from kernel.livepatch.transition import klp_transition_status
    sh = Shell(kernel, lambda _: None, echo=False)
    assert klp_transition_status(kernel.livepatch) is None
    sh.run_line(f"insmod {BUSY} sleep_secs=30")
    sh.run_line(f"insmod {DEMO}")
    status = klp_transition_status(kernel.livepatch)
    assert status is not None and status.target == "patching"
    states = {t.pid: kernel.fs.read(f"/proc/{t.pid}/patch_state").strip() for t in kernel.sched.all_tasks()}
    unswitched = {t.pid for t, _ in status.blockers if t.pid}
    assert unswitched == {pid for pid, st in states.items() if st == "0"}
    assert status.switched + len(status.blockers) == status.total


def test_history_lives_in_the_state_directory(tmp_path: Path) -> None:
    assert history_path({"XDG_STATE_HOME": str(tmp_path)}) == tmp_path / "klpsh" / "history"
    assert history_path({"HOME": "/h"}).parts[-3:] == ("state", "klpsh", "history")
    assert isinstance(repl_mod._history({"XDG_STATE_HOME": str(tmp_path)}), FileHistory)
    blocked = tmp_path / "file"
    blocked.write_text("")
    assert isinstance(repl_mod._history({"XDG_STATE_HOME": str(blocked)}), InMemoryHistory)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("env,stream,dumb,color", [
    ({"TERM": "xterm-256color"}, _Tty(), False, True),
    ({"TERM": "xterm", "NO_COLOR": "1"}, _Tty(), False, False),
    ({"TERM": "xterm", "NO_COLOR": ""}, _Tty(), False, True),
    ({"TERM": "dumb"}, _Tty(), True, False),
    ({"TERM": "xterm"}, io.StringIO(), True, False),
])
def test_terminal_detection(env: dict, stream: io.StringIO, dumb: bool, color: bool) -> None:
    assert Terminal.detect(env, stream) == Terminal(dumb=dumb, color=color)


def test_colour_console_lines_carry_their_printk_level(kernel) -> None:
    r, _ = _repl(kernel)
    frags = r.console._fragments("[    1.000000] livepatch: failed to enable patch 'x'", 4, True)
    # one fragment: colour never splits the line, so a plain expect() of its text matches
    assert frags == [("class:level.warn", "[    1.000000] livepatch: failed to enable patch 'x'")]
    plain = r.console._fragments("insmod: ERROR: could not insert module x.ko: No such device", None, False)
    assert plain == [("class:output.error", "insmod: ERROR: could not insert module x.ko: No such device")]
    assert r.console._fragments("ok", None, False) == [("", "ok")]


def test_run_boots_a_machine_with_the_clock_and_prompt_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = {}

    class FakeRepl:
        def __init__(self, kernel, prompt: str) -> None:
            seen.update(prompt=prompt, clock=kernel.clock_mode, paced=kernel.clock.pacer is not None)

        def run(self) -> int:
            return 7
    monkeypatch.setattr(repl_mod, "Repl", FakeRepl)
    assert repl_mod.run(clock="real", prompt="$ ") == 7
    assert seen == {"prompt": "$ ", "clock": "real", "paced": True}


def test_boot_failure_is_one_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from klpsh import cli

    def boot(clock: str, kernel: str | None = None) -> None:
        raise OSError("no vmlinux")
    monkeypatch.setattr(cli, "boot", boot)
    assert repl_mod.run() == 1
    assert capsys.readouterr().err == "klpsh: internal error: OSError: no vmlinux\n"


def test_a_paste_of_several_lines_runs_each_and_drops_the_documents_prompt(kernel) -> None:
    r, out = _repl(kernel)
    status = r.execute(" % insmod samples/livepatch/livepatch-callbacks-mod.ko\n"
                       "% echo 0 > /sys/kernel/livepatch/none/enabled\nexit 5\necho not run")
    assert status == 5 and r.shell.exit_status == 5
    assert out.getvalue().splitlines() == [
        "[    0.001060] livepatch_callbacks_mod: livepatch_callbacks_mod_init",
        "bash: /sys/kernel/livepatch/none/enabled: No such file or directory"]
