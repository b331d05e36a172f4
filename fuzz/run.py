"""The long fuzz run: every target at a seed and a count, figures printed, exit status 0 only
if there was no internal error, no hang and no rule violation.

    nice .venv/bin/python fuzz/run.py --seed 1 --modules 20000 --calls 10000 --sequences 1000

Targets: mutated modules into insmod (--modules), random calls to every Python kernel function
(--calls), random command sequences checked against callbacks.txt's rules (--sequences), random
shell lines (--shell). A count of 0 skips a target. The same seed and counts give the same run.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fuzz.common import Findings  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--modules", type=int, default=20000, help="mutated modules (default 20000)")
    ap.add_argument("--calls", type=int, default=10000, help="random kernel-function calls (default 10000)")
    ap.add_argument("--sequences", type=int, default=1000, help="command sequences (default 1000)")
    ap.add_argument("--shell", type=int, default=5000, help="random shell lines (default 5000)")
    opts = ap.parse_args(argv)

    from fuzz.elf_mutants import fuzz_elf_mutants
    from fuzz.kernel_calls import fuzz_kernel_calls
    from fuzz.sequences import fuzz_sequences
    from fuzz.shell_input import fuzz_shell_input
    from kernel.module.elf import ElfCache

    cache = ElfCache()
    targets = (
        ("mutated modules", opts.modules, lambda f: fuzz_elf_mutants(opts.seed, opts.modules, f, cache)),
        ("kernel-function calls", opts.calls, lambda f: fuzz_kernel_calls(opts.seed, opts.calls, f, cache)),
        ("command sequences", opts.sequences, lambda f: fuzz_sequences(opts.seed, opts.sequences, f)),
        ("shell lines", opts.shell, lambda f: fuzz_shell_input(opts.seed, opts.shell, f, cache)),
    )
    print(f"fuzz/run.py --seed {opts.seed} --modules {opts.modules} --calls {opts.calls} "
          f"--sequences {opts.sequences} --shell {opts.shell}", flush=True)
    results = []
    for name, count, run in targets:
        if count <= 0:
            continue
        f = Findings(name)
        start = time.monotonic()
        run(f)
        f.seconds = time.monotonic() - start
        results.append(f)
        print(f.summary(), flush=True)
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(f.outcomes.items(), key=lambda kv: -kv[1]))
        if outcomes:
            print(f"    outcomes: {outcomes}")
        for s in f.samples:
            print(f"    {s[:500]}")
    total = Findings("total", cases=sum(f.cases for f in results), internal=sum(f.internal for f in results),
                     hangs=sum(f.hangs for f in results), violations=sum(f.violations for f in results),
                     seconds=sum(f.seconds for f in results))
    print(total.summary())
    return 0 if total.clean else 1


if __name__ == "__main__":
    sys.exit(main())
