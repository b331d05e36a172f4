"""Mutated .ko files into insmod: truncations, flips in the ELF header, section headers,
symbol table, relocations and anywhere else. Each load must end as the kernel's loader ends
it (an errno, or an Oops of module code that kills insmod), and the modules loaded before
it must stay."""

from __future__ import annotations

import random
import struct
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from fuzz.common import Case, Findings, power_off, watched_boot

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.module.elf import ElfCache

MODULES = Path(__file__).resolve().parent.parent / "modules"
TARGET = "livepatch-callbacks-mod"         # loaded first, and must survive every mutant
SOURCES = ("livepatch-callbacks-demo", "livepatch-shadow-fix1", "livepatch-callbacks-busymod",
           "livepatch-sample", "livepatch-shadow-mod", "livepatch-callbacks-mod")
PER_BOOT = 200
S = 1_000_000_000
KINDS = ("trunc", "ehdr", "shdr", "shdr", "symtab", "rela", "flip")


def mutations(data: bytes, n: int, seed: int) -> Iterator[tuple[str, bytes]]:
    """N mutants of DATA (kind, image), deterministic for SEED."""
    rng = random.Random(seed)
    shoff = struct.unpack_from("<Q", data, 0x28)[0]
    shnum = struct.unpack_from("<H", data, 0x3C)[0]
    tables = {t: [i for i in range(shnum) if struct.unpack_from("<I", data, shoff + 64 * i + 4)[0] == t]
              for t in (2, 4)}
    for _ in range(n):
        d = bytearray(data)
        kind = rng.choice(KINDS)
        if kind == "trunc":
            d = d[:rng.randrange(len(d))]
        elif kind == "ehdr":
            d[rng.randrange(64)] = rng.randrange(256)
        elif kind == "shdr":
            off = shoff + 64 * rng.randrange(shnum) + rng.choice((4, 8, 16, 24, 32, 40, 44, 48, 56))
            w = rng.choice((1, 4, 8))
            d[off:off + w] = rng.choice((0, 1, (1 << 8 * w) - 1, rng.getrandbits(8 * w))).to_bytes(w, "little")
        elif kind in ("symtab", "rela"):
            sec = rng.choice(tables[2 if kind == "symtab" else 4])
            o, sz = struct.unpack_from("<QQ", d, shoff + 64 * sec + 24)
            e = o + 24 * rng.randrange(max(sz // 24, 1))
            d[e:e + 8] = rng.getrandbits(64).to_bytes(8, "little")
        else:
            for _ in range(rng.randint(1, 8)):
                p = rng.randrange(len(d))
                d[p] ^= 1 << rng.randrange(8)
        yield kind, bytes(d)


def _boot(elf_cache: "ElfCache | None") -> "Kernel":
    k = watched_boot(elf_cache)
    k.init_module((MODULES / f"{TARGET}.ko").read_bytes(), "")
    return k


def unload_all_but(k: "Kernel", keep: str) -> bool:
    """Disable and unload every module but KEEP; False if that cannot be done (a module
    half removed stays GOING for good, as on Linux: the machine is then replaced)."""
    from kernel.errno import KernelError
    from kernel.sched import SyscallAbandoned, TaskKilled
    for name in list(k.modules):
        if name == keep:
            continue
        try:
            if k.fs.exists(f"/sys/kernel/livepatch/{name}/enabled"):
                try:
                    k.fs.write(f"/sys/kernel/livepatch/{name}/enabled", "0\n")
                except KernelError:
                    pass
                k.run_for(2 * S)
            k.delete_module(name)
        except KernelError:
            pass
        except (TaskKilled, SyscallAbandoned):
            return False
    return not (set(k.modules) - {keep})


def fuzz_elf_mutants(seed: int, count: int, findings: Findings,
                     elf_cache: "ElfCache | None" = None) -> None:
    """COUNT mutants, spread over the sample modules."""
    from kernel.errno import KernelError
    from kernel.sched import SyscallAbandoned, TaskKilled
    keep = TARGET.replace("-", "_")
    per_source = -(-count // len(SOURCES))
    cases = []
    for i, src in enumerate(SOURCES):
        cases.extend((src, kind, img) for kind, img in
                     mutations((MODULES / f"{src}.ko").read_bytes(), per_source, seed * 31 + i))
    random.Random(seed).shuffle(cases)
    k = _boot(elf_cache)
    since = 0
    for i, (src, kind, image) in enumerate(cases[:count]):
        what = f"#{i} {src} {kind}"
        with Case(findings, k, what) as case:
            case.fresh = since >= PER_BOOT
            try:
                k.init_module(image, "")
                findings.note("loaded")
                case.fresh |= not unload_all_but(k, keep)
            except KernelError as e:
                findings.note(f"errno {e.errno.name}")
            except (TaskKilled, SyscallAbandoned):
                findings.note("insmod killed or left")
                case.fresh = True
        since += 1
        if keep not in k.modules:
            findings.violation(f"{what}: {keep} was unloaded by a mutant's insmod")
            case.fresh = True
        if case.fresh:
            power_off(k)
            k, since = _boot(elf_cache), 0
    power_off(k)
