"""Run every benchmark in turn (each in its own process), then print issue 13's table in one go.

    .venv/bin/python bench/run_all.py [--quick]

The table has one row per target (min / median / max, the floor measured in the same run, the
target, PASS or MISS), the date and the load on the machine at the start and the end; under
two minutes on an idle 2-CPU machine. --quick passes fewer repetitions. Exit status 0 if every
target is met, 1 if one is missed, 2 if a benchmark could not run.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _common import load_average  # noqa: E402

FIGURE = re.compile(r"^FIGURE (?P<what>.+?): min (?P<min>.+?) / median (?P<median>.+?) / max "
                    r"(?P<max>.+?)(?: \| floor (?P<floor>[^|]+?))? \| target <= (?P<target>.+?)  "
                    r"(?P<verdict>PASS|MISS)")
CHECK = re.compile(r"^(?P<what>[^ ].*?): (?P<verdict>PASS|MISS|SKIP)\b")
# (script, arguments, arguments with --quick)
BENCHES = (
    ("bench_replay.py", ["--runs", "7"], ["--runs", "3"]),
    ("bench_startup.py", ["--runs", "7"], ["--runs", "3"]),
    ("bench_boot.py", ["--runs", "300"], ["--runs", "100"]),
    ("bench_insmod.py", ["--runs", "100"], ["--runs", "30"]),
    ("bench_transition.py", ["--rounds", "2"], ["--rounds", "1", "--sleepers", "20"]),
    ("bench_hog.py", ["--runs", "5"], ["--runs", "3"]),
    ("bench_memory.py", ["--runs", "1"], ["--runs", "1", "--transcripts", "450"]),
)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions")
    opts = ap.parse_args()
    start_load, t_start = load_average(), time.perf_counter()
    worst = 0
    figures: list[dict[str, str]] = []
    misses: list[str] = []
    summary = []
    for name, args, quick in BENCHES:
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, str(HERE / name), *(quick if opts.quick else args)],
                              capture_output=True, text=True)
        sys.stdout.write(proc.stdout)
        sys.stderr.write(proc.stderr)
        print()
        for line in proc.stdout.splitlines():
            m = FIGURE.match(line)
            if m:
                figures.append(m.groupdict())
                continue
            c = CHECK.match(line)
            if c and c["verdict"] == "MISS":
                misses.append(f"{c['what']} ({name})")
        status = {0: "ok", 1: "MISS", 2: "ERROR"}.get(proc.returncode, f"exit {proc.returncode}")
        summary.append(f"{name:20} {status:5} ({time.perf_counter() - t0:.1f} s)")
        worst = max(worst, proc.returncode if proc.returncode in (0, 1, 2) else 2)

    print(f"== issue 13's table, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
          f"{start_load} at the start, {load_average()} at the end; "
          f"{time.perf_counter() - t_start:.0f} s in all")
    print("| figure | min | median | max | floor min / median / max | target | |")
    print("|---|---|---|---|---|---|---|")
    for f in figures:
        print(f"| {f['what']} | {f['min']} | {f['median']} | {f['max']} | {f['floor'] or ''} "
              f"| <= {f['target']} | {f['verdict']} |")
    for what in misses:
        print(f"| {what} | | | | | | MISS |")
    print()
    for line in summary:
        print(line)
    return worst


if __name__ == "__main__":
    sys.exit(main())
