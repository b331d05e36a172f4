"""Replay beside a CPU hog: wall time over CPU time of `klpsh replay transcripts/*.txt` while a
busy-looping process of this benchmark's own takes one CPU.

Target (issue 13): wall / CPU <= 1.15 (median) with a CPU hog beside it. The hog is one
busy-looping child process, started by this script and ended by it; the replay then shares the
machine with it, as on a busy CI machine (on a 2-CPU machine it has the other CPU). A replay whose tasks hand over between
host threads waits for the scheduler at every handoff (wall swings far past its CPU time); one
that runs on one thread only loses what the hog takes from its share.

    .venv/bin/python bench/bench_hog.py [--runs N]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile

from _common import TRANSCRIPTS, Report, floor_once, klpsh_command, main_guard, run_child, start_modes

TARGET = 1.15
_HOG = "while True: pass"
# A reference beside the hog: one thread of pure computation (~0.15 s of CPU, no I/O, no
# threads), whose wall / CPU is what the machine's load alone does to a process like a replay.
_REFERENCE = "x = 0\nfor i in range(3_000_000): x += i"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help="replays (default 7)")
    opts = ap.parse_args()
    paths = sorted(str(p) for p in TRANSCRIPTS.glob("*.txt"))
    rep = Report("replay beside a CPU hog (one busy-looping process)")
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(start_modes(tmp))["cached"]
        floors = [floor_once(env) for _ in range(3)]
        hogs = [subprocess.Popen([sys.executable, "-c", _HOG])]
        try:
            ratios, walls, cpus, bad, switches, preempted, refs = [], [], [], 0, [], [], []
            for _ in range(opts.runs):
                ref, _proc = run_child([sys.executable, "-c", _REFERENCE])
                refs.append(ref.wall / ref.cpu)
                ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                s, proc = run_child(klpsh_command() + ["replay", *paths], env=env)
                ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                switches.append(ru1.ru_nvcsw - ru0.ru_nvcsw)
                preempted.append(ru1.ru_nivcsw - ru0.ru_nivcsw)
                bad += proc.returncode != 0
                walls.append(s.wall)
                cpus.append(s.cpu)
                ratios.append(s.wall / s.cpu)
        finally:
            for h in hogs:
                h.kill()
            for h in hogs:
                h.wait()
    rep.info("replay beside the hog", f"wall min {min(walls) * 1e3:.0f} / max {max(walls) * 1e3:.0f} ms, "
                                      f"cpu min {min(cpus) * 1e3:.0f} / max {max(cpus) * 1e3:.0f} ms; "
                                      f"voluntary context switches of a replay: {sorted(switches)}, "
                                      f"involuntary (preempted): {sorted(preempted)}")
    refs.sort()
    rep.info("a pure-CPU reference beside the hog (what the load alone costs)",
             f"wall / CPU min {refs[0]:.3f}x / median {refs[len(refs) // 2]:.3f}x / max {refs[-1]:.3f}x")
    rep.check("every replay beside the hog passed", bad == 0, f"{bad} failed")
    rep.figure("replay wall / CPU with a CPU hog beside it", ratios, TARGET, unit="x", floor=floors)
    return rep.done()


if __name__ == "__main__":
    main_guard(main)
