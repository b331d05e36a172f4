"""Regular files in memory (mm/shmem.c, as tmpfs): the machine's root file system outside
/proc, /sys and /dev. Its directories (/, /tmp, what a module creates files in) take new
files; a file is bytes with a position per open (read, write, O_APPEND, O_TRUNC, lseek), and
its inode's i_size follows its length, so the shell's `cat`, `echo >`, `ls -l` and a module's
filp_open()/kernel_read()/kernel_write() see the same file.

Kept simple: no mkdir, unlink or rename from the shell; owner root, mode as created
(0644 for the shell's redirections, the mode a module passes to filp_open()).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.abi import Inode
from kernel.errno import Errno, KernelError
from kernel.fs import Dir, TmpfsDir
from kernel.fs.file import (FMODE_WRITE, O_APPEND, O_TRUNC, S_IFREG, SEEK_CUR, SEEK_END,
                            SEEK_SET, FileNode, HostFops, OpenFile, new_inode)
from kernel.record import field, record

if TYPE_CHECKING:
    from kernel.machine import Kernel

MAX_LFS_FILESIZE = (1 << 63) - 1
MAX_FILE_BYTES = 64 << 20        # what one file may hold here (its bytes are host memory)
SHELL_MODE = 0o644               # bash's redirections: 0666 & ~umask 022


@record(eq=False)
class RegFile(FileNode):
    """A regular file: its bytes are host-side, its inode a guest struct inode."""

    data: bytearray = field(default_factory=bytearray)
    kernel: "Kernel | None" = None

    def power_off(self) -> None:
        """FileNode.power_off(), and the machine (the bytes stay): kernel/teardown.py."""
        FileNode.power_off(self)
        self.kernel = None

    def resize(self, n: int) -> None:
        """Cut or zero-extend to N bytes; the inode's i_size follows."""
        if n < len(self.data):
            del self.data[n:]
        else:
            self.data.extend(bytes(n - len(self.data)))
        self.size = n
        if self.kernel is not None and self.inode:
            self.kernel.mem.set_u64(self.inode + Inode.i_size.offset, n)


class ShmemFops(HostFops):
    """shmem_file_operations: read and write at the position, generic_file_llseek."""

    def open(self, f: OpenFile) -> None:
        node = f.node
        assert isinstance(node, RegFile)
        if f.flags & O_TRUNC and f.f_mode & FMODE_WRITE:
            node.resize(0)

    def read_at(self, f: OpenFile, count: int, pos: int) -> tuple[bytes, int]:
        node = f.node
        assert isinstance(node, RegFile)
        if pos < 0:
            raise KernelError(Errno.EINVAL)
        data = bytes(node.data[pos:pos + max(count, 0)])
        return data, pos + len(data)

    def write_at(self, f: OpenFile, data: bytes, pos: int) -> tuple[int, int]:
        node = f.node
        assert isinstance(node, RegFile)
        if f.flags & O_APPEND:
            pos = len(node.data)
        if pos < 0:
            raise KernelError(Errno.EINVAL)
        end = pos + len(data)
        if end > MAX_FILE_BYTES:
            raise KernelError(Errno.EFBIG if pos >= MAX_FILE_BYTES else Errno.ENOSPC)
        if end > len(node.data):
            node.resize(end)
        node.data[pos:end] = data
        return len(data), end

    def llseek(self, f: OpenFile, offset: int, whence: int) -> int:
        node = f.node
        assert isinstance(node, RegFile)
        offset = offset - (1 << 64) if offset >= 1 << 63 else offset
        base = {SEEK_SET: 0, SEEK_CUR: f.pos, SEEK_END: len(node.data)}.get(whence)
        if base is None:
            raise KernelError(Errno.EINVAL)
        new = base + offset
        if new < 0 or new > MAX_LFS_FILESIZE:
            raise KernelError(Errno.EINVAL)
        f.set_pos(new)
        return new


SHMEM_FOPS = ShmemFops()


def creatable(node: object) -> bool:
    """Whether a directory takes new regular files (tmpfs's do, kernfs's and /dev's do not)."""
    return isinstance(node, TmpfsDir)


def create(k: "Kernel", parent: Dir, name: str, mode: int) -> RegFile:
    """shmem_create(): a new empty regular file NAME in PARENT."""
    if not creatable(parent):
        raise KernelError(Errno.ENOENT)      # proc, sysfs, /dev: no such file, none is made
    if not name or name in (".", "..") or "/" in name:
        raise KernelError(Errno.EINVAL)
    if len(name.encode("latin-1", "replace")) > 255:
        raise KernelError(Errno.ENAMETOOLONG)
    perms = mode & 0o7777
    inode = new_inode(k, S_IFREG | perms)
    node = RegFile(perms, name=name, inode=inode, ftype=S_IFREG, host=SHMEM_FOPS, size=0, kernel=k)
    parent.children[name] = node
    return node


def unlink(k: "Kernel", path: str) -> bool:
    """shmem_unlink() of the regular file at PATH: False if PATH is no tmpfs file (the
    caller decides); a file still open stays readable through its open files."""
    import posixpath
    norm = posixpath.normpath("/" + path.strip("/"))
    parent_path, _, name = norm.rpartition("/")
    try:
        parent = k.vfs.lookup(parent_path or "/")
    except KernelError:
        return False
    node = parent.children.get(name) if isinstance(parent, Dir) else None
    if not isinstance(node, RegFile) or not creatable(parent):
        return False
    del parent.children[name]
    return True


def tmpfs_init(k: "Kernel") -> None:
    """The root is tmpfs; /tmp is there, sticky and writable by all, as a distribution has it."""
    root = k.vfs.root
    tmp = root.children.get("tmp")
    if not isinstance(tmp, TmpfsDir):
        root.children["tmp"] = TmpfsDir(mode=0o1777)
