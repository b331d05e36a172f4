"""Replay throughput: `klpsh replay transcripts/*.txt`, all nine transcripts in one process.

Target (DESIGN.md, Performance budget): under 0.5 s of wall time in total. The figure with the
verdict is the whole command as a user runs it (interpreter start, imports, nine boots, nine
replays); the in-process lines below it split that up.

    .venv/bin/python bench/bench_replay.py [--runs N]
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time

from _common import (TRANSCRIPTS, Report, Sample, klpsh_command, main_guard, measure, median,
                     run_child, start_modes)

TARGET_S = 0.5


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help="repetitions (default 7)")
    opts = ap.parse_args()
    paths = sorted(str(p) for p in TRANSCRIPTS.glob("*.txt"))
    rep = Report(f"replay: klpsh replay transcripts/*.txt ({len(paths)} files)")
    if not paths:
        rep.skip("replay", f"no transcripts under {TRANSCRIPTS}")
        return 2

    # The whole command, as a child process each time (what the target is about).
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for mode, env in start_modes(tmp):
            runs: list[Sample] = []
            for _ in range(opts.runs):
                s, proc = run_child(klpsh_command() + ["replay", *paths], env=env)
                runs.append(s)
                oks = sum(1 for ln in proc.stdout.splitlines() if ln.startswith("ok "))
                if proc.returncode != 0 or oks != len(paths):
                    failures.append(f"exit {proc.returncode}, {oks}/{len(paths)} ok")
            rep.samples(f"whole command, {mode}", runs)
            rep.target(f"replay all transcripts, whole command, {mode} (wall)",
                       median([s.wall for s in runs]), TARGET_S,
                       f"cpu {median([s.cpu for s in runs]) * 1e3:.0f} ms")
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
    from kernel.module.elf import ElfCache
    from kernel.machine import Kernel
    cache = ElfCache()
    Kernel.boot(elf_cache=cache)
    boots = [measure(lambda: Kernel.boot(elf_cache=cache)) for _ in range(opts.runs * 3)]
    rep.samples("one Kernel.boot() (cached vmlinux image)", boots)
    return rep.done()


if __name__ == "__main__":
    main_guard(main)
