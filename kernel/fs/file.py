"""Open files: guest `struct file` objects and the VFS calls into file_operations
(fs/open.c do_dentry_open, fs/read_write.c, fs/ioctl.c, fs/file_table.c __fput; 4.19).

A FileNode is a VFS file served by guest file operations (a /proc entry, a /dev node, a
debugfs file). OpenFile is one open of it: a struct file (with a dentry for f_path) and
the user buffer its reads and writes use. Every method runs in the calling task, inside a
system call (kernel.fs.syscalls); errors are KernelError with the errno the syscall returns.

A file system that serves guest file operations (debugfs_create_file, say) makes its files so:

    inode = new_inode(k, S_IFREG | mode, private=data, fops=fops)     # i_private, i_fop
    node = attach_rw(k, FileNode(mode, name=name, inode=inode, fops=fops))
    parent_dir.children[name] = node

`cat`/`echo >`/`ioctl` then open it (f_op = fops, ->open(inode, file)), read it a call at a
time and release it, as for /proc and /dev.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING, Callable

from kernel.abi import Dentry, File, FileOperations, Inode
from kernel.api import s32, s64
from kernel.errno import Errno, KernelError
from kernel.fs import Attr
from kernel.record import field, record

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.module.main import Module

S_IFMT, S_IFREG, S_IFCHR = 0o170000, 0o100000, 0o020000
FMODE_READ, FMODE_WRITE, FMODE_LSEEK, FMODE_PREAD, FMODE_PWRITE = 0x1, 0x2, 0x4, 0x8, 0x10
FMODE_CAN_READ, FMODE_CAN_WRITE = 0x20000, 0x40000
O_ACCMODE, O_RDONLY, O_WRONLY, O_RDWR = 0o3, 0o0, 0o1, 0o2
O_CREAT, O_EXCL, O_NOCTTY, O_TRUNC, O_APPEND, O_NONBLOCK = 0o100, 0o200, 0o400, 0o1000, 0o2000, 0o4000
O_LARGEFILE = 0o100000
SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA, SEEK_HOLE = 0, 1, 2, 3, 4
SEEK_MAX = SEEK_HOLE
FIONBIO = 0x5421
USER_BUFFER = 128 * 1024            # the smallest user buffer a call hands in (cat's)
MASK64 = (1 << 64) - 1
ENOIOCTLCMD = 515                   # kernel-internal: "no such ioctl", ENOTTY for the user
ERESTARTSYS = 512                   # a signal interrupted the call (restarted on the way out)

OPEN_FRAMES = ("do_sys_open", "do_filp_open", "path_openat", "vfs_open", "do_dentry_open")
READ_FRAMES = ("ksys_read", "vfs_read", "__vfs_read")
WRITE_FRAMES = ("ksys_write", "vfs_write", "__vfs_write")
LSEEK_FRAMES = ("ksys_lseek", "vfs_llseek")
IOCTL_FRAMES = ("ksys_ioctl", "do_vfs_ioctl", "vfs_ioctl")
CLOSE_FRAMES = ("exit_to_usermode_loop", "task_work_run", "__fput")


def open_fmode(flags: int) -> int:
    """OPEN_FMODE(): FMODE_READ/WRITE from the O_ACCMODE bits."""
    return ((flags + 1) & O_ACCMODE) & (FMODE_READ | FMODE_WRITE)


@record(eq=False)
class FileNode(Attr):
    """A file whose opens, reads and writes go through guest file operations.

    FOPS is inode->i_fop. GET_FOPS, if set, is the filesystem's own open (chrdev_open):
    it finds the operations the driver registered (or raises ENXIO) and may set up the
    inode (i_cdev) first. VIA names the host functions each call is made from.
    """

    name: str = ""
    inode: int = 0
    fops: int = 0
    ftype: int = S_IFREG
    rdev: int | None = None
    get_fops: Callable[["FileNode", int], int] | None = None
    missing_op: int = Errno.EINVAL          # what a read/write without ->read/->write gets
    via: dict[str, str] = field(default_factory=dict)
    host: "HostFops | None" = None          # operations the kernel itself implements (mem.c)
    dentry: int = 0                         # the file system's own dentry (debugfs), else one per open
    size: int | None = None                 # what stat() says of it (None: the file system's default)
    opens: int = 0                          # struct files open on it
    on_last_close: Callable[[], None] | None = field(default=None, repr=False)
    on_release: Callable[[int], None] | None = field(default=None, repr=False)   # (struct file)

    def power_off(self) -> None:
        """Attr.power_off(), and the open and close callbacks (kernel/teardown.py)."""
        Attr.power_off(self)
        self.get_fops = self.on_last_close = self.on_release = None


class HostFops:
    """File operations of a kernel driver implemented here (drivers/char/mem.c's /dev/null
    and friends, tmpfs files): each takes the OpenFile; what is not overridden behaves as a
    missing op. read_at/write_at are the calls with the file position (what f_pos or the
    caller's loff_t holds): they give the data (or count) and the position after; by default
    the position does not move, as the memory devices leave it."""

    def open(self, f: "OpenFile") -> None:
        """What the filesystem does at open (O_TRUNC for a regular file)."""

    def release(self, f: "OpenFile") -> None:
        """What it does at the last close."""

    def read(self, f: "OpenFile", count: int) -> bytes:
        raise KernelError(Errno.EINVAL)

    def write(self, f: "OpenFile", data: bytes) -> int:
        raise KernelError(Errno.EINVAL)

    def read_at(self, f: "OpenFile", count: int, pos: int) -> tuple[bytes, int]:
        return self.read(f, count), pos

    def write_at(self, f: "OpenFile", data: bytes, pos: int) -> tuple[int, int]:
        return self.write(f, data), pos

    def llseek(self, f: "OpenFile", offset: int, whence: int) -> int:
        raise KernelError(Errno.ESPIPE)


class OpenFile:
    """One struct file of a FileNode, open in the task that opened it."""

    def __init__(self, k: "Kernel", node: FileNode, flags: int) -> None:
        self.k = k
        self.node = node
        self.flags = flags
        self.addr = 0
        self.dentry = 0
        self.buf = 0
        self.buf_size = 0
        self.released = False
        self.owner: "Module | None" = None      # the module fops_get() pinned (chrdev_open)

    # --- guest objects -------------------------------------------------------------------
    def _alloc(self) -> None:
        k, mem, node = self.k, self.k.mem, self.node
        self.dentry = node.dentry or new_dentry(k, node.name, node.inode)
        node.opens += 1
        f = self.addr = k.slab.kmalloc(File.size, zero=True)
        mem.set_u64(f + File.f_path.offset + 8, self.dentry)
        mem.set_u64(f + File.f_inode.offset, node.inode)
        mem.set_u64(f + File.f_op.offset, node.fops)
        if node.inode:
            mem.set_u64(f + File.f_mapping.offset, mem.u64(node.inode + Inode.i_mapping.offset))
        mem.set_u64(f + File.f_count.offset, 1)
        # do_sys_open() forces O_LARGEFILE on 64-bit; do_dentry_open() drops the open-time flags
        mem.set_u32(f + File.f_flags.offset,
                    (self.flags | O_LARGEFILE) & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC))
        mem.set_u32(f + File.f_mode.offset,
                    open_fmode(self.flags) | FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE)
        k.fs.files[f] = self

    def _free(self) -> None:
        k = self.k
        k.fs.files.pop(self.addr, None)
        if self.buf:
            k.fs.user_free(self.buf)
            self.buf = 0
        k.slab.kfree(self.addr)
        node = self.node
        if self.dentry != node.dentry:
            k.slab.kfree(self.dentry)
        node.opens -= 1
        if not node.opens and node.on_last_close is not None:
            node.on_last_close()

    @property
    def f_op(self) -> int:
        return self.k.mem.u64(self.addr + File.f_op.offset)

    @property
    def f_mode(self) -> int:
        return self.k.mem.u32(self.addr + File.f_mode.offset)

    @property
    def pos(self) -> int:
        return self.k.mem.s64(self.addr + File.f_pos.offset)

    def set_pos(self, pos: int) -> None:
        self.k.mem.set_u64(self.addr + File.f_pos.offset, pos & MASK64)

    def op(self, member: str) -> int:
        """The f_op member MEMBER (0 when the file has no such operation)."""
        fops = self.f_op
        return self.k.mem.u64(fops + getattr(FileOperations, member).offset) if fops else 0

    def _call(self, frames: tuple[str, ...], member: str, fn: int, args: tuple[int, ...]) -> int:
        k = self.k
        task = k.current
        task.host_stack.extend(frames)
        try:
            return k.call_fn(fn, args, self.node.via.get(member, frames[-1]))
        finally:
            del task.host_stack[-len(frames):]

    def user_buffer(self, size: int) -> int:
        """The caller's buffer for SIZE bytes (guest memory a read or write hands in). It is
        never smaller than a user program's stdio buffer (USER_BUFFER): a driver that copies
        more than it was asked for overruns user memory, as it would, not kernel objects."""
        if size > self.buf_size:
            if self.buf:
                self.k.fs.user_free(self.buf)
            self.buf_size = max(size, USER_BUFFER)
            self.buf = self.k.fs.user_alloc(self.buf_size)
        return self.buf

    # --- the calls -----------------------------------------------------------------------
    def open(self) -> "OpenFile":
        """do_dentry_open(): the struct file, the filesystem's open, then f_op->open."""
        self._alloc()
        node, k = self.node, self.k
        try:
            if node.get_fops is not None:
                fops = node.get_fops(node, self.addr)   # chrdev_open(): the driver's operations
                if fops and not self._get_owner(fops):
                    raise KernelError(Errno.ENXIO)
                k.mem.set_u64(self.addr + File.f_op.offset, fops)
            opener = self.op("open")
            if opener:
                rv = s32(self._call(OPEN_FRAMES, "open", opener, (node.inode, self.addr)))
                if rv:
                    self._put_owner()
                    raise KernelError(_user_errno(-rv))
        except BaseException:
            self._free()
            raise
        mode = self.f_mode
        if node.host is not None:
            try:
                node.host.open(self)
            except BaseException:
                self._free()
                raise
            mode |= FMODE_CAN_READ | FMODE_CAN_WRITE
        if mode & FMODE_READ and self.op("read"):
            mode |= FMODE_CAN_READ
        if mode & FMODE_WRITE and self.op("write"):
            mode |= FMODE_CAN_WRITE
        k.mem.set_u32(self.addr + File.f_mode.offset, mode)
        return self

    def _get_owner(self, fops: int) -> bool:
        """fops_get(): pin the module that owns FOPS; False if it is going away."""
        owner = self.k.mem.u64(fops + FileOperations.owner.offset)
        m = self.k.module_by_struct(owner) if owner else None
        if m is None:
            return True
        if not self.k.loader.try_module_get(m):
            return False
        self.owner = m
        return True

    def _put_owner(self) -> None:
        if self.owner is not None:
            self.k.loader.module_put(self.owner)
            self.owner = None

    def read(self, count: int) -> bytes:
        """vfs_read() of COUNT bytes into the user buffer: what the call returned."""
        mode = self.f_mode
        if not mode & FMODE_READ:
            raise KernelError(Errno.EBADF)
        if self.node.host is not None:
            data, pos = self.node.host.read_at(self, count, self.pos)
            self.k.mem.set_u64(self.addr + File.f_pos.offset, pos & MASK64)
            return data
        fn = self.op("read")
        if not fn or not mode & FMODE_CAN_READ:
            raise KernelError(self.node.missing_op)
        buf = self.user_buffer(count)
        n = s64(self._call(READ_FRAMES, "read", fn,
                           (self.addr, buf, count, self.addr + File.f_pos.offset)))
        if n < 0:
            raise KernelError(_user_errno(-n))
        return self.k.mem.read(buf, min(n, count))

    def write(self, data: bytes) -> int:
        """vfs_write() of DATA from the user buffer: the count the call returned."""
        mode = self.f_mode
        if not mode & FMODE_WRITE:
            raise KernelError(Errno.EBADF)
        if self.node.host is not None:
            n, pos = self.node.host.write_at(self, data, self.pos)
            self.k.mem.set_u64(self.addr + File.f_pos.offset, pos & MASK64)
            return n
        fn = self.op("write")
        if not fn or not mode & FMODE_CAN_WRITE:
            raise KernelError(self.node.missing_op)
        buf = self.user_buffer(len(data))
        self.k.mem.write(buf, data)
        n = s64(self._call(WRITE_FRAMES, "write", fn,
                           (self.addr, buf, len(data), self.addr + File.f_pos.offset)))
        if n < 0:
            raise KernelError(_user_errno(-n))
        return min(n, len(data))

    def read_to(self, buf: int, count: int, ppos: int) -> int:
        """__vfs_read() into BUF at *PPOS (guest pointers a module gave): the count, or -errno."""
        if self.node.host is not None:
            pos = self.k.mem.s64(ppos)
            try:
                data, pos = self.node.host.read_at(self, count, pos)
            except KernelError as e:
                return -e.errno
            data = data[:count]
            self.k.mem.write(buf, data)
            self.k.mem.set_u64(ppos, pos & MASK64)
            return len(data)
        fn = self.op("read")
        if not fn:
            return -self.node.missing_op
        return s64(self._call(READ_FRAMES, "read", fn, (self.addr, buf, count, ppos)))

    def write_from(self, buf: int, count: int, ppos: int) -> int:
        """__vfs_write() of COUNT bytes at BUF to *PPOS: the count, or -errno."""
        if self.node.host is not None:
            pos = self.k.mem.s64(ppos)
            try:
                n, pos = self.node.host.write_at(self, self.k.mem.read(buf, count), pos)
            except KernelError as e:
                return -e.errno
            self.k.mem.set_u64(ppos, pos & MASK64)
            return n
        fn = self.op("write")
        if not fn:
            return -self.node.missing_op
        return s64(self._call(WRITE_FRAMES, "write", fn, (self.addr, buf, count, ppos)))

    def llseek(self, offset: int, whence: int) -> int:
        """vfs_llseek(): f_op->llseek if the file is seekable, else ESPIPE (no_llseek)."""
        if not 0 <= whence <= SEEK_MAX:
            raise KernelError(Errno.EINVAL)         # ksys_lseek()
        if self.node.host is not None:
            return self.node.host.llseek(self, offset, whence)
        fn = self.op("llseek") if self.f_mode & FMODE_LSEEK else 0
        if not fn:
            raise KernelError(Errno.ESPIPE)
        rv = s64(self._call(LSEEK_FRAMES, "llseek", fn, (self.addr, offset & (2**64 - 1), whence)))
        if rv < 0 and -rv <= 4095:
            raise KernelError(_user_errno(-rv))
        return rv

    def ioctl(self, cmd: int, arg: int) -> int:
        """do_vfs_ioctl(): FIONBIO here, the rest to f_op->unlocked_ioctl (ENOTTY without)."""
        cmd &= 0xFFFF_FFFF
        if cmd == FIONBIO:
            self.set_nonblock(self.k.mem.u32(arg) != 0 if self.k.mem.valid(arg, 4) else None)
            return 0
        fn = self.op("unlocked_ioctl")
        if not fn:
            raise KernelError(Errno.ENOTTY)
        rv = s64(self._call(IOCTL_FRAMES, "unlocked_ioctl", fn, (self.addr, cmd, arg & (2**64 - 1))))
        if rv == -ENOIOCTLCMD:
            raise KernelError(Errno.ENOTTY)
        if rv < 0 and -rv <= 4095:
            raise KernelError(_user_errno(-rv))
        return rv

    def set_nonblock(self, on: bool | None) -> None:
        if on is None:
            raise KernelError(Errno.EFAULT)
        at = self.addr + File.f_flags.offset
        flags = self.k.mem.u32(at)
        self.k.mem.set_u32(at, flags | O_NONBLOCK if on else flags & ~O_NONBLOCK)

    def release(self) -> None:
        """__fput(): f_op->release, the module reference dropped, the file freed."""
        if self.released:
            return
        self.released = True
        fn = self.op("release")
        try:
            if self.node.host is not None:
                self.node.host.release(self)
            elif fn:
                self._call(CLOSE_FRAMES, "release", fn, (self.node.inode, self.addr))
        finally:
            self._put_owner()
            if self.node.on_release is not None:
                self.node.on_release(self.addr)
            self._free()


def _user_errno(e: int) -> int:
    """What a kernel-internal errno becomes on the way out (ENOIOCTLCMD -> ENOTTY; the restart
    codes such as ERESTARTSYS are handled by the return to user space, kernel/machine.py)."""
    return {ENOIOCTLCMD: Errno.ENOTTY}.get(e, e)


def new_dentry(k: "Kernel", name: str, inode: int, parent: int = 0) -> int:
    """A guest struct dentry named NAME for INODE (d_name in d_iname), below PARENT (itself
    when 0, as a root's is)."""
    mem = k.mem
    dentry = k.slab.kmalloc(Dentry.size, zero=True)
    raw = name.encode("latin-1", "replace")[:31]
    iname = dentry + Dentry.d_iname.offset
    mem.write(iname, raw + b"\0")
    mem.set_u32(dentry + Dentry.d_name.offset + 4, len(raw))
    mem.set_u64(dentry + Dentry.d_name.offset + 8, iname)
    mem.set_u64(dentry + Dentry.d_inode.offset, inode)
    mem.set_u64(dentry + Dentry.d_parent.offset, parent or dentry)
    mem.set_u32(dentry + Dentry.d_lockref.offset + 4, 1)         # d_lockref.count
    for member in ("d_child", "d_subdirs"):
        head = dentry + getattr(Dentry, member).offset
        mem.set_u64(head, head)
        mem.set_u64(head + 8, head)
    return dentry


def new_inode(k: "Kernel", mode: int, rdev: int = 0, private: int = 0, fops: int = 0) -> int:
    """A guest struct inode with i_mode, i_rdev, i_private and i_fop (new_inode()), made by
    one Struct.pack and written at once."""
    ino = k.slab.kmalloc(Inode.size)
    k.mem.write(ino, _INODE.pack(*_INODE_ORDER((
        mode, rdev, private, fops, k.fs.next_ino(),
        ino + _I_DATA, ino,                                 # i_mapping = &inode->i_data, its host
        1, 1,                                               # i_nlink, i_count
        *map(ino.__add__, _I_HEADS)))))                     # empty list_heads point at themselves
    return ino


_I_MODE, _I_RDEV, _I_PRIVATE, _I_FOP = (Inode.i_mode.offset, Inode.i_rdev.offset,
                                        Inode.i_private.offset, Inode.i_fop.offset)
_I_INO, _I_MAPPING, _I_DATA = Inode.i_ino.offset, Inode.i_mapping.offset, Inode.i_data.offset
_I_LISTS = tuple(getattr(Inode, m).offset for m in ("i_devices", "i_lru", "i_sb_list", "i_wb_list", "i_io_list"))
_I_HEADS = tuple(head for head in _I_LISTS for _word in ("next", "prev"))


def _inode_struct() -> "tuple[struct.Struct, Callable[[tuple], tuple]]":
    """The whole inode as one Struct of the words new_inode() sets, in address order with zero
    bytes between, and what puts new_inode()'s values (in its order) in that order."""
    from operator import itemgetter
    words = [(_I_MODE, "H"), (_I_RDEV, "I"), (_I_PRIVATE, "Q"), (_I_FOP, "Q"), (_I_INO, "Q"),
             (_I_MAPPING, "Q"), (_I_DATA, "Q"), (Inode.i_nlink.offset, "I"),
             (Inode.i_count.offset, "I"), *((head + 8 * (i & 1), "Q") for i, head in enumerate(_I_HEADS))]
    order = sorted(range(len(words)), key=lambda i: words[i][0])
    fmt, at = "<", 0
    for i in order:
        off, code = words[i]
        if off < at:
            raise ValueError(f"inode words overlap at {off}")
        fmt += f"{off - at}x{code}" if off > at else code
        at = off + struct.calcsize(code)
    return struct.Struct(f"{fmt}{Inode.size - at}x"), itemgetter(*order)


_INODE, _INODE_ORDER = _inode_struct()


READ_CHUNK = 128 * 1024           # coreutils cat's buffer (io_blksize)
READ_ALL_LIMIT = 1 << 20          # read_all() of a file that never ends stops here


def read_all(k: "Kernel", node: FileNode, flags: int = O_RDONLY) -> str:
    """open, read to end of file, close, all in the current task (one call of kernel code
    that reads a file whole, as the older kernfs-style show does)."""
    f = OpenFile(k, node, flags).open()
    out: list[bytes] = []
    total = 0
    try:
        while total < READ_ALL_LIMIT:
            data = f.read(READ_CHUNK)
            if not data:
                break
            out.append(data)
            total += len(data)
    finally:
        f.release()
    return b"".join(out).decode("latin-1")


def write_all(k: "Kernel", node: FileNode, text: str,
              flags: int = O_WRONLY | O_CREAT | O_TRUNC) -> None:
    """open for writing, write everything, close, in the current task."""
    raw = text.encode("latin-1", "replace")
    f = OpenFile(k, node, flags).open()
    try:
        done = 0
        while done < len(raw):
            n = f.write(raw[done:])
            if n == 0:
                break
            done += n
    finally:
        f.release()


def attach_rw(k: "Kernel", node: FileNode) -> FileNode:
    """Give NODE show/store that read and write it whole through its file operations."""
    node.show = lambda: read_all(k, node)
    node.store = lambda text: write_all(k, node, text)
    return node
