"""linux/fs.h: files opened and read by kernel code (fs/open.c filp_open/filp_close,
fs/read_write.c vfs_read/vfs_write/vfs_llseek/kernel_read/kernel_write, fs/exec.c
kernel_read_file_from_path), on the machine's files: tmpfs regular files (/tmp ...),
/proc, /sys and /dev.

A struct file is an OpenFile of the calling task (kernel.fs.file); a module gets its guest
address, or an ERR_PTR with the errno 4.19 gives (-ENOENT, -EACCES, -EISDIR, -EEXIST ...).
vfs_read()/vfs_write() check the buffer with access_ok() against the task's addr_limit, so
a kernel buffer needs set_fs(KERNEL_DS) first (or kernel_read()/kernel_write(), which do it),
as on 4.19. Every argument is a guest value: a file pointer that is no open file is -EBADF.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.abi import KERNEL_DS, Inode, TaskStruct
from kernel.api import kapi, s32, s64
from kernel.errno import Errno, KernelError
from kernel.fs import Attr, Dir
from kernel.fs.file import (FMODE_CAN_READ, FMODE_CAN_WRITE, FMODE_LSEEK, FMODE_READ, FMODE_WRITE,
                            MASK64, O_ACCMODE, O_CREAT, O_RDONLY, O_TRUNC, S_IFREG, SEEK_MAX,
                            FileNode, HostFops, OpenFile, new_inode)

S_IFDIR = 0o040000

if TYPE_CHECKING:
    from kernel.machine import Kernel

PATH_MAX = 4096
MAX_RW_COUNT = 0x7FFFF000                   # INT_MAX & PAGE_MASK
MAX_ERRNO = 4095
READING_MAX = 64 << 20                      # kernel_read_file(): what one file may bring here


def err_ptr(errno: int) -> int:
    return (-errno) & MASK64


class TransientFops(HostFops):
    """Operations of a node made for one open by kernel code: its inode goes with the file."""

    def release(self, f: OpenFile) -> None:
        if f.node.inode:
            f.k.slab.kfree(f.node.inode)
            f.node.inode = 0


class KernfsFops(TransientFops):
    """A sysfs or proc show/store file opened by kernel code: its text at open's first read
    (seq_file style), a write is one store()."""

    def __init__(self, attr: Attr) -> None:
        self.attr = attr
        self.text: bytes | None = None

    def read_at(self, f: OpenFile, count: int, pos: int) -> tuple[bytes, int]:
        if self.attr.show is None:
            raise KernelError(Errno.EIO)
        if self.text is None or pos == 0:
            self.text = self.attr.show().encode("latin-1", "replace")
        if pos < 0:
            raise KernelError(Errno.EINVAL)
        data = self.text[pos:pos + max(count, 0)]
        return data, pos + len(data)

    def write_at(self, f: OpenFile, data: bytes, pos: int) -> tuple[int, int]:
        if self.attr.store is None:
            raise KernelError(Errno.EIO)
        if data:
            self.attr.store(data.decode("latin-1"))
        return len(data), pos + len(data)

    def llseek(self, f: OpenFile, offset: int, whence: int) -> int:
        if whence != 0 or offset >= 1 << 63:
            raise KernelError(Errno.EINVAL)
        f.set_pos(offset)
        return offset


class DirFops(TransientFops):
    """An opened directory: reads are generic_read_dir's -EISDIR."""

    def read_at(self, f: OpenFile, count: int, pos: int) -> tuple[bytes, int]:
        raise KernelError(Errno.EISDIR)

    def write_at(self, f: OpenFile, data: bytes, pos: int) -> tuple[int, int]:
        raise KernelError(Errno.EISDIR)

    def llseek(self, f: OpenFile, offset: int, whence: int) -> int:
        f.set_pos(0)
        return 0


def _string(k: "Kernel", addr: int) -> str | None:
    if not addr or not k.mem.valid(addr):
        return None
    n = k.mem.strnlen(addr, PATH_MAX)
    if n >= PATH_MAX or not k.mem.valid(addr, n + 1):
        return None
    return k.mem.read(addr, n).decode("latin-1")


def open_path(k: "Kernel", path: str, flags: int, mode: int) -> OpenFile:
    """do_filp_open(): the node at PATH (made with O_CREAT), opened in the current task."""
    if not path:
        raise KernelError(Errno.ENOENT)
    if len(path) >= PATH_MAX:
        raise KernelError(Errno.ENAMETOOLONG)
    acc = flags & O_ACCMODE
    node = k.fs.lookup_create(path, flags, mode & 0o7777)
    name = path.rstrip("/").rpartition("/")[2] or "/"
    if isinstance(node, Dir):
        if acc != O_RDONLY or flags & (O_CREAT | O_TRUNC):
            raise KernelError(Errno.EISDIR)
        perms = getattr(node, "mode", 0o755) & 0o7777
        node = FileNode(perms, name=name, ftype=S_IFDIR, host=DirFops(),
                        inode=new_inode(k, S_IFDIR | perms))
    elif not isinstance(node, FileNode):
        if acc != O_RDONLY:
            k.vfs.open_write(path)           # kernfs: no store or mode: EACCES, as for the shell
        if acc != 0o1:
            k.vfs.open_read(path)
        inode = new_inode(k, S_IFREG | (node.mode & 0o7777))
        if path.lstrip("/").startswith("sys/"):
            k.mem.set_u64(inode + Inode.i_size.offset, 4096)        # sysfs: a page
        node = FileNode(node.mode, name=name, host=KernfsFops(node), inode=inode)
    elif path.endswith("/"):
        raise KernelError(Errno.ENOTDIR)
    return OpenFile(k, node, flags).open()


def _file(k: "Kernel", addr: int) -> OpenFile | None:
    f = k.fs.files.get(addr)
    return f if f is not None and not f.released else None


@kapi()
def filp_open(k: "Kernel", filename: int, flags: int, mode: int) -> int:
    path = _string(k, filename)
    if path is None:
        return err_ptr(Errno.EFAULT)
    try:
        f = open_path(k, path, s32(flags) & 0xFFFF_FFFF, mode & 0xFFFF)
    except KernelError as e:
        return err_ptr(e.errno)
    k.fs.kernel_files.add(f.addr)
    return f.addr


@kapi()
def file_open_root(k: "Kernel", dentry: int, mnt: int, filename: int, flags: int, mode: int) -> int:
    return filp_open(k, filename, flags, mode)


@kapi()
def filp_close(k: "Kernel", filp: int, id: int) -> int:
    """fput() of a file filp_open() gave: release, and the struct is freed."""
    f = _file(k, filp)
    if f is None or filp not in k.fs.kernel_files:
        return -Errno.EBADF
    k.fs.kernel_files.discard(filp)
    try:
        f.release()
    except KernelError as e:
        return -e.errno
    return 0


def _limit_kernel(k: "Kernel") -> bool:
    me = k.sched.current
    return me is None or not me.guest_struct or \
        k.mem.u64(me.guest_struct + TaskStruct.thread.offset) == KERNEL_DS


def _rw_verify(k: "Kernel", ppos: int, count: int) -> int:
    """rw_verify_area(): 0, or -EINVAL for a negative position."""
    if not ppos or not k.mem.valid(ppos, 8):
        return -Errno.EFAULT
    pos = k.mem.s64(ppos)
    if pos < 0 or pos + count < pos:
        return -Errno.EINVAL
    return 0


def _buffer_ok(k: "Kernel", buf: int, count: int) -> bool:
    from kernel.api.uaccess import _ok
    return _ok(k, buf, count)


def _rw_checks(k: "Kernel", file: int, buf: int, count: int, pos: int, want: int,
               can: int) -> tuple[OpenFile | None, int]:
    """vfs_read()/vfs_write()'s checks before the call: (the file, the clamped count), or
    (None, -errno)."""
    f = _file(k, file)
    if f is None or not f.f_mode & want:
        return None, -Errno.EBADF
    if not f.f_mode & can:
        return None, -Errno.EINVAL
    count = min(count & MASK64, MAX_RW_COUNT)
    if not _buffer_ok(k, buf, count):
        return None, -Errno.EFAULT
    rv = _rw_verify(k, pos, count)
    return (None, rv) if rv else (f, count)


@kapi()
def vfs_read(k: "Kernel", file: int, buf: int, count: int, pos: int) -> int:
    f, n = _rw_checks(k, file, buf, count, pos, FMODE_READ, FMODE_CAN_READ)
    return f.read_to(buf, n, pos) if f is not None else n


@kapi()
def vfs_write(k: "Kernel", file: int, buf: int, count: int, pos: int) -> int:
    f, n = _rw_checks(k, file, buf, count, pos, FMODE_WRITE, FMODE_CAN_WRITE)
    return f.write_from(buf, n, pos) if f is not None else n


def _with_kernel_ds(k: "Kernel", fn) -> int:  # type: ignore[no-untyped-def]
    """set_fs(KERNEL_DS) around FN, as kernel_read()/kernel_write() do."""
    me = k.sched.current
    if me is None or not me.guest_struct:
        return fn()
    at = me.guest_struct + TaskStruct.thread.offset
    old = k.mem.u64(at)
    k.mem.set_u64(at, KERNEL_DS)
    try:
        return fn()
    finally:
        if me.guest_struct:
            k.mem.set_u64(at, old)


@kapi()
def kernel_read(k: "Kernel", file: int, buf: int, count: int, pos: int) -> int:
    return _with_kernel_ds(k, lambda: vfs_read(k, file, buf, count, pos))


@kapi()
def kernel_write(k: "Kernel", file: int, buf: int, count: int, pos: int) -> int:
    return _with_kernel_ds(k, lambda: vfs_write(k, file, buf, count, pos))


@kapi()
def __kernel_write(k: "Kernel", file: int, buf: int, count: int, pos: int) -> int:
    return kernel_write(k, file, buf, count, pos)


@kapi()
def vfs_llseek(k: "Kernel", file: int, offset: int, whence: int) -> int:
    f = _file(k, file)
    if f is None:
        return -Errno.EBADF
    whence = s32(whence) & 0xFFFF_FFFF
    if whence > SEEK_MAX:
        return -Errno.EINVAL
    try:
        return f.llseek(s64(offset), whence) & MASK64
    except KernelError as e:
        return -e.errno


@kapi()
def kernel_read_file_from_path(k: "Kernel", path: int, buf: int, size: int, max_size: int,
                               id: int) -> int:
    """The whole file at PATH into a vmalloc()ed *BUF, its length in *SIZE (at most
    MAX_SIZE, when positive: -EFBIG past it)."""
    name = _string(k, path)
    if name is None:
        return -Errno.EINVAL
    for p in (buf, size):
        if not p or not k.mem.valid(p, 8):
            return -Errno.EINVAL
    try:
        f = open_path(k, name, O_RDONLY, 0)
    except KernelError as e:
        return -e.errno
    try:
        return _read_whole(k, f, buf, size, s64(max_size))
    finally:
        try:
            f.release()
        except KernelError:
            pass


def _read_whole(k: "Kernel", f: OpenFile, buf: int, size: int, max_size: int) -> int:
    from kernel.api.slab import vmalloc
    limit = READING_MAX if max_size <= 0 else min(max_size, READING_MAX)
    if isinstance(f.node.host, DirFops):
        return -Errno.EINVAL
    chunks: list[bytes] = []
    total = 0
    tmp = k.slab.kmalloc(4096)
    pos_box = k.slab.kmalloc(8, zero=True)
    try:
        while True:
            n = _with_kernel_ds(k, lambda: f.read_to(tmp, 4096, pos_box))
            if n < 0:
                return n
            if n == 0:
                break
            total += n
            if total > limit:
                return -Errno.EFBIG
            chunks.append(k.mem.read(tmp, n))
    finally:
        k.slab.kfree(tmp)
        k.slab.kfree(pos_box)
    if not total:
        return -Errno.EINVAL                 # 4.19: an empty file is -EINVAL
    data = b"".join(chunks)
    addr = vmalloc(k, len(data))
    if not addr:
        return -Errno.ENOMEM
    k.mem.write(addr, data)
    k.mem.set_u64(buf, addr)
    k.mem.set_u64(size, len(data))
    return 0


@kapi()
def kernel_read_file(k: "Kernel", file: int, buf: int, size: int, max_size: int, id: int) -> int:
    f = _file(k, file)
    if f is None:
        return -Errno.EBADF
    if not f.f_mode & FMODE_READ:
        return -Errno.EBADF
    for p in (buf, size):
        if not p or not k.mem.valid(p, 8):
            return -Errno.EINVAL
    return _read_whole(k, f, buf, size, s64(max_size))


__all__ = ["filp_open", "filp_close", "vfs_read", "vfs_write", "vfs_llseek", "kernel_read",
           "kernel_write", "FMODE_LSEEK"]
