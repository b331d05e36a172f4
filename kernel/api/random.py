"""linux/random.h: get_random_bytes() and prandom (drivers/char/random.c, lib/random32.c).

Both are deterministic generators seeded at boot (Kernel.random, Kernel.prandom), so a batch
run gives the same numbers every time; prandom_seed() mixes a seed in, as in Linux.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from kernel.api import kapi

if TYPE_CHECKING:
    from kernel.machine import Kernel


@kapi()
def get_random_bytes(k: "Kernel", buf: int, nbytes: int) -> None:
    n = nbytes & 0xFFFFFFFF
    if n >> 31 or not n:       # int nbytes: nothing for zero or negative
        return
    k.mem.write(buf, k.random.randbytes(n))


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
    digest = hashlib.blake2b(k.mem.read(buf, size & 0xFFFFFFFF), digest_size=8).digest()
    k.random.seed(k.random.getrandbits(64) ^ int.from_bytes(digest, "little"))


@kapi()
def prandom_u32(k: "Kernel") -> int:
    return k.prandom.getrandbits(32)


@kapi()
def prandom_bytes(k: "Kernel", buf: int, nbytes: int) -> None:
    if nbytes:
        k.mem.write(buf, k.prandom.randbytes(nbytes))


@kapi()
def prandom_seed(k: "Kernel", seed: int) -> None:
    k.prandom.seed(k.prandom.getrandbits(64) ^ (seed & 0xFFFFFFFF))
