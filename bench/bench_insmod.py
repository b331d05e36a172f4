"""insmod: load a sample module (parse the ELF, lay out, relocate, run init) on a booted machine.

Target (issue 13): insmod of a sample, parse included, <= 1 ms (median). Measured as the insmod
tool calls it, Kernel.init_module(image, args), with an empty ELF cache before each load (so the
image is parsed every time); each load is followed by an rmmod (not timed). Also shown: the same
with the image already parsed (what a second machine of a replay pays), the shell's `insmod
samples/livepatch/...` as typed, and that a .ko is parsed once per cache.

    .venv/bin/python bench/bench_insmod.py [--runs N]
"""

from __future__ import annotations

import argparse
import time

from _common import MODULES, Report, floor_once, main_guard, median, power_off

TARGET_S = 0.001
# (module file, parameters, module name): plain sample modules that load and unload on their own.
SAMPLES = (
    ("livepatch-callbacks-mod", "", "livepatch_callbacks_mod"),
    ("livepatch-callbacks-busymod", "sleep_secs=0", "livepatch_callbacks_busymod"),
    ("livepatch-shadow-mod", "", "livepatch_shadow_mod"),
)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=200, help="loads per module (default 200)")
    opts = ap.parse_args()
    rep = Report("insmod: load a sample module (parse, relocate, run init)")
    floors = [floor_once() for _ in range(5)]

    import kernel.module.elf as elf
    from kernel.machine import Kernel
    from klpsh.shell import Shell

    k = Kernel.boot(elf_cache=elf.ElfCache())
    try:
        for fname, args, name in SAMPLES:
            image = (MODULES / f"{fname}.ko").read_bytes()
            parsed, cached = [], []
            for _ in range(opts.runs):
                k.elf_cache = elf.ElfCache()             # parse included
                t0 = time.perf_counter()
                k.init_module(image, args)
                parsed.append(time.perf_counter() - t0)
                k.delete_module(name)
                k.run_for(1_000_000)                     # a work item the module queued ends
                t0 = time.perf_counter()
                k.init_module(image, args)               # parsed by the load before
                cached.append(time.perf_counter() - t0)
                k.delete_module(name)
                k.run_for(1_000_000)
            rep.figure(f"insmod {fname}.ko, parse included", parsed, TARGET_S, floor=floors)
            rep.info(f"insmod {fname}.ko, image already parsed",
                     f"median {median(cached) * 1e3:.3f} ms (min {min(cached) * 1e3:.3f}, "
                     f"max {max(cached) * 1e3:.3f})")

        # Through the shell, as typed: file read, path lookup, tool, syscall, messages.
        lines: list[str] = []
        sh = Shell(k, lines.append)
        fname, args, name = SAMPLES[0]
        cmd = f"insmod samples/livepatch/{fname}.ko {args}".strip()
        shell_runs = []
        for _ in range(opts.runs):
            k.elf_cache = elf.ElfCache()
            t0 = time.perf_counter()
            sh.run_line(cmd)
            shell_runs.append(time.perf_counter() - t0)
            sh.run_line(f"rmmod {name}")
        errors = [ln for ln in lines if "ERROR" in ln or "internal error" in ln]
        rep.info(f"shell `{cmd}`, parse included",
                 f"median {median(shell_runs) * 1e3:.3f} ms (min {min(shell_runs) * 1e3:.3f}, "
                 f"max {max(shell_runs) * 1e3:.3f})")
        rep.check("shell insmod/rmmod ran without errors", not errors, "; ".join(errors[:2]))

        # One cache: each .ko is parsed once, whatever the machine and the copy of its bytes.
        parses: list[int] = []
        real_parse = elf.parse_elf

        def counting_parse(image: bytes) -> elf.ElfImage:
            parses.append(len(image))
            return real_parse(image)
        elf.parse_elf = counting_parse  # type: ignore[assignment]
        try:
            cache = elf.ElfCache()
            for _ in range(2):
                k2 = Kernel.boot(elf_cache=cache)
                before = len(parses)
                for fname, args, name in SAMPLES:
                    k2.init_module(bytes((MODULES / f"{fname}.ko").read_bytes()), args)
                loads = len(parses) - before
                power_off(k2)
            rep.check("each .ko parsed once (ELF cache by content)", loads == 0,
                      f"{loads} parses on the second machine")
        finally:
            elf.parse_elf = real_parse  # type: ignore[assignment]
    finally:
        power_off(k)
    return rep.done()


if __name__ == "__main__":
    main_guard(main)
