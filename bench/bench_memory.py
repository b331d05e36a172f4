"""Memory and host threads: a booted Kernel's RSS, and many machines created and discarded.

Replay boots one machine per transcript, so machines must not outlive their use: every host
thread a task used (one per task running code) must end, and RSS must stay flat. Checks:
  - RSS of one booted machine (and after loading a few modules);
  - after N cycles of boot, a busy workload (busymod sleeping in a work item, a livepatch
    enabled, the shell's commands) and Kernel.shutdown(): host threads back to the
    baseline, the number of Python objects after a garbage collection the same over the
    second half of the cycles, and RSS (after a collection) growing by under 1 MiB a machine
    there (the allocator's noise; a machine kept alive costs 4+ MiB); the peak without
    collections is shown too;
  - the same for N replays of a transcript (klpsh.transcript.replay, as `klpsh replay` does).

    .venv/bin/python bench/bench_memory.py [--cycles N]
"""

from __future__ import annotations

import argparse
import gc
import io
import threading

from _common import MODULES, TRANSCRIPTS, Report, main_guard, power_off, rss_mb

S = 1_000_000_000
GROWTH_LIMIT_MB = 1.0  # per machine, over the second half (a kept machine is 4+ MiB)


def workload(k: object) -> None:
    """What a transcript does to a machine: a sleeping worker, a livepatch, shell commands."""
    from klpsh.shell import Shell
    sh = Shell(k, lambda line: None)  # type: ignore[arg-type]
    for line in ("insmod samples/livepatch/livepatch-callbacks-busymod.ko sleep_secs=30",
                 "insmod samples/livepatch/livepatch-callbacks-demo.ko",
                 "sleep 2",
                 "cat /proc/cmdline",
                 "echo 0 > /sys/kernel/livepatch/livepatch_callbacks_demo/enabled",
                 "sleep 2",
                 "lsmod"):
        sh.run_line(line)


def cycles(rep: Report, what: str, n: int, one) -> None:  # type: ignore[no-untyped-def]
    """N machines one after another; host threads must all end, and whatever a machine
    leaves must be collectable (RSS after a collection flat over the second half)."""
    gc.collect()
    threads0 = threading.active_count()
    rss: list[float] = []
    half = max(n // 2, 1)
    mid, mid_objs = 0.0, 0
    for i in range(n):
        one()  # no gc.collect() here: RSS as the garbage collector keeps it by itself
        rss.append(rss_mb())
        if i + 1 == half:
            gc.collect()
            mid, mid_objs = rss_mb(), len(gc.get_objects())
    left = threading.active_count() - threads0
    gc.collect()
    end, end_objs = rss_mb(), len(gc.get_objects())
    per = (end - mid) / max(n - half, 1)
    rep.info(what, f"{n} machines: RSS first {rss[0]:.1f}, peak {max(rss):.1f}, last {rss[-1]:.1f} MiB; "
                   f"after gc.collect() at #{half} {mid:.1f} and at #{n} {end:.1f} MiB")
    rep.check(f"{what}: host threads all ended", left == 0,
              f"{left} left behind; {threading.active_count()} alive, {threads0} before")
    rep.check(f"{what}: no Python objects kept (tracked objects after a collection at #{half} and "
              f"#{n}: {mid_objs} and {end_objs})", end_objs - mid_objs <= mid_objs // 100)
    rep.check(f"{what}: RSS flat (growth {per * 1024:.0f} KiB per machine after a collection, limit "
              f"{GROWTH_LIMIT_MB * 1024:.0f} KiB)", per < GROWTH_LIMIT_MB)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cycles", type=int, default=40, help="machines to create and discard (default 40)")
    opts = ap.parse_args()
    rep = Report("memory: RSS of a machine; host threads and RSS over many machines")

    rss_start = rss_mb()
    from kernel.machine import Kernel
    from kernel.module.elf import ElfCache
    from klpsh import transcript
    rss_import = rss_mb()
    cache = ElfCache()
    k = Kernel.boot(elf_cache=cache)
    rss_boot = rss_mb()
    for name, args in (("livepatch-callbacks-mod", ""), ("livepatch-callbacks-busymod", "sleep_secs=0"),
                       ("livepatch-shadow-mod", "")):
        k.init_module((MODULES / f"{name}.ko").read_bytes(), args)
    rss_mods = rss_mb()
    rep.info("RSS", f"interpreter {rss_start:.1f} MiB, + imports {rss_import - rss_start:.1f} MiB, "
                    f"+ first booted machine {rss_boot - rss_import:.1f} MiB, + 3 modules "
                    f"{rss_mods - rss_boot:.1f} MiB = {rss_mods:.1f} MiB")
    rep.info("threads of one booted machine", f"{threading.active_count() - 1} host threads besides main")
    power_off(k)
    del k

    def boot_work_off() -> None:
        m = Kernel.boot(elf_cache=cache)
        workload(m)
        power_off(m)
    cycles(rep, "boot + workload + shutdown", opts.cycles, boot_work_off)

    path = str(TRANSCRIPTS / "callbacks-test-8.txt")
    cycles(rep, "replay of callbacks-test-8.txt", max(opts.cycles // 2, 2),
           lambda: transcript.replay([path], io.StringIO()))
    return rep.done()


if __name__ == "__main__":
    main_guard(main)
