"""drivers/char/mem.c: the memory devices every system has on major 1 (/dev/null, /dev/zero,
/dev/full, /dev/random, /dev/urandom), served by the kernel itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.errno import Errno, KernelError
from kernel.fs.char_dev import MKDEV
from kernel.fs.file import HostFops, OpenFile

if TYPE_CHECKING:
    from kernel.machine import Kernel

MEM_MAJOR = 1


class NullFops(HostFops):
    """read_null/write_null: end of file at once; every write is taken whole."""

    def read(self, f: OpenFile, count: int) -> bytes:
        return b""

    def write(self, f: OpenFile, data: bytes) -> int:
        return len(data)

    def llseek(self, f: OpenFile, offset: int, whence: int) -> int:
        return 0                                    # null_lseek()


class ZeroFops(NullFops):
    """read_iter_zero: as many zero bytes as asked for."""

    def read(self, f: OpenFile, count: int) -> bytes:
        return bytes(count)


class FullFops(ZeroFops):
    """write_full: the device is always full."""

    def write(self, f: OpenFile, data: bytes) -> int:
        raise KernelError(Errno.ENOSPC)


class RandomFops(NullFops):
    """random_read/urandom_read: bytes of the machine's input pool (writes mix in, ignored)."""

    def read(self, f: OpenFile, count: int) -> bytes:
        return bytes(f.k.random.getrandbits(8) for _ in range(min(count, 512)))


def chr_dev_init(k: "Kernel") -> None:
    """chr_dev_init(): the nodes of the memory devices, mode 0666 as udev makes them."""
    devices = (("null", 3, NullFops()), ("zero", 5, ZeroFops()), ("full", 7, FullFops()),
               ("random", 8, RandomFops()), ("urandom", 9, RandomFops()))
    for name, minor, fops in devices:
        node = k.devtmpfs.create_node(name, 0o666, MKDEV(MEM_MAJOR, minor))
        node.host = fops
        node.get_fops = None
