"""linux/fs.h helpers drivers' file operations use (fs/libfs.c, fs/read_write.c)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.abi import File, Inode
from kernel.api import kapi, s32, s64
from kernel.api.uaccess import copy_from_user, copy_to_user
from kernel.errno import Errno

if TYPE_CHECKING:
    from kernel.machine import Kernel

SEEK_SET, SEEK_CUR, SEEK_END = 0, 1, 2
FMODE_LSEEK, FMODE_PREAD, FMODE_PWRITE = 0x4, 0x8, 0x10
MAX_LFS_FILESIZE = (1 << 63) - 1


@kapi()
def simple_read_from_buffer(k: "Kernel", to: int, count: int, ppos: int, frm: int,
                            available: int) -> int:
    pos = k.mem.s64(ppos)
    if pos < 0:
        return -Errno.EINVAL
    if pos >= available or not count:
        return 0
    count = min(count, available - pos)
    ret = copy_to_user(k, to, frm + pos, count)
    if ret == count:
        return -Errno.EFAULT
    count -= ret
    k.mem.set_u64(ppos, pos + count)
    return count


@kapi()
def simple_write_to_buffer(k: "Kernel", to: int, available: int, ppos: int, frm: int,
                           count: int) -> int:
    pos = k.mem.s64(ppos)
    if pos < 0:
        return -Errno.EINVAL
    if pos >= available or not count:
        return 0
    count = min(count, available - pos)
    res = copy_from_user(k, to + pos, frm, count)
    if res == count:
        return -Errno.EFAULT
    count -= res
    k.mem.set_u64(ppos, pos + count)
    return count


@kapi()
def no_llseek(k: "Kernel", file: int, offset: int, whence: int) -> int:
    return -Errno.ESPIPE


@kapi()
def noop_llseek(k: "Kernel", file: int, offset: int, whence: int) -> int:
    return k.mem.u64(file + File.f_pos.offset)


@kapi()
def default_llseek(k: "Kernel", file: int, offset: int, whence: int) -> int:
    mem = k.mem
    fpos = file + File.f_pos.offset
    offset, whence = s64(offset), s32(whence)
    if whence == SEEK_END:
        inode = mem.u64(file + File.f_inode.offset)
        offset += mem.s64(inode + Inode.i_size.offset) if inode else 0
    elif whence == SEEK_CUR:
        offset += mem.s64(fpos)
    elif whence != SEEK_SET:
        return -Errno.EINVAL
    if offset < 0:
        return -Errno.EINVAL
    mem.set_u64(fpos, offset)
    mem.set_u64(file + File.f_version.offset, 0)
    return offset


@kapi()
def nonseekable_open(k: "Kernel", inode: int, file: int) -> int:
    mode = file + File.f_mode.offset
    k.mem.set_u32(mode, k.mem.u32(mode) & ~(FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE))
    return 0


@kapi()
def simple_open(k: "Kernel", inode: int, file: int) -> int:
    private = k.mem.u64(inode + Inode.i_private.offset)
    if private:
        k.mem.set_u64(file + File.private_data.offset, private)
    return 0
