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


# --- simple attributes (fs/libfs.c): a file of one number -------------------------------------
# struct simple_attr (private to libfs.c): get, set, get_buf[24], set_buf[24], data, fmt, mutex
ATTR_GET, ATTR_SET, ATTR_GET_BUF, ATTR_SET_BUF, ATTR_DATA, ATTR_FMT = 0, 8, 16, 40, 64, 72
ATTR_BUF_LEN, SIMPLE_ATTR_SIZE = 24, 112
FMT_MAX = 256


def simple_strtoull(text: str, base: int = 0) -> int:
    """lib/vsprintf.c simple_strtoull(): the digits at the start (none: 0), the radix from a
    0x or 0 prefix when BASE is 0, wrapping at 64 bits."""
    s = text
    if base == 0:
        if s[:1] == "0" and s[1:2] in ("x", "X") and s[2:3] and s[2] in "0123456789abcdefABCDEF":
            base, s = 16, s[2:]
        elif s[:1] == "0":
            base = 8
        else:
            base = 10
    digits = "0123456789abcdef"[:base]
    v = 0
    for c in s.lower():
        if c not in digits:
            break
        v = (v * base + digits.index(c)) & (2**64 - 1)
    return v


def simple_strtoll(text: str, base: int = 0) -> int:
    """simple_strtoll(): a leading '-' negates (as two's complement)."""
    if text.startswith("-"):
        return -simple_strtoull(text[1:], base) & (2**64 - 1)
    return simple_strtoull(text, base)


@kapi()
def simple_attr_open(k: "Kernel", inode: int, file: int, get: int, set_: int, fmt: int) -> int:
    attr = k.slab.kmalloc(SIMPLE_ATTR_SIZE, zero=True)
    if not attr:
        return -Errno.ENOMEM
    mem = k.mem
    mem.set_u64(attr + ATTR_GET, get)
    mem.set_u64(attr + ATTR_SET, set_)
    mem.set_u64(attr + ATTR_DATA, mem.u64(inode + Inode.i_private.offset))
    mem.set_u64(attr + ATTR_FMT, fmt)
    mem.set_u64(file + File.private_data.offset, attr)
    return nonseekable_open(k, inode, file)


@kapi()
def simple_attr_release(k: "Kernel", inode: int, file: int) -> int:
    k.slab.kfree(k.mem.u64(file + File.private_data.offset))
    return 0


@kapi()
def simple_attr_read(k: "Kernel", file: int, buf: int, len_: int, ppos: int) -> int:
    """The number GET gives, formatted with the attribute's FMT on the first read (at
    offset 0), then the rest of that text."""
    from kernel.api.vsprintf import vsnprintf
    mem = k.mem
    attr = mem.u64(file + File.private_data.offset)
    get = mem.u64(attr + ATTR_GET)
    if not get:
        return -Errno.EACCES
    get_buf = attr + ATTR_GET_BUF
    if mem.s64(ppos):                                   # continued read
        size = len(mem.cstr(get_buf, ATTR_BUF_LEN))
    else:
        box = k.slab.kmalloc(8, zero=True)
        if not box:
            return -Errno.ENOMEM
        try:
            ret = s32(k.call_fn(get, (mem.u64(attr + ATTR_DATA), box), "simple_attr_read"))
            val = mem.u64(box)
        finally:
            k.slab.kfree(box)
        if ret:
            return ret
        args = iter((val,))
        text = vsnprintf(k, mem.cstr(mem.u64(attr + ATTR_FMT), FMT_MAX), lambda: next(args, 0))
        raw = text.encode("latin-1", "replace")[:ATTR_BUF_LEN - 1]     # scnprintf()
        mem.write(get_buf, raw + b"\0")
        size = len(raw)
    return simple_read_from_buffer(k, buf, len_, ppos, get_buf, size)


@kapi()
def simple_attr_write(k: "Kernel", file: int, buf: int, len_: int, ppos: int) -> int:
    """SET with the number at the start of what was written (simple_strtoll, base 0: text
    that is no number sets 0); on success the whole write is taken."""
    mem = k.mem
    attr = mem.u64(file + File.private_data.offset)
    set_ = mem.u64(attr + ATTR_SET)
    if not set_:
        return -Errno.EACCES
    size = min(ATTR_BUF_LEN - 1, len_)
    set_buf = attr + ATTR_SET_BUF
    if copy_from_user(k, set_buf, buf, size):
        return -Errno.EFAULT
    mem.set_u8(set_buf + size, 0)
    val = simple_strtoll(mem.cstr(set_buf, ATTR_BUF_LEN))
    ret = s32(k.call_fn(set_, (mem.u64(attr + ATTR_DATA), val), "simple_attr_write"))
    return len_ if ret == 0 else ret


@kapi()
def dput(k: "Kernel", dentry: int) -> None:
    """fs/dcache.c dput(): the reference dget() took (d_lockref.count) is given back; the
    file system that made the dentry frees it (debugfs, at removal)."""
    from kernel.abi import Dentry
    if not dentry or (dentry & (2**64 - 1)) >= 2**64 - 4095:
        return
    at = dentry + Dentry.d_lockref.offset + 4
    count = k.mem.u32(at)
    if count:
        k.mem.set_u32(at, count - 1)
