"""Boot: one Kernel.boot() in process, the linked vmlinux image already built (what every
transcript of a replay costs after the first).

Target (issue 13): <= 1 ms (median). Each boot is followed by a shutdown (not timed), so the
next boot gets the board back as replay's do; the first boot of the process (which builds the
boot image) is shown apart. The floor is measured beside, for the load on the machine.

    .venv/bin/python bench/bench_boot.py [--runs N]
"""

from __future__ import annotations

import argparse
import time

from _common import Report, floor_once, main_guard, measure, power_off

TARGET_S = 0.001


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=300, help="boots (default 300)")
    opts = ap.parse_args()
    rep = Report("boot: Kernel.boot() in process")
    floors = [floor_once() for _ in range(5)]

    from kernel.machine import Kernel
    from kernel.module.elf import ElfCache
    cache = ElfCache()
    first = measure(lambda: power_off(Kernel.boot(elf_cache=cache)))
    rep.info("first boot of the process (links vmlinux, builds the boot image)",
             f"{first.wall * 1e3:.2f} ms with its shutdown")
    for kernel in ("4.19", "5.4"):
        Kernel.boot(elf_cache=cache, kernel=kernel).shutdown()
        walls, cpus = [], []
        for _ in range(opts.runs):
            t0, c0 = time.perf_counter(), time.process_time()
            k = Kernel.boot(elf_cache=cache, kernel=kernel)
            walls.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
            k.shutdown()
        cpus.sort()
        rep.figure(f"boot one machine in process ({kernel})", walls, TARGET_S, floor=floors,
                   detail=f"cpu median {cpus[len(cpus) // 2] * 1e3:.3f} ms")
    return rep.done()


if __name__ == "__main__":
    main_guard(main)
