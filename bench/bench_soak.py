"""Soak: N insmod/rmmod pairs on one machine keep a flat memory line.

Every pair makes two syscall tasks (each with a stack and a task_struct), lays out and frees
a module, runs its init and exit. Printed over time: the process's RSS, the guest memory in
use (heap and module pages of the buddy allocators, heap bytes, task stacks), then the memory
per cycle after the warm-up: guest memory must not grow at all, RSS by well under 1 KiB a
cycle over the second half of the run (was 60-85 KB a cycle when task stacks were never freed).
The first thousands of cycles fill what is bounded by design: each engine's 32 MiB buffer of
translated code (every load is new code; full, it starts afresh) and the printk ring.

    .venv/bin/python bench/bench_soak.py [--cycles N] [--module NAME] [--shell] [--points K]
"""

from __future__ import annotations

import argparse
import gc
import time

from _common import MODULES, Report, main_guard, power_off, rss_mb

WARMUP = 200
RSS_PER_CYCLE_LIMIT = 1024          # bytes
MODULE_NAME = "livepatch-callbacks-mod"


def guest(k) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    """Heap pages, heap bytes, module pages, task stacks in use."""
    return (k.heap.pages_in_use, k.heap.bytes_in_use, k.modules_mem.pages_in_use, k.stacks.in_use)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cycles", type=int, default=100_000, help="insmod/rmmod pairs (default 100,000)")
    ap.add_argument("--module", default=MODULE_NAME, help="a bundled module (default %(default)s)")
    ap.add_argument("--shell", action="store_true", help="through the shell's insmod and rmmod")
    ap.add_argument("--points", type=int, default=20, help="how many figures over time")
    opts = ap.parse_args()
    from kernel.machine import Kernel
    from klpsh.shell import Shell

    rep = Report(f"soak: {opts.cycles} insmod/rmmod pairs of {opts.module}"
                 f"{' through the shell' if opts.shell else ''}")
    path = MODULES / f"{opts.module}.ko"
    image = path.read_bytes()
    k = Kernel.boot()
    shell = Shell(k, lambda line: None, echo=False, console=False)
    modname = opts.module.replace("-", "_")

    def cycle() -> None:
        if opts.shell:
            shell.run_line(f"insmod {path}")
            shell.run_line(f"rmmod {modname}")
        else:
            k.init_module(image, "")
            k.delete_module(modname)

    for _ in range(WARMUP):
        cycle()
    gc.collect()
    rss0, guest0 = rss_mb(), guest(k)
    every = max(opts.cycles // max(opts.points, 1), 1)
    rep.info("after warm-up", f"RSS {rss0:.1f} MiB; guest heap {guest0[0]} pages ({guest0[1]} bytes "
                              f"in use), modules {guest0[2]} pages, {guest0[3]} task stacks")
    t0 = time.perf_counter()
    half = opts.cycles // 2
    rss_half = rss0
    for i in range(1, opts.cycles + 1):
        cycle()
        if i == half:
            gc.collect()
            rss_half = rss_mb()
        if i % every == 0 or i == opts.cycles:
            g = guest(k)
            rep.info(f"cycle {i:>7}", f"{time.perf_counter() - t0:7.1f} s  RSS {rss_mb():7.1f} MiB  "
                                      f"heap {g[0]} pages / {g[1]} bytes  modules {g[2]} pages  "
                                      f"stacks {g[3]}")
    elapsed = time.perf_counter() - t0
    gc.collect()
    rss1, guest1 = rss_mb(), guest(k)
    overall = (rss1 - rss0) * (1 << 20) / opts.cycles
    per_cycle = (rss1 - rss_half) * (1 << 20) / max(opts.cycles - half, 1)
    rep.info("per cycle", f"{elapsed / opts.cycles * 1e3:.3f} ms; RSS {overall:+.1f} bytes over the "
                          f"whole run, {per_cycle:+.1f} bytes over the second half; guest heap "
                          f"{(guest1[1] - guest0[1]) / opts.cycles:+.3f} bytes")
    rep.check("guest memory flat (heap, module pages, stacks as after warm-up)", guest1 == guest0,
              f"{guest0} -> {guest1}")
    rep.check(f"RSS growth under {RSS_PER_CYCLE_LIMIT} bytes a cycle (second half)",
              per_cycle < RSS_PER_CYCLE_LIMIT,
              f"{per_cycle:+.1f} bytes a cycle, {rss_half:.1f} -> {rss1:.1f} MiB")
    power_off(k)
    return rep.done()


if __name__ == "__main__":
    main_guard(main)
