"""How close replayed kernel-line timestamps come to the document's (transcripts/*.txt).

Replays every transcript of callbacks.txt (klpsh.transcript's replay, the planner's command
times) and compares each kernel line's time with the document's: the median and largest
|Δt| over all lines, per file and in total, and how many lines pass `--tolerance` strict
modes of 1 ms and 5 ms. Deterministic (virtual time): one run is enough.

    .venv/bin/python bench/bench_timestamps.py [FILE...]
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from klpsh import transcript as tr  # noqa: E402


def deltas(path: str) -> list[int]:
    """|Δt| in ns of each kernel line of PATH that the replay matched."""
    pre, blocks, run = tr._replay_run(path)
    want = tr._relevant(pre + [ln for cmd, after in blocks for ln in [cmd] + after])
    got = tr._relevant(run.actual)
    assert [a.key() for a in want] == [b.key() for b in got], path
    return [abs(a.ts_ns - b.ts_ns) for a, b in zip(want, got)
            if a.ts_ns is not None and b.ts_ns is not None]


def main(argv: list[str]) -> int:
    files = argv or sorted(str(p) for p in (ROOT / "transcripts").glob("callbacks-test-*.txt"))
    every: list[int] = []
    for f in files:
        d = deltas(f)
        every.extend(d)
        print(f"  {Path(f).stem}: {len(d)} lines, median |Δt| {statistics.median(d) / 1e6:.3f} ms, "
              f"max {max(d) / 1e6:.3f} ms")
    within = {tol: sum(x <= tol * 1_000_000 for x in every) for tol in (1, 5)}
    print(f"timestamps vs the document, {len(every)} kernel lines: median |Δt| "
          f"{statistics.median(every) / 1e6:.3f} ms, max {max(every) / 1e6:.3f} ms; "
          f"within 1 ms: {within[1]}, within 5 ms: {within[5]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
