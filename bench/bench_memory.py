"""Memory: the peak RSS of one process that replays 900 transcripts, one machine each.

Target (issue 13): peak RSS of 900 transcripts replayed in one process <= 60 MiB, with the cycle
collector off (gc.disable()): a machine must be freed by reference counting alone once it is
shut down. Each run is a child process (so its peak is its own) replaying the nine transcripts
100 times over with klpsh.transcript.replay, as `klpsh replay` does; it reports its peak RSS
(ru_maxrss), its RSS every 90 transcripts, and the objects one collection finds afterwards
(what the machines left in reference cycles). The same with the collector on is shown beside.

    .venv/bin/python bench/bench_memory.py [--runs N] [--transcripts N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from _common import ROOT, Report, floor_once, main_guard, median

TARGET_MIB = 60.0

_CHILD = r"""
import gc, io, json, resource, sys
n, collector = int(sys.argv[1]), sys.argv[2] == "on"
if not collector:
    gc.disable()
from pathlib import Path
from klpsh import transcript
paths = sorted(str(p) for p in Path("transcripts").glob("callbacks-test-*.txt"))
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20
trace, failed = [], 0
for i in range(n):
    failed += transcript.replay([paths[i % len(paths)]], io.StringIO()) != 0
    if (i + 1) % 90 == 0:
        trace.append(round(rss(), 1))
left = gc.collect()
print(json.dumps({"peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "trace": trace, "cyclic": left, "failed": failed}))
"""


def run_child(n: int, collector: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(n), collector], capture_output=True,
                          text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"replay child failed: {proc.stderr.strip()[-400:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="child processes per mode (default 3)")
    ap.add_argument("--transcripts", type=int, default=900, help="replays per process (default 900)")
    opts = ap.parse_args()
    rep = Report(f"memory: peak RSS of {opts.transcripts} transcripts replayed in one process")
    floors = [floor_once() for _ in range(3)]
    for collector in ("off", "on"):
        runs = [run_child(opts.transcripts, collector) for _ in range(opts.runs)]
        peaks = [r["peak"] for r in runs]
        rep.info(f"collector {collector}: RSS every 90 transcripts (first run), MiB", str(runs[0]["trace"]))
        rep.info(f"collector {collector}: objects left in reference cycles after the run",
                 str([r["cyclic"] for r in runs]))
        rep.check(f"collector {collector}: every replay passed", not any(r["failed"] for r in runs),
                  f"{sum(r['failed'] for r in runs)} failed")
        if collector == "off":
            rep.figure(f"peak RSS, {opts.transcripts} transcripts in one process, gc.disable()",
                       peaks, TARGET_MIB, unit="MiB", floor=floors)
            trace = runs[0]["trace"]
            if len(trace) >= 2:
                growth = (trace[-1] - trace[0]) / ((len(trace) - 1) * 90) * 1024
                rep.check("RSS flat with the collector off (under 16 KiB a transcript after the first 90)",
                          growth < 16, f"{growth:.1f} KiB a transcript")
        else:
            rep.info(f"peak RSS with the collector on, MiB", f"median {median(peaks):.1f} "
                                                             f"(min {min(peaks):.1f}, max {max(peaks):.1f})")
    return rep.done()


if __name__ == "__main__":
    main_guard(main)
