"""The nine test cases of callbacks.txt as batch scenarios.

Each transcript's `% ` command lines become a batch script with `sleep` for the gaps its timestamps
imply; the script runs through `klpsh.cli.run_batch` on a freshly booted machine, and every line it
prints (commands, kernel lines, tool messages) must equal the document's, in order, timestamps
aside.

Planning the sleeps. The document's commands were typed on a steady rhythm (one every ~2 s), and a
command's own lines follow the moment it is typed, so a command is issued 1 ms before its first
line. Two cases need care, and both follow from the transcript alone:

* a command that prints nothing (`rmmod` of a disabled patch) is typed on the rhythm, and never
  before the lines the previous commands still owed (a transition completing) have been shown;
* a command whose first line comes much later than the rhythm allows was *waiting* for it (Test 9:
  `rmmod` of the busy module blocks in cancel_delayed_work_sync() until the 30 s worker finishes).
  It is typed on the rhythm and blocks; the next gap is measured from its last line, when it
  returned.
"""

from __future__ import annotations

import io
import statistics
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import needs_kernel
from klpsh import transcript as tr
from klpsh.cli import run_batch

pytestmark = needs_kernel

TRANSCRIPTS = sorted((Path(__file__).resolve().parent.parent / "transcripts").glob("callbacks-test-*.txt"))
MS = 1_000_000
NSEC_PER_SEC = 1_000_000_000
# What replay ignores too: the kernel says this once per boot, the document's boot said it earlier.
IGNORED = tr._IGNORED_RE
# How far the simulated kernel's line times may stray from the document's. The retries of a
# transition come from round_jiffies_relative(HZ) on both, so they land within a few ms, except
# where the document's first retry failed for reasons outside the model (Test 8: ~0.96 s later).
MAX_DRIFT_NS = 1_200 * MS


@dataclass(frozen=True)
class Step:
    command: str
    at: int          # planned issue time (ns since boot)
    waits: bool      # typed before its lines are due: it blocks until they come


def _first_ts(after: list[tr.Line]) -> int | None:
    return next((ln.ts_ns for ln in after if ln.ts_ns is not None), None)


def _last_ts(after: list[tr.Line]) -> int | None:
    stamps = [ln.ts_ns for ln in after if ln.ts_ns is not None]
    return max(stamps) if stamps else None


def rhythm(blocks: list[tuple[tr.Line, list[tr.Line]]]) -> int:
    """The typing rhythm: median spacing of the first lines of consecutive commands."""
    firsts = [_first_ts(after) for _cmd, after in blocks]
    gaps = [b - a for a, b in zip(firsts, firsts[1:]) if a is not None and b is not None and b > a]
    return int(statistics.median(gaps)) if gaps else NSEC_PER_SEC


def plan(blocks: list[tuple[tr.Line, list[tr.Line]]]) -> list[Step]:
    """When each command is typed (see the module docstring)."""
    beat = rhythm(blocks)
    steps: list[Step] = []
    shown: int | None = None     # the last timestamp of everything before this command
    for cmd, after in blocks:
        first = _first_ts(after)
        slot = steps[-1].at + beat if steps else None
        if first is not None and (slot is None or first - MS <= slot + beat // 2):
            at, waits = first - MS, False
        else:
            at, waits = (slot if slot is not None else 0), first is not None
        if shown is not None:
            floor = shown + beat // 4
            at = max(at, min(floor, first - MS) if first is not None else floor)
        steps.append(Step(cmd.text, at, waits))
        last = _last_ts(after)
        shown = last if last is not None else shown
    return steps


def script(lines: list[tr.Line]) -> list[str]:
    """The batch script: the commands with `sleep` for the gaps, and a final wait for late lines."""
    pre, blocks = tr._blocks(lines)
    assert not pre, "a transcript starts with a command"
    out: list[str] = []
    clock = 0
    for step, (_cmd, after) in zip(plan(blocks), blocks):
        if step.at > clock:
            out.append(f"sleep {(step.at - clock) / NSEC_PER_SEC:.9f}")
            clock = step.at
        out.append(step.command)
        last = _last_ts(after)
        if step.waits and last is not None:
            clock = last  # it returned with its last line
    last_ts = max(ln.ts_ns for ln in lines if ln.ts_ns is not None)
    out.append(f"sleep {(max(last_ts - clock, 0) + NSEC_PER_SEC) / NSEC_PER_SEC:.9f}")
    return out


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
    got = run(script(want))
    assert [ln.key() for ln in relevant(got)] == [ln.key() for ln in relevant(want)]
    drift = [abs(a.ts_ns - b.ts_ns) for a, b in zip(relevant(want), relevant(got))
             if a.ts_ns is not None and b.ts_ns is not None]
    assert max(drift) < MAX_DRIFT_NS


def test_there_are_nine() -> None:
    assert [p.stem for p in TRANSCRIPTS] == [f"callbacks-test-{n}" for n in range(1, 10)]


def test_planner_lets_test_9s_rmmod_block() -> None:
    """The busy module's rmmod is typed on the rhythm, ~18 s before its lines, and waits."""
    want = tr.parse(TRANSCRIPTS[8].read_text())
    steps = plan(tr._blocks(want)[1])
    last = steps[-1]
    assert last.command == "rmmod samples/livepatch/livepatch-callbacks-busymod.ko" and last.waits
    assert _first_ts(tr._blocks(want)[1][-1][1]) - last.at > 10 * NSEC_PER_SEC
    assert [s.waits for s in steps[:-1]] == [False] * (len(steps) - 1)


def test_the_comparison_catches_a_wrong_line() -> None:
    """A batch run that prints something else fails the comparison (the test can fail)."""
    want = tr.parse(TRANSCRIPTS[0].read_text())
    lines = script(want)
    lines[lines.index("echo 0 > /sys/kernel/livepatch/livepatch_callbacks_demo/enabled")] = \
        "echo 1 > /sys/kernel/livepatch/livepatch_callbacks_demo/enabled"
    got = run(lines)
    assert [ln.key() for ln in relevant(got)] != [ln.key() for ln in relevant(want)]
    assert "bash: echo: write error: Invalid argument" in [ln.text for ln in got]
