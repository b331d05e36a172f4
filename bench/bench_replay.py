"""Replay: `klpsh replay transcripts/*.txt`, the nine transcripts in one process.

Targets (issue 13): the whole command <= 0.25 s with bytecode cached (and <= 2x the floor),
<= 0.35 s as set up (PYTHONDONTWRITEBYTECODE=1, no bytecode cache). Each run is a child process
(interpreter, imports, nine boots, nine replays) beside one run of the floor; then, in this
process, what a replay() costs once the imports are done.

    .venv/bin/python bench/bench_replay.py [--runs N]
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time

from _common import (TRANSCRIPTS, Report, interleaved, klpsh_command, main_guard, measure, median,
                     run_child, start_modes)

TARGET_S = {"cached": 0.25, "as set up": 0.35}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help="repetitions (default 7)")
    opts = ap.parse_args()
    paths = sorted(str(p) for p in TRANSCRIPTS.glob("*.txt"))
    rep = Report(f"replay: klpsh replay transcripts/*.txt ({len(paths)} files)")
    if not paths:
        rep.skip("replay", f"no transcripts under {TRANSCRIPTS}")
        return 2

    failures: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for mode, env in start_modes(tmp):
            cpus: list[float] = []

            def one() -> float:
                s, proc = run_child(klpsh_command() + ["replay", *paths], env=env)
                cpus.append(s.cpu)
                oks = sum(1 for ln in proc.stdout.splitlines() if ln.startswith("ok "))
                if proc.returncode != 0 or oks != len(paths):
                    failures.append(f"{mode}: exit {proc.returncode}, {oks}/{len(paths)} ok")
                return s.wall
            walls, floors = interleaved(opts.runs, one, env)
            rep.figure(f"replay of the nine transcripts, whole command, {mode}", walls,
                       TARGET_S[mode], floor=floors, command=True, detail=f"cpu median {median(cpus) * 1e3:.0f} ms")
            if mode == "cached":
                rep.check("cached replay within 2x the floor", median(walls) <= 2 * median(floors),
                          f"x{median(walls) / median(floors):.2f}")
    rep.check("every transcript replays ok", not failures, "; ".join(failures[:3]))

    # In this process: import cost, then replay() with a cold and with a warm ELF cache.
    t0 = time.perf_counter()
    import kernel.machine  # noqa: F401  (unicorn, pyelftools, the kernel)
    from klpsh import transcript
    rep.info("import klpsh.transcript + kernel.machine", f"{(time.perf_counter() - t0) * 1e3:.1f} ms")
    cold = measure(lambda: transcript.replay(paths, io.StringIO()))
    rep.info("first replay() in process (parses every .ko)", f"wall {cold.wall * 1e3:.1f} ms, cpu {cold.cpu * 1e3:.1f} ms")
    warm = [measure(lambda: transcript.replay(paths, io.StringIO())) for _ in range(opts.runs)]
    rep.samples("later replay() calls (fresh ELF cache each call, warm imports)", warm)
    return rep.done()


if __name__ == "__main__":
    main_guard(main)
