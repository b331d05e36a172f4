"""insmod latency: load a sample module (parse, lay out, relocate, run init) on a booted machine.

Target (DESIGN.md, Performance budget): under 3 ms median; each .ko parsed once and cached by
content hash. Measured two ways, both against the target:
  - the syscall: Kernel.init_module(image, args), as the insmod tool calls it;
  - the shell command `insmod samples/livepatch/<module>.ko`, as a user types it (reads the file).
Each load is followed by an rmmod (not timed), so every insmod is a complete load.

    .venv/bin/python bench/bench_insmod.py [--runs N]
"""

from __future__ import annotations

import argparse

from _common import MODULES, Report, main_guard, measure, median, power_off

TARGET_S = 0.003
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

    import kernel.module.elf as elf
    from kernel.machine import Kernel
    from klpsh.shell import Shell

    parses: list[int] = []
    real_parse = elf.parse_elf

    def counting_parse(image: bytes) -> elf.ElfImage:
        parses.append(len(image))
        return real_parse(image)
    elf.parse_elf = counting_parse  # type: ignore[assignment]  (counts what the cache lets through)

    cache = elf.ElfCache()
    k = Kernel.boot(elf_cache=cache)
    boot_parses = len(parses)
    try:
        for i, (fname, args, name) in enumerate(SAMPLES):
            image = (MODULES / f"{fname}.ko").read_bytes()
            cold = measure(lambda: k.init_module(image, args))
            k.delete_module(name)
            runs = []
            for _ in range(opts.runs):
                runs.append(measure(lambda: k.init_module(image, args)))
                k.delete_module(name)
                k.run_for(1_000_000)  # let a work item the module queued finish
            rep.info(f"{fname}.ko first load (parses the image)", f"wall {cold.wall * 1e3:.3f} ms")
            rep.samples(f"{fname}.ko Kernel.init_module", runs)
            rep.target(f"insmod {fname}.ko (syscall, wall)", median([s.wall for s in runs]), TARGET_S,
                       f"cpu {median([s.cpu for s in runs]) * 1e3:.3f} ms")

        # Through the shell, as typed: file read, path lookup, tool, syscall, messages.
        lines: list[str] = []
        sh = Shell(k, lines.append)
        fname, args, name = SAMPLES[0]
        cmd = f"insmod samples/livepatch/{fname}.ko {args}".strip()
        shell_runs = []
        for _ in range(opts.runs):
            shell_runs.append(measure(lambda: sh.run_line(cmd)))
            sh.run_line(f"rmmod {name}")
        errors = [ln for ln in lines if "ERROR" in ln or "internal error" in ln]
        rep.samples(f"shell `{cmd}`", shell_runs)
        rep.target(f"shell `{cmd}` (wall)", median([s.wall for s in shell_runs]), TARGET_S,
                   f"cpu {median([s.cpu for s in shell_runs]) * 1e3:.3f} ms")
        rep.check("shell insmod/rmmod ran without errors", not errors, "; ".join(errors[:2]))

        # A second machine with the same cache parses nothing again.
        k2 = Kernel.boot(elf_cache=cache)
        image = (MODULES / f"{SAMPLES[0][0]}.ko").read_bytes()
        k2.init_module(bytes(image), SAMPLES[0][1])  # a copy: same content, new object
        power_off(k2)
        total_loads = len(SAMPLES) * (opts.runs + 1) + opts.runs + 1
        rep.info("parse_elf calls", f"{boot_parses} at boot (vmlinux), {len(parses) - boot_parses} "
                                    f"for {total_loads} module loads on 2 machines")
        rep.check("each .ko parsed once (ELF cache by content hash)",
                  len(parses) - boot_parses == len(SAMPLES))
    finally:
        power_off(k)
        elf.parse_elf = real_parse  # type: ignore[assignment]
    return rep.done()


if __name__ == "__main__":
    main_guard(main)
