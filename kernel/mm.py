"""Guest memory: one shared host mapping seen by every engine, and its allocators."""

from __future__ import annotations

import ctypes
import mmap
import struct

from kernel.errno import Errno, KernelError

# Guest physical = virtual layout, all below 2 GiB so -mcmodel=kernel immediates fit.
MEM_BASE = 0x0010_0000
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


class BadAddress(KernelError):
    """Kernel code touched a guest address outside guest memory (the host side of a fault)."""

    def __init__(self, addr: int) -> None:
        super().__init__(Errno.EFAULT, f"bad guest address {addr:#x}")
        self.addr = addr


def _closed_buffer() -> mmap.mmap:
    buf = mmap.mmap(-1, PAGE_SIZE)
    buf.close()
    return buf


class GuestMemory:
    """The bytes behind every engine's address space; reads and writes never go through Unicorn.

    A private anonymous mapping, populated lazily by the host; BUF, if given, is one a
    powered-off machine handed on (detach()), all zero again.
    """

    def __init__(self, base: int = MEM_BASE, size: int = MEM_SIZE, buf: mmap.mmap | None = None) -> None:
        self.base, self.size = base, size
        self.buf = buf if buf is not None else mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE)
        self.host_addr = ctypes.addressof(ctypes.c_char.from_buffer(self.buf))

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
        off = self._off(addr, len(data))
        self.buf[off:off + len(data)] = data

    def zero(self, addr: int, n: int) -> None:
        self.write(addr, bytes(n))

    def u64(self, addr: int) -> int:
        return _U64.unpack_from(self.buf, self._off(addr, 8))[0]

    def s64(self, addr: int) -> int:
        return _S64.unpack_from(self.buf, self._off(addr, 8))[0]

    def u32(self, addr: int) -> int:
        return _U32.unpack_from(self.buf, self._off(addr, 4))[0]

    def s32(self, addr: int) -> int:
        return _S32.unpack_from(self.buf, self._off(addr, 4))[0]

    def u16(self, addr: int) -> int:
        return _U16.unpack_from(self.buf, self._off(addr, 2))[0]

    def u8(self, addr: int) -> int:
        return self.buf[self._off(addr, 1)]

    def set_u64(self, addr: int, v: int) -> None:
        _U64.pack_into(self.buf, self._off(addr, 8), v & 0xFFFF_FFFF_FFFF_FFFF)

    def set_u32(self, addr: int, v: int) -> None:
        _U32.pack_into(self.buf, self._off(addr, 4), v & 0xFFFF_FFFF)

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


def _size_class(size: int) -> int:
    if size <= 16:
        return 16
    if size <= PAGE_SIZE:
        return 1 << (size - 1).bit_length()
    return (size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)


class Allocator:
    """kmalloc-style: power-of-two classes up to a page, page multiples above; naturally aligned."""

    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end
        self._bump = start
        self._free: dict[int, list[int]] = {}
        self.live: dict[int, int] = {}  # addr -> size class

    def alloc(self, size: int) -> int:
        cls = _size_class(max(size, 1))
        free = self._free.get(cls)
        if free:
            addr = free.pop()
        else:
            align = min(cls, PAGE_SIZE)
            addr = (self._bump + align - 1) & ~(align - 1)
            if addr + cls > self.end:
                raise KernelError(Errno.ENOMEM)
            self._bump = addr + cls
        self.live[addr] = cls
        return addr

    def free(self, addr: int) -> bool:
        """Return ADDR to its class; False if it was not allocated here (double free)."""
        cls = self.live.pop(addr, None)
        if cls is None:
            return False
        self._free.setdefault(cls, []).append(addr)
        return True

    def size_of(self, addr: int) -> int | None:
        return self.live.get(addr)

    @property
    def bytes_in_use(self) -> int:
        return sum(self.live.values())
