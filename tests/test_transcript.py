"""Transcripts: the parser, `klpsh replay` over the document's nine test cases, and the round trip."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from kernel.cost import COST_NS
from klpsh import transcript
from klpsh.transcript import CMD, KERNEL, MS, OUTPUT, US, Line, parse

ROOT = Path(__file__).resolve().parent.parent
TRANSCRIPTS = ROOT / "transcripts"
NEEDED = (ROOT / "modules" / "livepatch-callbacks-demo.ko", ROOT / "kernel" / "vmlinux" / "vmlinux.o")
have_modules = pytest.mark.skipif(not all(p.exists() for p in NEEDED),
                                  reason="needs modules/livepatch-callbacks-demo.ko and vmlinux.o")
have_vmlinux = pytest.mark.skipif(not NEEDED[1].exists(), reason="needs kernel/vmlinux/vmlinux.o")

SAMPLE = """\
# Source: somewhere
 % insmod samples/livepatch/livepatch-callbacks-mod.ko
 [ 34.475708] livepatch_callbacks_mod: livepatch_callbacks_mod_init

% echo 0 > /sys/kernel/livepatch/x/enabled
[   38.5] livepatch: 'x': initializing unpatching transition
[12345.000001]no-space
bash: echo: write error: Invalid argument
  # an indented comment
%rmmod x
"""


def test_parse_kinds_and_text() -> None:
    lines = parse(SAMPLE)
    assert [ln.kind for ln in lines] == [CMD, KERNEL, CMD, KERNEL, KERNEL, OUTPUT, CMD]
    assert lines[0].text == "insmod samples/livepatch/livepatch-callbacks-mod.ko"
    assert lines[1] == Line(KERNEL, "livepatch_callbacks_mod: livepatch_callbacks_mod_init",
                            34_475_708_000, 3)
    assert lines[2].text == "echo 0 > /sys/kernel/livepatch/x/enabled"
    assert lines[3].ts_ns == 38_500_000_000
    assert lines[4].text == "no-space" and lines[4].ts_ns == 12345_000_001_000
    assert lines[5].text == "bash: echo: write error: Invalid argument"
    assert lines[6].text == "rmmod x"


def test_parse_keys_ignore_timestamps_and_kind() -> None:
    a = parse(" [ 82.765809] insmod: ERROR: could not insert module x.ko: No such device")[0]
    b = parse("insmod: ERROR: could not insert module x.ko: No such device")[0]
    assert a.kind == KERNEL and b.kind == OUTPUT and a.key() == b.key()
    assert parse("% ls")[0].key() == "% ls"


def test_parse_accepts_iterables_and_blank() -> None:
    assert parse(["", "   ", "# x"]) == []
    assert parse(["% a\n", "out\r\n"]) == [Line(CMD, "a", None, 1), Line(OUTPUT, "out", None, 2)]


def test_planned_times() -> None:
    _pre, blocks = transcript._blocks(parse(
        "% a\n% b\n[ 2.000000] x\n[ 3.000000] y\n% c\n% d\n[ 5.5] z\n"))
    # a command is typed its lead() before its first line: what the cost model says it takes
    syscall = COST_NS["syscall"]
    assert transcript._planned_times(blocks) == [None, 2_000 * MS - syscall, 3_000 * MS + US,
                                                 5_500 * MS - syscall]
    # sleep is issued after the previous output: its lines were logged while it waited.
    _pre, blocks = transcript._blocks(parse("% a\n[ 1.0] x\n% sleep 2\n[ 2.5] y\n% b\n[ 3.0] z\n"))
    assert transcript._planned_times(blocks) == [1_000 * MS - syscall, 1_000 * MS + US,
                                                 3_000 * MS - syscall]


def test_lead_of_a_module_load() -> None:
    """insmod reaches its init after load_module() and its sysfs, a livepatch's line about
    the loading module before the sysfs; echo and rmmod after one system call."""
    c = COST_NS
    init = parse(" % insmod m.ko\n [ 1.0] m: init\n")
    coming = parse(" % insmod m.ko\n [ 1.0] livepatch: applying patch 'p' to loading module 'm'\n")
    assert transcript.lead("insmod m.ko", init[1:]) == \
        c["syscall"] + c["load_module"] + c["mod_sysfs_setup"] + c["guest_call"]
    assert transcript.lead("modprobe m", coming[1:]) == c["syscall"] + c["load_module"]
    assert transcript.lead("echo 1 > f", []) == c["syscall"]
    assert transcript.lead("rmmod m", init[1:]) == c["syscall"] + c["guest_call"]   # its exit


def test_taint_line_ignored() -> None:
    lines = parse("% insmod x\n[ 1.0] x: tainting kernel with TAINT_LIVEPATCH\n[ 1.1] hi\n")
    assert [ln.text for ln in transcript._relevant(lines)] == ["insmod x", "hi"]


def test_missing_and_empty_files(tmp_path: Path) -> None:
    out = io.StringIO()
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n")
    assert transcript.replay([str(tmp_path / "nope.txt"), str(empty)], out) == 1
    text = out.getvalue()
    assert "Traceback" not in text
    assert f"FAIL {tmp_path / 'nope.txt'}" in text and f"FAIL {empty}" in text
    assert "No such file or directory" in text


@have_vmlinux
def test_garbled_file_fails_with_diff(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"% echo hi\n\xff\xfe garbage\n")
    out = io.StringIO()
    assert transcript.replay([str(bad)], out) == 1
    text = out.getvalue()
    assert text.splitlines() == [f"FAIL {bad}", "  line 2: expected: \ufffd\ufffd garbage",
                                 "          got:      hi"]
    assert "Traceback" not in text


@have_vmlinux
def test_round_trip(tmp_path: Path) -> None:
    from kernel.machine import Kernel
    from klpsh.shell import Shell

    lines: list[str] = []
    shell = Shell(Kernel.boot(clock_mode="virtual"), lines.append)
    shell.run_script(["echo hello", "cat /proc/sys/kernel/tainted", "lsmod", "nosuch", "sleep 1",
                      "echo -n x"])
    path = tmp_path / "out.txt"
    path.write_text("\n".join(lines) + "\n")
    out = io.StringIO()
    assert transcript.replay([str(path)], out) == 0, out.getvalue()
    assert out.getvalue().startswith(f"ok   {path} (max Δt ")

    lines[1] = "goodbye"
    path.write_text("\n".join(lines) + "\n")
    out = io.StringIO()
    assert transcript.replay([str(path)], out) == 1
    assert "  line 2: expected: goodbye\n          got:      hello\n" in out.getvalue()


def test_transcripts_are_verbatim() -> None:
    doc = Path("/work/shared/docs/livepatch/callbacks.txt")
    files = [TRANSCRIPTS / f"callbacks-test-{n}.txt" for n in range(1, 10)]
    for n, f in enumerate(files, 1):
        text = f.read_text()
        assert f'Documentation/livepatch/callbacks.txt, "Test {n}"' in text.splitlines()[0]
        body = [ln for ln in text.splitlines() if not ln.startswith("#")]
        assert all(ln.startswith((" % ", " [")) for ln in body), f
    if doc.exists():
        want = [ln.rstrip() for ln in doc.read_text().splitlines()
                if ln.startswith(" % ") or (ln.startswith(" [") and "]" in ln)]
        got = [ln for f in files for ln in f.read_text().splitlines() if not ln.startswith("#")]
        assert got == want


@have_modules
def test_replay_test_1() -> None:
    out = io.StringIO()
    status = transcript.replay([str(TRANSCRIPTS / "callbacks-test-1.txt")], out)
    assert status == 0, out.getvalue()


@have_modules
def test_replay_all_nine() -> None:
    out = io.StringIO()
    files = [str(TRANSCRIPTS / f"callbacks-test-{n}.txt") for n in range(1, 10)]
    status = transcript.replay(files, out)
    assert status == 0, out.getvalue()
    assert out.getvalue().count("ok   ") == 9


@have_modules
def test_a_waiting_command_is_planned_to_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """Test 9's last rmmod waits ~20 s for the busy worker: replay issues it on the typing
    rhythm, where it blocks, so no transcript of the nine needs a second boot."""
    from kernel.machine import Kernel

    real_boot = Kernel.boot.__func__  # type: ignore[attr-defined]
    boots: list[int] = []

    def boot(cls, *args, **kwargs):  # type: ignore[no-untyped-def]
        boots.append(1)
        return real_boot(cls, *args, **kwargs)

    monkeypatch.setattr(Kernel, "boot", classmethod(boot))
    test9 = TRANSCRIPTS / "callbacks-test-9.txt"
    _pre, blocks = transcript._blocks(transcript._load(str(test9)))
    times = transcript._planned_times(blocks)
    assert times[-1] == transcript.plan(blocks)[-1].at < transcript._first_ts(blocks[-1][1]) - 10 * 10**9
    for n in range(1, 10):
        boots.clear()
        assert transcript.replay_file(str(TRANSCRIPTS / f"callbacks-test-{n}.txt"))[0]
        assert len(boots) == 1, n


@have_vmlinux
def test_command_moved_before_an_event_that_logs_after_it(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The transcript says `echo b` came before tick5 (stamped 5.2 s); the machine logs it at 5.0 s.

    Issuing `echo b` at 5.199 s would show tick5 before it: replay restarts with `echo b` just
    before the event, and reports the 0.2 s deviation.
    """
    from kernel.machine import Kernel

    real_boot = Kernel.boot.__func__  # type: ignore[attr-defined]
    boots: list[int] = []

    def boot(cls, *args, **kwargs):  # type: ignore[no-untyped-def]
        k = real_boot(cls, *args, **kwargs)
        boots.append(1)
        k.clock.at(5_000 * MS, lambda: k.printk.log(6, "tick5"))
        k.clock.at(9_000 * MS, lambda: k.printk.log(6, "tick9"))
        return k

    monkeypatch.setattr(Kernel, "boot", classmethod(boot))
    path = tmp_path / "t.txt"
    path.write_text("% echo a\na\n% echo b\nb\n[    5.200000] tick5\n% echo c\nc\n[ 9.000000] tick9\n")
    out = io.StringIO()
    assert transcript.replay([str(path)], out) == 0, out.getvalue()
    assert out.getvalue() == f"ok   {path} (max Δt 0.200000 s)\n"
    assert len(boots) == 2

    # A line the transcript never shows is not chased forever: FAIL with a diff.
    path.write_text("% echo a\na\n% echo b\nb\n% echo c\nc\n[ 9.000000] tick9\n")
    out = io.StringIO()
    assert transcript.replay([str(path)], out) == 1
    assert "  after line 4: extra: [    5.000000] tick5\n" in out.getvalue()

    # The machine is slower than the transcript: the next command waits for the owed line.
    path.write_text("% echo a\na\n[ 4.000000] tick5\n% echo b\nb\n% echo c\nc\n[ 9.000000] tick9\n")
    out = io.StringIO()
    assert transcript.replay([str(path)], out) == 0, out.getvalue()
    assert out.getvalue() == f"ok   {path} (max Δt 1.000000 s)\n"


@have_modules
def test_round_trip_livepatch_with_sleeps(tmp_path: Path) -> None:
    """A script with a transition completing during `sleep` replays with the same timestamps."""
    from kernel.machine import Kernel
    from klpsh.shell import Shell

    lines: list[str] = []
    Shell(Kernel.boot(clock_mode="virtual"), lines.append).run_script([
        "insmod samples/livepatch/livepatch-callbacks-mod.ko",
        "insmod samples/livepatch/livepatch-callbacks-demo.ko",
        "sleep 2",
        "echo 0 > /sys/kernel/livepatch/livepatch_callbacks_demo/enabled",
        "sleep 0.5",
        "cat /sys/kernel/livepatch/livepatch_callbacks_demo/transition",
        "sleep 2",
        "rmmod livepatch_callbacks_demo",
        "rmmod livepatch_callbacks_mod",
    ])
    assert any("patching complete" in ln for ln in lines)
    path = tmp_path / "out.txt"
    path.write_text("\n".join(lines) + "\n")
    out = io.StringIO()
    assert transcript.replay([str(path)], out) == 0, out.getvalue()
    assert out.getvalue() == f"ok   {path} (max Δt 0.000000 s)\n"


def test_replay_script_prints_the_transcript_as_a_batch_script(tmp_path: Path) -> None:
    path = TRANSCRIPTS / "callbacks-test-1.txt"
    out = io.StringIO()
    assert transcript.replay(["--script", str(path)], out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("# ") and lines[1:] == transcript.to_script(parse(path.read_text()))
    assert lines[1:4] == ["sleep 34.474648", "insmod samples/livepatch/livepatch-callbacks-mod.ko",
                          "sleep 2.028011"]
    assert [ln for ln in lines if not ln.startswith(("#", "sleep "))] == \
        [ln.text for ln in parse(path.read_text()) if ln.kind == CMD]
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n")
    out = io.StringIO()
    assert transcript.replay(["--script", str(empty), str(tmp_path / "missing.txt")], out) == 1
    assert out.getvalue().splitlines() == [
        f"klpsh: replay: {empty}: no commands in transcript",
        f"klpsh: replay: {tmp_path / 'missing.txt'}: No such file or directory"]
    assert transcript.replay(["--bogus", str(path)], io.StringIO()) == 2


@have_modules
def test_replay_runs_without_the_collector_and_leaves_it_as_it_was(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Replays free their machines by reference counting: the collector is off while they
    run and back as it was afterwards (on, or off for a caller that turned it off)."""
    import gc

    seen: list[bool] = []
    real = transcript._replay_files

    def spy(*args):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return real(*args)

    monkeypatch.setattr(transcript, "_replay_files", spy)
    path = str(TRANSCRIPTS / "callbacks-test-5.txt")
    was = gc.isenabled()
    try:
        gc.enable()
        assert transcript.replay([path], io.StringIO()) == 0 and gc.isenabled()
        gc.disable()
        assert transcript.replay([path], io.StringIO()) == 0 and not gc.isenabled()
    finally:
        if was:
            gc.enable()
    assert seen == [False, False]


def test_a_kernel_record_is_the_line_its_console_form_parses_to() -> None:
    """Replay takes kernel lines from the records themselves: the same Line that parsing
    the console's `[%5lu.%06lu] text` gives (time to the microsecond, text right-stripped)."""
    from kernel.printk import Record

    run = transcript._Run.__new__(transcript._Run)
    run.actual = []
    texts = ["livepatch: enabling patch 'x'", "  indented", "trailing  \t", "", "[ 1.0] nested",
             "% not a command", "# not a comment", "tab\tinside"]
    for i, text in enumerate(texts):
        rec = Record(i, 123_456_789_987 + i * 999, 6, text)
        run._console(rec)
        assert run.actual[-1] == transcript.parse_line(rec.format()), text
