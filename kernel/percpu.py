"""Per-CPU memory (mm/percpu.c, simplified): one area per CPU, UNIT bytes apart, carved from
the kernel heap the first time something needs it.  A per-CPU pointer is the address of
CPU 0's copy, and CPU N's copy is UNIT * N further on: vmlinux's __per_cpu_offset[] says so
to per_cpu_ptr().  Modules' .data..percpu sections and alloc_percpu() take their room from
the same first-fit allocator, and each CPU's copy starts as the section's data (or zeros)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.errno import Errno, KernelError
from kernel.record import field, record

if TYPE_CHECKING:
    from kernel.machine import Kernel

UNIT = 32 * 1024             # bytes of per-CPU data each CPU has (PCPU_MIN_UNIT_SIZE)


@record(eq=False)
class PerCpu:
    """The per-CPU areas of one machine."""

    base: int                                   # CPU 0's area
    ncpus: int
    free: list[tuple[int, int]] = field(default_factory=list)   # (offset, size), sorted
    used: dict[int, int] = field(default_factory=dict)          # offset -> size

    def alloc(self, size: int, align: int) -> int:
        """The CPU-0 address of SIZE bytes (ALIGN-aligned) in every CPU's area; ENOMEM."""
        size, align = max(size, 1), max(align, 8)
        for i, (off, room) in enumerate(self.free):
            start = (off + align - 1) & ~(align - 1)
            if start + size <= off + room:
                del self.free[i]
                if start > off:
                    self.free.insert(i, (off, start - off))
                    i += 1
                if start + size < off + room:
                    self.free.insert(i, (start + size, off + room - start - size))
                self.used[start] = size
                return self.base + start
        raise KernelError(Errno.ENOMEM)

    def release(self, addr: int) -> bool:
        """Give back what alloc() returned as ADDR; False if it is not a per-CPU allocation."""
        off = addr - self.base
        size = self.used.pop(off, None)
        if size is None:
            return False
        self.free.append((off, size))
        self.free.sort()
        merged: list[tuple[int, int]] = []
        for o, s in self.free:
            if merged and merged[-1][0] + merged[-1][1] == o:
                merged[-1] = (merged[-1][0], merged[-1][1] + s)
            else:
                merged.append((o, s))
        self.free = merged
        return True


def percpu(k: "Kernel") -> PerCpu:
    """The machine's per-CPU areas, made (and __per_cpu_offset[] filled) on first use."""
    if k.percpu is None:
        from kernel.machine import NR_CPUS
        base = k.heap.alloc(UNIT * NR_CPUS)
        k.mem.zero(base, UNIT * NR_CPUS)
        k.percpu = PerCpu(base, NR_CPUS, [(0, UNIT)])
        offsets = k.vmlinux.symbol("__per_cpu_offset") if k.vmlinux is not None else 0
        for cpu in range(NR_CPUS):
            if offsets:
                k.mem.set_u64(offsets + 8 * cpu, cpu * UNIT)
    return k.percpu


def pcpu_alloc(k: "Kernel", size: int, align: int, data: bytes = b"") -> int:
    """Room for SIZE bytes on every CPU, each copy holding DATA then zeros."""
    pc = percpu(k)
    addr = pc.alloc(size, align)
    for cpu in range(pc.ncpus):
        k.mem.zero(addr + cpu * UNIT, size)
        if data:
            k.mem.write(addr + cpu * UNIT, data[:size])
    return addr


def free_percpu(k: "Kernel", addr: int) -> bool:
    return k.percpu is not None and k.percpu.release(addr)
