"""The interactive shell on the 5.4 kernel, in a real pty (pexpect): `klpsh --kernel 5.4`
names its kernel in the banner, uname and modinfo, finds the 5.4 samples, and a 5.4
transcript typed in shows its lines (two of them here: the cumulative patch and a refused
one; all five replay in batch in tests/test_k54_transcripts.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, needs_kernel
from klpsh.transcript import parse, to_script
from test_repl_pty import Session, _expected, _shown

pytest.importorskip("pexpect")
pytestmark = needs_kernel
TRANSCRIPTS_5_4 = [ROOT / "transcripts" / "5.4" / f"{name}.txt"
                   for name in ("atomic-replace", "callbacks-pre-patch-enodev")]


def test_the_5_4_repl_says_which_kernel(tmp_path: Path) -> None:
    s = Session(tmp_path, "--kernel", "5.4", "--clock", "virtual")
    s.run("uname -r")
    s.wait_for(r"\n5\.4\.0-klpsh\n")
    s.run("modinfo -F vermagic samples/livepatch/livepatch-sample.ko")
    s.wait_for(r"\n5\.4\.0-klpsh SMP mod_unload \n")
    s.run("ls /sys/kernel/livepatch")
    s.run("insmod samples/livepatch/livepatch-sample.ko")
    s.wait_for(r"livepatch: 'livepatch_sample': starting patching transition")
    s.run("ls /sys/kernel/livepatch/livepatch_sample")
    s.wait_for(r"\nenabled\s+force\s+transition\s+vmlinux\n")           # no signal on 5.4
    assert s.finish() == 0
    assert "klpsh: simulated Linux 5.4.0-klpsh, virtual clock;" in s.text()
    assert "Traceback" not in s.text()


@pytest.mark.parametrize("path", TRANSCRIPTS_5_4, ids=lambda p: p.stem)
def test_5_4_transcript_typed_into_the_repl(path: Path, tmp_path: Path) -> None:
    s = Session(tmp_path, "--kernel", "5.4", "--clock", "virtual")
    for line in to_script(parse(path.read_text())):
        s.run(line)
    assert s.finish() == 0
    assert _shown(s.lines()) == _expected(path)
