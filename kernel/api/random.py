"""linux/random.h: get_random_bytes() and prandom (drivers/char/random.c, lib/random32.c).

Both are deterministic generators seeded at boot (Kernel.random, Kernel.prandom), so a batch
run gives the same numbers every time; prandom_seed() mixes a seed in, as in Linux.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from kernel.api import kapi

if TYPE_CHECKING:
    from kernel.machine import Kernel


CHUNK = 1 << 20


def fill_random(k: "Kernel", rng: random.Random, buf: int, n: int) -> None:
    """Write N bytes of RNG's output at BUF, a chunk at a time; a range that leaves guest
    memory faults where it leaves it (before any byte is written)."""
    k.mem.check(buf, n)
    for off in range(0, n, CHUNK):
        k.mem.write(buf + off, rng.randbytes(min(CHUNK, n - off)))


@kapi()
def get_random_bytes(k: "Kernel", buf: int, nbytes: int) -> None:
    n = nbytes & 0xFFFFFFFF
    if n >> 31 or not n:       # int nbytes: nothing for zero or negative
        return
    fill_random(k, k.random, buf, n)


@kapi()
def wait_for_random_bytes(k: "Kernel") -> int:
    return 0                   # the pool is initialised at boot


@kapi()
def get_random_u32(k: "Kernel") -> int:
    return k.random.getrandbits(32)


@kapi()
def get_random_u64(k: "Kernel") -> int:
    return k.random.getrandbits(64)


@kapi()
def add_device_randomness(k: "Kernel", buf: int, size: int) -> None:
    n = size & 0xFFFFFFFF
    k.mem.check(buf, n)
    import hashlib  # here: rarely called (start-up)

    h = hashlib.blake2b(digest_size=8)
    for off in range(0, n, CHUNK):
        h.update(k.mem.read(buf + off, min(CHUNK, n - off)))
    digest = h.digest()
    k.random.seed(k.random.getrandbits(64) ^ int.from_bytes(digest, "little"))


@kapi()
def prandom_u32(k: "Kernel") -> int:
    return k.prandom.getrandbits(32)


@kapi()
def prandom_bytes(k: "Kernel", buf: int, nbytes: int) -> None:
    fill_random(k, k.prandom, buf, nbytes)     # size_t bytes


@kapi()
def prandom_seed(k: "Kernel", seed: int) -> None:
    k.prandom.seed(k.prandom.getrandbits(64) ^ (seed & 0xFFFFFFFF))
