"""new_inode() makes the whole struct inode with one Struct.pack (kernel/fs/file.py): the
same bytes as the inode put together field by field."""

from __future__ import annotations

import struct

from conftest import needs_kernel

pytestmark = needs_kernel


def _by_fields(addr: int, ino_nr: int, mode: int, rdev: int, private: int, fops: int) -> bytes:
    from kernel.abi import Inode
    buf = bytearray(Inode.size)
    for member, fmt, value in (("i_mode", "<H", mode), ("i_rdev", "<I", rdev), ("i_nlink", "<I", 1),
                               ("i_count", "<I", 1), ("i_private", "<Q", private), ("i_fop", "<Q", fops),
                               ("i_ino", "<Q", ino_nr), ("i_mapping", "<Q", addr + Inode.i_data.offset),
                               ("i_data", "<Q", addr)):            # i_data.host
        struct.pack_into(fmt, buf, getattr(Inode, member).offset, value)
    for member in ("i_devices", "i_lru", "i_sb_list", "i_wb_list", "i_io_list"):
        head = addr + getattr(Inode, member).offset                 # empty: next = prev = head
        struct.pack_into("<QQ", buf, head - addr, head, head)
    return bytes(buf)


def test_an_inode_is_its_fields(kernel):
    from kernel.abi import Inode
    from kernel.fs.file import new_inode
    for mode, rdev, private, fops in ((0o100644, 0, 0, 0), (0o20666, (1 << 20) | 3, 0x0800_1234, 0x0020_0040),
                                      (0o40555, 0xFFFF_FFFF, (1 << 64) - 1, 1)):
        addr = new_inode(kernel, mode, rdev, private, fops)
        nr = kernel.mem.u64(addr + Inode.i_ino.offset)
        assert kernel.mem.read(addr, Inode.size) == _by_fields(addr, nr, mode, rdev, private, fops)
