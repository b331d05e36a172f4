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


SEEK_DATA, SEEK_HOLE = 3, 4
FMODE_UNSIGNED_OFFSET = 0x2000


@kapi()
def vfs_setpos(k: "Kernel", file: int, offset: int, maxsize: int) -> int:
    """Set f_pos to OFFSET if it is within 0..MAXSIZE: the new position or -EINVAL."""
    mem = k.mem
    offset, maxsize = s64(offset), s64(maxsize)
    unsigned = bool(mem.u32(file + File.f_mode.offset) & FMODE_UNSIGNED_OFFSET)
    if (offset < 0 and not unsigned) or offset > maxsize:
        return -Errno.EINVAL
    fpos = file + File.f_pos.offset
    if offset != mem.s64(fpos):
        mem.set_u64(fpos, offset)
        mem.set_u64(file + File.f_version.offset, 0)
    return offset


@kapi()
def generic_file_llseek_size(k: "Kernel", file: int, offset: int, whence: int, maxsize: int,
                             eof: int) -> int:
    offset, whence, eof = s64(offset), s32(whence), s64(eof)
    if whence == SEEK_END:
        offset += eof
    elif whence == SEEK_CUR:
        pos = k.mem.s64(file + File.f_pos.offset)
        if offset == 0:
            return pos
        return vfs_setpos(k, file, pos + offset, maxsize)
    elif whence == SEEK_DATA:
        if offset & (2**64 - 1) >= eof:
            return -Errno.ENXIO
    elif whence == SEEK_HOLE:
        if offset & (2**64 - 1) >= eof:
            return -Errno.ENXIO
        offset = eof
    elif whence != SEEK_SET:
        return -Errno.EINVAL
    return vfs_setpos(k, file, offset, maxsize)


@kapi()
def generic_file_llseek(k: "Kernel", file: int, offset: int, whence: int) -> int:
    """Seek within the inode's size (i_size_read(file->f_mapping->host)), up to the largest
    file size (s_maxbytes: MAX_LFS_FILESIZE here)."""
    inode = k.mem.u64(file + File.f_inode.offset)
    size = k.mem.s64(inode + Inode.i_size.offset) if inode else 0
    return generic_file_llseek_size(k, file, offset, whence, MAX_LFS_FILESIZE, size)


@kapi()
def fixed_size_llseek(k: "Kernel", file: int, offset: int, whence: int, size: int) -> int:
    if s32(whence) in (SEEK_SET, SEEK_CUR, SEEK_END):
        return generic_file_llseek_size(k, file, offset, whence, size, size)
    return -Errno.EINVAL


@kapi()
def no_seek_end_llseek(k: "Kernel", file: int, offset: int, whence: int) -> int:
    if s32(whence) in (SEEK_SET, SEEK_CUR):
        return generic_file_llseek_size(k, file, offset, whence, MAX_LFS_FILESIZE, 0)
    return -Errno.EINVAL


@kapi()
def no_seek_end_llseek_size(k: "Kernel", file: int, offset: int, whence: int, size: int) -> int:
    if s32(whence) in (SEEK_SET, SEEK_CUR):
        return generic_file_llseek_size(k, file, offset, whence, size, 0)
    return -Errno.EINVAL
