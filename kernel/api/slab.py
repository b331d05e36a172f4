"""linux/slab.h, linux/string.h allocation helpers: kmalloc and friends over the guest heap."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import kapi
from kernel.errno import KernelError

if TYPE_CHECKING:
    from kernel.machine import Kernel

KMALLOC_MAX = 4 << 20
ZERO_SIZE_PTR = 16


class Slab:
    """kmalloc/kfree over the heap allocator, with the kernel's complaints about misuse."""

    def __init__(self, k: "Kernel") -> None:
        self.k = k

    def kmalloc(self, size: int, zero: bool = False) -> int:
        if size == 0:
            return ZERO_SIZE_PTR
        if size > KMALLOC_MAX:
            return 0
        try:
            addr = self.k.heap.alloc(size)
        except KernelError:
            return 0
        if zero:
            self.k.mem.zero(addr, size)
        return addr

    def owns(self, addr: int) -> bool:
        return self.k.heap.size_of(addr) is not None

    def kfree(self, addr: int) -> None:
        if addr in (0, ZERO_SIZE_PTR):
            return
        if not self.k.heap.free(addr):
            self.k.warn_on(f"kfree of unknown or already freed object {addr:#x}")


__GFP_ZERO = 0x8000


@kapi()
def kmalloc(k: "Kernel", size: int, flags: int) -> int:
    return k.slab.kmalloc(size, zero=bool(flags & __GFP_ZERO))


@kapi("__kmalloc")
def kmalloc_(k: "Kernel", size: int, flags: int) -> int:
    return kmalloc(k, size, flags)


@kapi()
def kzalloc(k: "Kernel", size: int, flags: int) -> int:
    return k.slab.kmalloc(size, zero=True)


@kapi()
def kcalloc(k: "Kernel", n: int, size: int, flags: int) -> int:
    if size and n > KMALLOC_MAX // size:
        return 0
    return k.slab.kmalloc(n * size, zero=True)


@kapi()
def kmalloc_array(k: "Kernel", n: int, size: int, flags: int) -> int:
    if size and n > KMALLOC_MAX // size:
        return 0
    return k.slab.kmalloc(n * size, zero=bool(flags & __GFP_ZERO))


@kapi()
def krealloc(k: "Kernel", p: int, size: int, flags: int) -> int:
    new = k.slab.kmalloc(size)
    if new and p not in (0, ZERO_SIZE_PTR):
        old = k.heap.size_of(p) or 0
        k.mem.write(new, k.mem.read(p, min(old, size)))
        k.slab.kfree(p)
    return new


@kapi()
def kfree(k: "Kernel", p: int) -> None:
    k.slab.kfree(p)


@kapi()
def kstrdup(k: "Kernel", s: int, flags: int) -> int:
    if not s:
        return 0
    text = k.mem.cstr(s, 1 << 20)
    p = k.slab.kmalloc(len(text) + 1)
    if p:
        k.mem.put_cstr(p, text)
    return p


@kapi()
def kstrndup(k: "Kernel", s: int, maxlen: int, flags: int) -> int:
    if not s:
        return 0
    text = k.mem.cstr(s, maxlen)
    p = k.slab.kmalloc(len(text) + 1)
    if p:
        k.mem.put_cstr(p, text)
    return p


@kapi()
def kmemdup(k: "Kernel", src: int, size: int, flags: int) -> int:
    p = k.slab.kmalloc(size)
    if p and size:
        k.mem.write(p, k.mem.read(src, size))
    return p


@kapi()
def ksize(k: "Kernel", p: int) -> int:
    return k.heap.size_of(p) or 0


# vmalloc space is the same heap here: only the size limit differs from kmalloc
VMALLOC_MAX = 64 << 20


def _vmalloc(k: "Kernel", size: int, zero: bool) -> int:
    if not size or size > VMALLOC_MAX:
        return 0
    try:
        addr = k.heap.alloc(size)
    except KernelError:
        return 0
    if zero:
        k.mem.zero(addr, size)
    return addr


@kapi()
def vmalloc(k: "Kernel", size: int) -> int:
    return _vmalloc(k, size, False)


@kapi()
def vzalloc(k: "Kernel", size: int) -> int:
    return _vmalloc(k, size, True)


@kapi()
def vfree(k: "Kernel", p: int) -> None:
    k.slab.kfree(p)


@kapi()
def kvmalloc_node(k: "Kernel", size: int, flags: int, node: int) -> int:
    if size <= KMALLOC_MAX:
        return kmalloc(k, size, flags)
    return _vmalloc(k, size, bool(flags & __GFP_ZERO))


@kapi()
def kvfree(k: "Kernel", p: int) -> None:
    k.slab.kfree(p)
