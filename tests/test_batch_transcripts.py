"""The nine test cases of callbacks.txt as batch scenarios.

Each transcript's `% ` command lines become a batch script with `sleep` for the gaps its timestamps
imply; the script runs through `klpsh.cli.run_batch` on a freshly booted machine, and every line it
prints (commands, kernel lines, tool messages) must equal the document's, in order, timestamps
aside.

The planner is klpsh.transcript.plan (what `klpsh replay --script` prints).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from conftest import needs_kernel
from klpsh import transcript as tr
from klpsh.cli import run_batch

pytestmark = needs_kernel

TRANSCRIPTS = sorted((Path(__file__).resolve().parent.parent / "transcripts").glob("callbacks-test-*.txt"))
MS = 1_000_000
NSEC_PER_SEC = tr.NSEC_PER_SEC
# What replay ignores too: the kernel says this once per boot, the document's boot said it earlier.
IGNORED = re.compile(tr.IGNORED)
# How far the simulated kernel's line times may stray from the document's. The lines of one
# command follow the cost model (kernel/cost.py), the retries of a transition come from
# round_jiffies_relative(HZ) on the timer wheel on both, so they land within a ms or two, except
# Test 4's retry, one 64-jiffy wheel bucket later than the document's.
MAX_DRIFT_NS = 100 * MS


def run(lines: list[str]) -> list[tr.Line]:
    """Run LINES in batch mode; the transcript it prints, without the planner's sleeps."""
    buf = io.StringIO()
    assert run_batch(lines, "virtual", buf) == 0
    text = buf.getvalue()
    assert "Traceback" not in text and "internal error" not in text
    got = tr.parse(text)
    return [ln for ln in got if not (ln.kind == tr.CMD and ln.text.split()[:1] == ["sleep"])]


def relevant(lines: list[tr.Line]) -> list[tr.Line]:
    return [ln for ln in lines if not (ln.kind != tr.CMD and IGNORED.search(ln.text))]


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=lambda p: p.stem)
def test_transcript_as_batch_script(path: Path) -> None:
    want = tr.parse(path.read_text())
    got = run(tr.to_script(want))
    assert [ln.key() for ln in relevant(got)] == [ln.key() for ln in relevant(want)]
    drift = [abs(a.ts_ns - b.ts_ns) for a, b in zip(relevant(want), relevant(got))
             if a.ts_ns is not None and b.ts_ns is not None]
    assert max(drift) < MAX_DRIFT_NS


def test_there_are_nine() -> None:
    assert [p.stem for p in TRANSCRIPTS] == [f"callbacks-test-{n}" for n in range(1, 10)]


def test_planner_lets_test_9s_rmmod_block() -> None:
    """The busy module's rmmod is typed on the rhythm, ~18 s before its lines, and waits."""
    want = tr.parse(TRANSCRIPTS[8].read_text())
    steps = tr.plan(tr._blocks(want)[1])
    last = steps[-1]
    assert last.command == "rmmod samples/livepatch/livepatch-callbacks-busymod.ko" and last.waits
    assert tr._first_ts(tr._blocks(want)[1][-1][1]) - last.at > 10 * NSEC_PER_SEC
    assert [s.waits for s in steps[:-1]] == [False] * (len(steps) - 1)


def test_the_comparison_catches_a_wrong_line() -> None:
    """A batch run that prints something else fails the comparison (the test can fail)."""
    want = tr.parse(TRANSCRIPTS[0].read_text())
    lines = tr.to_script(want)
    lines[lines.index("echo 0 > /sys/kernel/livepatch/livepatch_callbacks_demo/enabled")] = \
        "echo 1 > /sys/kernel/livepatch/livepatch_callbacks_demo/enabled"
    got = run(lines)
    assert [ln.key() for ln in relevant(got)] != [ln.key() for ln in relevant(want)]
    assert "bash: echo: write error: Invalid argument" in [ln.text for ln in got]
