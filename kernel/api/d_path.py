"""fs/d_path.c: the path name of an open file (d_path, file_path), as the VFS sees it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from kernel.abi import Dentry, File
from kernel.api import errret, kapi, s32
from kernel.errno import Errno
from kernel.fs import Attr, Dir
from kernel.fs.file import FileNode

if TYPE_CHECKING:
    from kernel.machine import Kernel


def _walk(d: Dir, prefix: str) -> Iterator[tuple[str, Dir | Attr]]:
    for name, node in d.children.items():
        path = f"{prefix}/{name}"
        yield path, node
        if isinstance(node, Dir):
            yield from _walk(node, path)


def dentry_path_of(k: "Kernel", dentry: int) -> str | None:
    """The absolute path of the file DENTRY names: the tree's file with its inode."""
    inode = k.mem.u64(dentry + Dentry.d_inode.offset)
    if not inode:
        return None
    for path, node in _walk(k.vfs.root, ""):
        if isinstance(node, FileNode) and node.inode == inode:
            return path
    return None


def _put_path(k: "Kernel", name: str, buf: int, buflen: int) -> int:
    """The name at the end of BUF (NUL-terminated), as prepend_path() builds it."""
    data = name.encode() + b"\0"
    if len(data) > buflen:
        return errret(Errno.ENAMETOOLONG)
    at = buf + buflen - len(data)
    k.mem.write(at, data)
    return at


@kapi()
def d_path(k: "Kernel", path: int, buf: int, buflen: int) -> int:
    """char *d_path(const struct path *, char *buf, int buflen): a pointer into BUF, or
    ERR_PTR(-ENAMETOOLONG)."""
    buflen = s32(buflen)
    dentry = k.mem.u64(path + 8)
    name = dentry_path_of(k, dentry) if dentry else None
    if name is None:        # not in the tree (gone since): its own name, as a detached dentry
        name = "/" + k.mem.cstr(dentry + Dentry.d_iname.offset, 32) if dentry else "/"
    return _put_path(k, name, buf, max(buflen, 0))


@kapi()
def file_path(k: "Kernel", filp: int, buf: int, buflen: int) -> int:
    return d_path(k, filp + File.f_path.offset, buf, buflen)
