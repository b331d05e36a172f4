"""Run every benchmark in turn (each in its own process) and sum up the verdicts.

    .venv/bin/python bench/run_all.py [--quick]

--quick passes fewer repetitions to each benchmark. Exit status 0 if every target is met,
1 if one is missed, 2 if a benchmark could not run.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
VERDICT = re.compile(r"(?:: |\)  )(PASS|MISS)(?:  \[|$)")  # as _common.Report prints them
BENCHES = (
    ("bench_startup.py", ["--runs", "3"]),
    ("bench_replay.py", ["--runs", "3"]),
    ("bench_insmod.py", ["--runs", "50"]),
    ("bench_transition.py", ["--rounds", "2"]),
    ("bench_memory.py", ["--cycles", "20"]),
)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions")
    opts = ap.parse_args()
    worst = 0
    summary = []
    for name, quick_args in BENCHES:
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, str(HERE / name), *(quick_args if opts.quick else [])],
                              capture_output=True, text=True)
        sys.stdout.write(proc.stdout)
        sys.stderr.write(proc.stderr)
        verdicts = [m.group(1) for m in map(VERDICT.search, proc.stdout.splitlines()) if m]
        missed = [v for v in verdicts if v == "MISS"]
        status = {0: "ok", 1: "MISS", 2: "ERROR"}.get(proc.returncode, f"exit {proc.returncode}")
        summary.append(f"{name:22} {status:5} {len(verdicts) - len(missed)}/{len(verdicts)} met "
                       f"({time.perf_counter() - t0:.1f} s)")
        worst = max(worst, proc.returncode if proc.returncode in (0, 1, 2) else 2)
        print()
    print("== summary")
    for line in summary:
        print(line)
    return worst


if __name__ == "__main__":
    sys.exit(main())
