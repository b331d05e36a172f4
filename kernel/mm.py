"""Guest memory: one shared host mapping seen by every engine, and its allocators."""

from __future__ import annotations

import ctypes
import mmap
import struct
from functools import cache

from kernel.errno import Errno, KernelError
from kernel.record import record

# Guest physical = virtual layout, all below 2 GiB so -mcmodel=kernel immediates fit.
MEM_BASE = 0x0010_0000
# Linux's flag value (x86-64); Python's mmap names it only from 3.12
MAP_NORESERVE = getattr(mmap, "MAP_NORESERVE", 0x4000)
MEM_SIZE = 0x4000_0000          # 1 GiB, populated lazily by the host
STUB_BASE = 0x0010_0000         # host text: Python function stubs and host frame symbols
STUB_END = 0x0020_0000
VMLINUX_BASE = 0x0020_0000      # vmlinux image
MODULES_BASE = 0x0100_0000      # module core layouts
MODULES_END = 0x0800_0000
HEAP_BASE = 0x0800_0000         # kmalloc
HEAP_END = 0x2000_0000
STACKS_BASE = 0x2000_0000       # task stacks and host-owned kernel objects
STACKS_END = MEM_BASE + MEM_SIZE
PAGE_SIZE = 4096
THREAD_SIZE = 16 * 1024

_U64 = struct.Struct("<Q")
_S64 = struct.Struct("<q")
_U32 = struct.Struct("<I")
_S32 = struct.Struct("<i")
_U16 = struct.Struct("<H")
# the accessors called thousands of times a command take their methods bound once
_U64_UNPACK, _U64_PACK = _U64.unpack_from, _U64.pack_into
_U32_UNPACK, _U32_PACK = _U32.unpack_from, _U32.pack_into


class BadAddress(KernelError):
    """Kernel code touched a guest address outside guest memory (the host side of a fault)."""

    def __init__(self, addr: int) -> None:
        super().__init__(Errno.EFAULT, f"bad guest address {addr:#x}")
        self.addr = addr


@cache
def _closed_buffer() -> mmap.mmap:
    """A closed mapping, which every access refuses (ValueError): what a detached memory holds.
    One per process (a cache: a mapping made and unmapped at every power-off cost ~9 us of
    system time)."""
    buf = mmap.mmap(-1, PAGE_SIZE)
    buf.close()
    return buf


class GuestMemory:
    """The bytes behind every engine's address space; reads and writes never go through Unicorn.

    A private anonymous mapping, populated lazily by the host; BUF, if given, is one a
    powered-off machine handed on (detach()), all zero again. It is mapped MAP_NORESERVE: the
    host commits only the pages a guest touches, so machines side by side (a test session holds
    dozens) do not add up to more than the host's RAM, which makes fork() of the process (a pty
    child, gcc) fail with ENOMEM under the host's overcommit heuristic.
    """

    def __init__(self, base: int = MEM_BASE, size: int = MEM_SIZE, buf: mmap.mmap | None = None) -> None:
        self.base, self.size = base, size
        self.buf = buf if buf is not None else mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | MAP_NORESERVE)
        self.host_addr = ctypes.addressof(ctypes.c_char.from_buffer(self.buf))
        # PageTable.prot of the machine using it: kernel code's accesses to a page that is
        # not present fault too (rights are not checked: the kernel's own accessors, text_poke)
        self.present: bytearray | None = None

    def close(self) -> None:
        """Give the guest's pages back to the host (the machine is off)."""
        self.buf.close()

    def detach(self) -> mmap.mmap | None:
        """Give the guest's pages back to the host and hand the (now all-zero) mapping on,
        for the next machine; this object reads and writes nothing afterwards, as if closed.
        None (and closed) if the host cannot drop the pages."""
        buf, self.buf = self.buf, _closed_buffer()
        try:
            buf.madvise(mmap.MADV_DONTNEED)
        except (OSError, AttributeError, ValueError):
            buf.close()
            return None
        return buf

    def _off(self, addr: int, n: int) -> int:
        off = addr - self.base
        if off < 0 or off + n > self.size:
            # the fault is at the first byte outside guest memory
            raise BadAddress(addr if off < 0 or off >= self.size else self.base + self.size)
        present = self.present
        if present is not None and n > 0 and not (present[off >> PAGE_SHIFT] and present[(off + n - 1) >> PAGE_SHIFT]):
            first = off if not present[off >> PAGE_SHIFT] else ((off >> PAGE_SHIFT) + 1) << PAGE_SHIFT
            raise BadAddress(self.base + first)
        return off

    def check(self, addr: int, n: int) -> None:
        """Fault (BadAddress) unless all of [ADDR, ADDR+N) is guest memory: a bulk access
        by kernel code is refused up front, at the address it would have faulted on."""
        if n > 0:
            self._off(addr, n)

    def valid(self, addr: int, n: int = 1) -> bool:
        return 0 <= addr - self.base and addr - self.base + n <= self.size

    def read(self, addr: int, n: int) -> bytes:
        off = self._off(addr, n)
        return self.buf[off:off + n]

    def write(self, addr: int, data: bytes) -> None:
        n = len(data)
        off = addr - self.base
        p = self.present
        if not (0 <= off <= self.size - n and n and (p is None or (p[off >> PAGE_SHIFT] and p[(off + n - 1) >> PAGE_SHIFT]))):
            off = self._off(addr, n)    # (the checks of _off() inline above: its faults here)
        self.buf[off:off + n] = data

    def zero(self, addr: int, n: int) -> None:
        self.write(addr, bytes(n))

    def u64(self, addr: int) -> int:
        off = addr - self.base
        p = self.present
        if not (0 <= off <= self.size - 8 and (p is None or (p[off >> PAGE_SHIFT] and p[(off + 7) >> PAGE_SHIFT]))):
            off = self._off(addr, 8)    # (the checks of _off() inline above: its faults here)
        return _U64_UNPACK(self.buf, off)[0]

    def s64(self, addr: int) -> int:
        return _S64.unpack_from(self.buf, self._off(addr, 8))[0]

    def u32(self, addr: int) -> int:
        off = addr - self.base
        p = self.present
        if not (0 <= off <= self.size - 4 and (p is None or (p[off >> PAGE_SHIFT] and p[(off + 3) >> PAGE_SHIFT]))):
            off = self._off(addr, 4)
        return _U32_UNPACK(self.buf, off)[0]

    def s32(self, addr: int) -> int:
        return _S32.unpack_from(self.buf, self._off(addr, 4))[0]

    def u16(self, addr: int) -> int:
        return _U16.unpack_from(self.buf, self._off(addr, 2))[0]

    def u8(self, addr: int) -> int:
        return self.buf[self._off(addr, 1)]

    def set_u64(self, addr: int, v: int) -> None:
        off = addr - self.base
        p = self.present
        if not (0 <= off <= self.size - 8 and (p is None or (p[off >> PAGE_SHIFT] and p[(off + 7) >> PAGE_SHIFT]))):
            off = self._off(addr, 8)
        _U64_PACK(self.buf, off, v & 0xFFFF_FFFF_FFFF_FFFF)

    def set_u32(self, addr: int, v: int) -> None:
        off = addr - self.base
        p = self.present
        if not (0 <= off <= self.size - 4 and (p is None or (p[off >> PAGE_SHIFT] and p[(off + 3) >> PAGE_SHIFT]))):
            off = self._off(addr, 4)
        _U32_PACK(self.buf, off, v & 0xFFFF_FFFF)

    def set_u16(self, addr: int, v: int) -> None:
        _U16.pack_into(self.buf, self._off(addr, 2), v & 0xFFFF)

    def set_u8(self, addr: int, v: int) -> None:
        self.buf[self._off(addr, 1)] = v & 0xFF

    def cstr(self, addr: int, maxlen: int = 4096) -> str:
        """A NUL-terminated string (latin-1, so every byte survives)."""
        off = self._off(addr, 1)
        end = self.buf.find(b"\0", off, min(off + maxlen, self.size))
        if end < 0:
            end = min(off + maxlen, self.size)
        return self.buf[off:end].decode("latin-1")

    def strnlen(self, addr: int, maxlen: int) -> int:
        """Bytes before the first NUL at ADDR, looking at most MAXLEN bytes (and not past the
        end of guest memory); no copy is made."""
        off = self._off(addr, 1)
        stop = min(off + max(maxlen, 0), self.size)
        end = self.buf.find(b"\0", off, stop)
        return (end if end >= 0 else stop) - off

    def put_cstr(self, addr: int, s: str) -> None:
        self.write(addr, s.encode("latin-1", "replace") + b"\0")


PAGE_SHIFT = 12
KMALLOC_MIN = 16
MAX_ORDER = 14                  # the largest block: 64 MiB (a vmalloc'd module image)


def get_order(size: int) -> int:
    """The buddy order of a block of SIZE bytes (at least one page)."""
    pages = (max(size, 1) + PAGE_SIZE - 1) >> PAGE_SHIFT
    return (pages - 1).bit_length()


@cache
def _maximal_blocks(start: int, end: int, max_order: int) -> tuple[frozenset[int], ...]:
    """[start, end) as maximal naturally aligned blocks: their addresses, by order (a cache of
    the process: every machine's heap and module area are the same ranges)."""
    free: list[set[int]] = [set() for _ in range(max_order + 1)]
    addr = start
    while addr < end:
        order = max_order
        while order and (addr & ((PAGE_SIZE << order) - 1) or addr + (PAGE_SIZE << order) > end):
            order -= 1
        free[order].add(addr)
        addr += PAGE_SIZE << order
    return tuple(frozenset(blocks) for blocks in free)


class BuddyAllocator:
    """mm/page_alloc.c in miniature: blocks of 2^order pages, naturally aligned; a freed block
    merges with its free buddy, so freed memory serves any later size."""

    def __init__(self, start: int, end: int, max_order: int = MAX_ORDER) -> None:
        self.start, self.end, self.max_order = start, end, max_order
        self.order_of: dict[int, int] = {}          # allocated block -> its order
        self.pages_in_use = 0
        self._free: list[set[int]] = [set(blocks) for blocks in _maximal_blocks(start, end, max_order)]

    def alloc_order(self, order: int) -> int:
        """A block of 2^ORDER pages (lowest free address first); ENOMEM if none is left."""
        if order > self.max_order:
            raise KernelError(Errno.ENOMEM)
        o = order
        while o <= self.max_order and not self._free[o]:
            o += 1
        if o > self.max_order:
            raise KernelError(Errno.ENOMEM)
        addr = self._free[o].pop()
        while o > order:                            # split: the upper halves stay free
            o -= 1
            self._free[o].add(addr + (PAGE_SIZE << o))
        self.order_of[addr] = order
        self.pages_in_use += 1 << order
        return addr

    def free(self, addr: int) -> bool:
        """Give a block back, merging it with its buddies; False if ADDR is not a block."""
        order = self.order_of.pop(addr, None)
        if order is None:
            return False
        self.pages_in_use -= 1 << order
        while order < self.max_order:
            buddy = self.start + ((addr - self.start) ^ (PAGE_SIZE << order))
            if buddy not in self._free[order]:
                break
            self._free[order].discard(buddy)
            addr = min(addr, buddy)
            order += 1
        self._free[order].add(addr)
        return True

    @property
    def free_pages(self) -> int:
        return sum(len(s) << o for o, s in enumerate(self._free))

    def copy(self) -> "BuddyAllocator":
        """An allocator in this one's state, with free lists of its own."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new._free = [set(s) for s in self._free]
        new.order_of = dict(self.order_of)
        return new


@record(eq=False)
class _Slab:
    """One page of kmalloc-SIZE objects and those of them that are free (LIFO)."""

    page: int
    free: list[int]


class Allocator:
    """kmalloc over the buddy allocator (mm/slub.c, simplified): objects up to a page come
    from the slabs of power-of-two kmalloc-N classes (one page each, naturally aligned
    objects); bigger ones are whole buddy blocks (kmalloc_large). A slab whose objects are all
    free goes back to the buddy allocator (one empty slab per class is kept)."""

    def __init__(self, start: int, end: int, max_order: int = MAX_ORDER) -> None:
        self.start, self.end = start, end
        self.pages = BuddyAllocator(start, end, max_order)
        self.live: dict[int, int] = {}              # addr -> its size (class or block)
        self._partial: dict[int, dict[int, _Slab]] = {}   # class -> page -> slab with free objects
        self._slab_of: dict[int, _Slab] = {}        # page -> slab (kmalloc pages only)
        self._empty: dict[int, _Slab] = {}          # class -> the one empty slab kept
        self.bytes_in_use = 0

    @staticmethod
    def size_class(size: int) -> int:
        if size <= KMALLOC_MIN:
            return KMALLOC_MIN
        if size <= PAGE_SIZE:
            return 1 << (size - 1).bit_length()
        return PAGE_SIZE << get_order(size)

    def alloc(self, size: int) -> int:
        """SIZE bytes, naturally aligned to their class; ENOMEM when memory is exhausted."""
        if size < PAGE_SIZE:                # size_class(), inlined: most calls are small
            cls = KMALLOC_MIN if size <= KMALLOC_MIN else 1 << (size - 1).bit_length()
        else:
            cls = self.size_class(size)
        if cls >= PAGE_SIZE:
            addr = self.pages.alloc_order(get_order(cls))
        else:
            addr = self._slab_alloc(cls)
        self.live[addr] = cls
        self.bytes_in_use += cls
        return addr

    def _slab_alloc(self, cls: int) -> int:
        partial = self._partial.get(cls)
        if partial is None:
            partial = self._partial[cls] = {}
        if partial:
            slab = partial[next(reversed(partial))]
        else:
            slab = self._empty.pop(cls, None)
            if slab is None:
                page = self.pages.alloc_order(0)
                slab = _Slab(page, list(range(page + PAGE_SIZE - cls, page - 1, -cls)))
                self._slab_of[page] = slab
            partial[slab.page] = slab
        addr = slab.free.pop()
        if not slab.free:
            del partial[slab.page]
        return addr

    def free(self, addr: int) -> bool:
        """Return ADDR; False if it was not allocated here (double free)."""
        cls = self.live.pop(addr, None)
        if cls is None:
            return False
        self.bytes_in_use -= cls
        if cls >= PAGE_SIZE:
            self.pages.free(addr)
            return True
        page = addr & ~(PAGE_SIZE - 1)
        slab = self._slab_of[page]
        slab.free.append(addr)
        partial = self._partial[cls]
        if len(slab.free) == PAGE_SIZE // cls:           # every object free: the slab goes
            partial.pop(page, None)
            if cls in self._empty:
                del self._slab_of[page]
                self.pages.free(page)
            else:
                self._empty[cls] = slab
        elif len(slab.free) == 1:
            partial[page] = slab
        return True

    def size_of(self, addr: int) -> int | None:
        return self.live.get(addr)

    def copy(self) -> "Allocator":
        """An allocator in this one's state, with slabs and free lists of its own (the two
        go apart from here: a recorded boot's heap, kernel.boottasks)."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.pages = self.pages.copy()
        new.live = dict(self.live)
        slabs = new._slab_of = {page: _Slab(slab.page, list(slab.free)) for page, slab in self._slab_of.items()}
        new._partial = {cls: {page: slabs[page] for page in partial} for cls, partial in self._partial.items()}
        new._empty = {cls: slabs[slab.page] for cls, slab in self._empty.items()}
        return new

    @property
    def pages_in_use(self) -> int:
        return self.pages.pages_in_use


class StackAllocator:
    """Task stacks (vmalloc'd, CONFIG_VMAP_STACK): THREAD_SIZE each with a guard page below it
    (never mapped), in slots reused as tasks exit."""

    SLOT = THREAD_SIZE + PAGE_SIZE

    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end
        self._next = start
        self._free: list[int] = []
        self.in_use = 0

    def alloc(self) -> int:
        """The lowest address of a new stack (its guard page is the page below)."""
        if self._free:
            base = self._free.pop()
        else:
            if self._next + self.SLOT > self.end:
                raise KernelError(Errno.ENOMEM)
            base = self._next + PAGE_SIZE
            self._next += self.SLOT
        self.in_use += 1
        return base

    def free(self, base: int) -> None:
        self._free.append(base)
        self.in_use -= 1

    def guard_of(self, addr: int) -> bool:
        """ADDR lies in a guard page."""
        return self.start <= addr < self._next and (addr - self.start) % self.SLOT < PAGE_SIZE


# Page protections (the values are Unicorn's UC_PROT_* bits)
PROT_NONE, PROT_READ, PROT_WRITE, PROT_EXEC = 0, 1, 2, 4
PROT_RO = PROT_READ                     # rodata
PROT_RX = PROT_READ | PROT_EXEC         # text
PROT_RW = PROT_READ | PROT_WRITE        # data, heap, stacks: NX
PROT_RWX = PROT_READ | PROT_WRITE | PROT_EXEC


class PageTable:
    """The kernel's page tables, reduced to what they enforce: per 4 KiB page of guest memory,
    present or not and its rights. Every engine's TLB is filled from here (kernel.cpu); an
    address outside guest memory is never present.

    Layout at boot: the stub page and vmlinux text RX, vmlinux rodata RO and data RW; module
    space not present until module_alloc(), whose text becomes RX and rodata RO once relocated
    (STRICT_MODULE_RWX), not present again once freed; heap RW; task stacks RW with a guard
    page (not present) below each. A change that takes rights away bumps GENERATION: each
    engine flushes its TLB before it next runs guest code.
    """

    def __init__(self, base: int = MEM_BASE, size: int = MEM_SIZE, prot: bytes | None = None) -> None:
        """Nothing present, or the rights PROT gives each page (a layout made before)."""
        self.base = base
        self.npages = size >> PAGE_SHIFT
        if prot is not None and len(prot) != self.npages:
            raise ValueError(f"a page table of {self.npages} pages, not {len(prot)}")
        self.prot = bytearray(self.npages) if prot is None else bytearray(prot)
        self.generation = 0
        self.changed: list[tuple[int, int]] = []    # page ranges protect()/pattern() set

    @classmethod
    def from_layout(cls, layout: bytes, spare: "tuple[bytearray, list[tuple[int, int]]] | None",
                    base: int = MEM_BASE) -> "PageTable":
        """A page table holding LAYOUT (a boot's), in SPARE's table if given (what hand_on()
        gave: only the ranges its machine changed are set back; else all is copied)."""
        if spare is None or len(spare[0]) != len(layout):
            return cls(base, len(layout) << PAGE_SHIFT, layout)
        prot, changed = spare
        if len(changed) > 64:
            prot[:] = layout
        else:
            for lo, hi in changed:
                prot[lo:hi] = layout[lo:hi]
        pt = cls(base, 0)
        pt.npages, pt.prot = len(prot), prot
        return pt

    def hand_on(self) -> tuple[bytearray, list[tuple[int, int]]]:
        """The machine is off: its table and the ranges it changed, for from_layout() of the
        next machine; this one has no page present any more (as its memory is detached)."""
        spare = (self.prot, self.changed)
        self.prot, self.npages, self.changed = bytearray(), 0, []
        return spare

    def _range(self, addr: int, size: int) -> tuple[int, int]:
        first = (addr - self.base) >> PAGE_SHIFT
        last = (addr + max(size, 1) - 1 - self.base) >> PAGE_SHIFT
        return max(first, 0), min(last + 1, self.npages)

    def protect(self, addr: int, size: int, prot: int) -> None:
        """Give every page of [ADDR, ADDR+SIZE) the rights PROT (PROT_NONE: not present)."""
        lo, hi = self._range(addr, size)
        if hi <= lo:
            return
        lost = self.prot[lo:hi].translate(_LOST[prot])
        if lost != bytes(hi - lo):          # (a compare: strip() of 256 KiB took a millisecond)
            self.generation += 1
        self.prot[lo:hi] = bytes((prot,)) * (hi - lo)
        self.changed.append((lo, hi))

    def pattern(self, addr: int, size: int, page_prots: bytes) -> None:
        """Fill [ADDR, ADDR+SIZE) with PAGE_PROTS repeated, a page each (boot only)."""
        lo, hi = self._range(addr, size)
        n = hi - lo
        self.prot[lo:hi] = (page_prots * (n // len(page_prots) + 1))[:n]
        self.changed.append((lo, hi))

    def get(self, addr: int) -> int:
        """The rights of the page holding ADDR (PROT_NONE: not present)."""
        i = (addr - self.base) >> PAGE_SHIFT
        return self.prot[i] if 0 <= i < self.npages else PROT_NONE

    def present(self, addr: int) -> bool:
        return self.get(addr) != PROT_NONE


# For each new protection: a translation table turning an old protection into the rights it
# loses (nonzero when the change takes rights away); a byte's rights are its low three bits, so
# each table is the one of 0..7 over again.
_LOST = {p: bytes((o & ~p) & PROT_RWX for o in range(8)) * 32 for p in range(8)}
