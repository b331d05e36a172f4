"""Random arguments to every registered Python kernel function, called from a user task as
guest code would call it: each call must end as the kernel would (a return value, an Oops or
a WARN in the task, the task blocked), never as a Python failure of the function itself."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from fuzz.common import Case, Findings, power_off, watched_boot

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.module.elf import ElfCache

PER_BOOT = 40                 # calls on one machine before a fresh one is booted
BUF_SIZE = 8192
ODD_POINTERS = (0x10, 0x1000, 0xFFFF_C900_0012_3456, 0xDEAD_0000_0000_0100, 0x7FFF_FFFF, 1 << 31,
                1 << 40, (1 << 64) - 16, 0xFFFF_8880_0000_0000)
HUGE = (1 << 20, 1 << 30, 1 << 31, (1 << 31) - 1, 1 << 32, 1 << 62, 1 << 63, (1 << 64) - 1)


class Arena:
    """Guest buffers a call's pointer arguments point into: zeroed, random, printf-like text,
    and one full of pointers to the others (for functions that follow pointers)."""

    def __init__(self, k: "Kernel", rng: random.Random) -> None:
        self.bufs = [k.heap.alloc(BUF_SIZE) for _ in range(4)]
        zero, noise, text, ptrs = self.bufs
        k.mem.zero(zero, BUF_SIZE)
        k.mem.write(noise, rng.randbytes(BUF_SIZE))
        k.mem.write(text, (b"name %s %d %p %pS %*ph\n\0" * 400)[:BUF_SIZE])
        k.mem.write(ptrs, b"".join(rng.choice(self.bufs[:3]).to_bytes(8, "little")
                                   for _ in range(BUF_SIZE // 8)))


def _value(rng: random.Random, k: "Kernel", arena: Arena) -> int:
    c = rng.randrange(13)
    if c == 0:
        return 0
    if c == 1:
        return rng.randrange(16)
    if c == 2:
        return (1 << 64) - rng.randrange(1, 5000)         # small negatives, -errno
    if c == 3:
        return rng.getrandbits(64)
    if c == 4:
        return rng.choice(ODD_POINTERS)
    if c in (5, 6, 7, 8):
        return rng.choice(arena.bufs) + rng.choice((0, 0, 8, 16, 100, BUF_SIZE - 8))
    if c == 9:
        return rng.choice(k.cpu.stubs).addr                # a kernel function as a pointer
    if c == 10:
        return rng.choice(HUGE)
    if c == 11:
        return rng.getrandbits(32)
    return rng.randrange(1, 4096)


def fuzz_kernel_calls(seed: int, count: int, findings: Findings,
                      elf_cache: "ElfCache | None" = None) -> None:
    """COUNT random calls, each of a function chosen at random, with random arguments."""
    from kernel.errno import KernelError
    from kernel.sched import SyscallAbandoned, TaskKilled

    rng = random.Random(seed)
    k = watched_boot(elf_cache)
    arena = Arena(k, rng)
    names = sorted(n for n in k.apis if n in k.cpu.stub_by_name)
    since_boot = 0
    for i in range(count):
        if since_boot >= PER_BOOT:
            power_off(k)
            k, since_boot = watched_boot(elf_cache), 0
            arena = Arena(k, rng)
        since_boot += 1
        stub = k.cpu.stub_by_name[rng.choice(names)]
        nargs = stub.nargs + (rng.randrange(5) if stub.variadic else 0)
        args = tuple(_value(rng, k, arena) for _ in range(nargs))
        what = f"#{i} {stub.name}({', '.join(hex(a) for a in args)})"
        with Case(findings, k, what) as case:
            try:
                k.syscall("fuzz", lambda: k.cpu.call(k.current, stub.addr, args, via="do_syscall_64"))
                findings.note("returned")
            except (KernelError, TaskKilled):
                findings.note("error or killed")
            except SyscallAbandoned:
                findings.note("blocked")
                case.fresh = True
        if case.fresh:
            power_off(k)
            k, since_boot = watched_boot(elf_cache), 0
            arena = Arena(k, rng)
    power_off(k)
