"""debugfs (fs/debugfs/inode.c, 4.19), mounted at /sys/kernel/debug.

Every entry is a guest struct dentry and struct inode (what the creators return and modules
keep), with a node in the VFS tree: a directory, a file served by file operations (a
kernel.fs.file.FileNode whose inode->i_fop is one of debugfs's proxies and whose dentry's
d_fsdata holds the real ones) or a symbolic link. Removing an entry unlinks it; its dentry
and inode are freed once no open file still uses them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.abi import Dentry, FileOperations, Inode
from kernel.errno import Errno
from kernel.fs import Attr, Dir, Symlink
from kernel.fs.file import FileNode, attach_rw, new_dentry, new_inode
from kernel.mm import BadAddress
from kernel.record import field, record

if TYPE_CHECKING:
    from kernel.kprobes import Kprobes
    from kernel.machine import Kernel
    from kernel.module.main import Module

S_IFMT, S_IFDIR, S_IFREG, S_IFLNK = 0o170000, 0o040000, 0o100000, 0o120000
S_IALLUGO = 0o7777
DEBUGFS_DEFAULT_MODE = 0o700            # the root, as mounted without options
DIR_MODE = 0o755                        # S_IRWXU | S_IRUGO | S_IXUGO
FSDATA_IS_REAL_FOPS_BIT = 1
MAX_ERRNO = 4095
NAME_MAX = 255


def is_err(p: int) -> bool:
    return (p & (2**64 - 1)) >= 2**64 - MAX_ERRNO


@record(eq=False)
class DebugDir(Dir):
    """A debugfs directory: its mode is the inode's (ls -l shows it)."""

    mode: int = DIR_MODE
    size: int = 0


@record(eq=False)
class Entry:
    """One debugfs dentry and what it is."""

    name: str
    dentry: int
    inode: int
    parent: "Entry | None"
    node: DebugDir | FileNode | Symlink
    real_fops: int = 0
    children: dict[str, "Entry"] = field(default_factory=dict)
    removed: bool = False

    @property
    def is_dir(self) -> bool:
        return isinstance(self.node, DebugDir)


class Debugfs:
    """The one debugfs super block of a Kernel."""

    def __init__(self, k: "Kernel") -> None:
        self.k = k
        self.root_dir = DebugDir(mode=DEBUGFS_DEFAULT_MODE)
        k.vfs.root.mkdir("sys/kernel").children["debug"] = self.root_dir
        self.by_dentry: dict[int, Entry] = {}
        self._root: Entry | None = None
        self._fops: dict[str, int] = {}
        self._strings: dict[str, int] = {}
        self._scratch = 0
        self.pinned: dict[int, "Module"] = {}   # an open struct file -> the module its open pinned

    # --- the tree --------------------------------------------------------------------
    @property
    def root(self) -> Entry:
        """The root's dentry, made when a module first asks for debugfs."""
        if self._root is None:
            k = self.k
            inode = new_inode(k, S_IFDIR | DEBUGFS_DEFAULT_MODE)
            dentry = new_dentry(k, "/", inode)
            self._root = Entry("", dentry, inode, None, self.root_dir)
            self.by_dentry[dentry] = self._root
        return self._root

    def entry(self, dentry: int) -> Entry | None:
        """The entry DENTRY is; for a pointer that is none, the dentry is read as the kernel
        would (a fault where nothing is mapped), then None."""
        e = self.by_dentry.get(dentry)
        if e is None and dentry:
            self._touch(dentry + Dentry.d_inode.offset)
        return e

    def _touch(self, addr: int) -> None:
        k = self.k
        if not k.mem.valid(addr, 8) or not k.pagetable.present(addr):
            raise BadAddress(addr)

    def parent_for_create(self, parent: int) -> Entry | None:
        """start_creating()'s parent: the root for NULL, None for an error pointer or a
        dentry that is no debugfs directory."""
        if is_err(parent):
            return None
        if not parent:
            return self.root
        e = self.entry(parent)
        return e if e is not None and e.is_dir else None

    def failed(self, err: int) -> int:
        """What a creator returns when it fails: NULL on 4.19, ERR_PTR(err) from 5.0 on."""
        return -err & (2**64 - 1) if self.k.profile.debugfs_err_ptr else 0

    def create(self, name: str, parent: int, node: DebugDir | FileNode | Symlink, mode: int,
               private: int = 0, i_fop: int = 0, real_fops: int = 0) -> int:
        """start_creating() .. end_creating(): the new dentry, or what failed() says (a name
        that is taken or that a lookup refuses, a parent that is no directory)."""
        k = self.k
        if is_err(parent):
            return parent if k.profile.debugfs_err_ptr else 0
        p = self.parent_for_create(parent)
        if p is None:
            return self.failed(Errno.ENOTDIR)
        if not name or "/" in name or name in (".", "..") or len(name) > NAME_MAX:
            return self.failed(Errno.EACCES if name else Errno.ENOENT)
        if name in p.children:
            if k.profile.debugfs_err_ptr:
                what = ("Directory '{}' with parent '{}'" if p.children[name].is_dir
                        else "File '{}' in directory '{}'")
                k.printk.printk(f"\x013debugfs: {what.format(name, p.name or '/')} already "
                                "present!\n")
            return self.failed(Errno.EEXIST)
        inode = new_inode(k, mode, private=private, fops=i_fop)
        dentry = new_dentry(k, name, inode, p.dentry)
        if real_fops:
            k.mem.set_u64(dentry + Dentry.d_fsdata.offset, real_fops | FSDATA_IS_REAL_FOPS_BIT)
        e = Entry(name, dentry, inode, p, node, real_fops)
        if isinstance(node, FileNode):
            node.inode, node.dentry, node.fops = inode, dentry, i_fop
            node.on_last_close = lambda: self._release(e)
            node.on_release = self.unpin
        p.children[name] = e
        p.node.children[name] = node
        self.by_dentry[dentry] = e
        if isinstance(node, DebugDir):
            self._nlink(p.inode, +1)
            self._nlink(inode, +1)
        return dentry

    def _nlink(self, inode: int, delta: int) -> None:
        at = inode + Inode.i_nlink.offset
        self.k.mem.set_u32(at, max(self.k.mem.u32(at) + delta, 0))

    def lookup(self, name: str, parent: int) -> int:
        """debugfs_lookup(): the child NAME of PARENT (NULL: the root), or 0."""
        if is_err(parent):
            return 0
        p = self.root if not parent else self.entry(parent)
        if p is None or not p.is_dir:
            return 0
        child = p.children.get(name)
        if child is None:
            return 0
        at = child.dentry + Dentry.d_lockref.offset + 4           # dget()
        self.k.mem.set_u32(at, self.k.mem.u32(at) + 1)
        return child.dentry

    def rename(self, e: Entry, new_dir: Entry, new_name: str) -> bool:
        """simple_rename() + d_move(): E becomes NEW_NAME in NEW_DIR, unless that name is
        taken or E is NEW_DIR or above it."""
        if e.parent is None or e.removed or not new_dir.is_dir or new_dir.removed:
            return False
        if not new_name or "/" in new_name or new_name in (".", "..") or len(new_name) > NAME_MAX:
            return False
        if new_name in new_dir.children:
            return False
        up: Entry | None = new_dir
        while up is not None:
            if up is e:
                return False
            up = up.parent
        old = e.parent
        old.children.pop(e.name, None)
        if old.node.children.get(e.name) is e.node:
            old.node.children.pop(e.name)
        if e.is_dir:
            self._nlink(old.inode, -1)
            self._nlink(new_dir.inode, +1)
        e.name, e.parent = new_name, new_dir
        new_dir.children[new_name] = e
        new_dir.node.children[new_name] = e.node
        raw = new_name.encode("latin-1", "replace")[:31]
        iname = e.dentry + Dentry.d_iname.offset
        self.k.mem.write(iname, raw + b"\0")
        self.k.mem.set_u32(e.dentry + Dentry.d_name.offset + 4, len(raw))
        self.k.mem.set_u64(e.dentry + Dentry.d_parent.offset, new_dir.dentry)
        if isinstance(e.node, FileNode):
            e.node.name = new_name
        return True

    def remove(self, e: Entry) -> bool:
        """__debugfs_remove(): unlink E (a directory only when empty); False if it stays."""
        if e.parent is None or e.removed:
            return False
        if e.is_dir and e.children:
            return False                            # simple_rmdir(): -ENOTEMPTY
        p = e.parent
        p.children.pop(e.name, None)
        if p.node.children.get(e.name) is e.node:
            p.node.children.pop(e.name)
        e.removed = True
        if e.is_dir:
            self._nlink(p.inode, -1)
        if not isinstance(e.node, FileNode) or not e.node.opens:
            self._release(e)
        return True

    def remove_recursive(self, e: Entry) -> None:
        """debugfs_remove_recursive(): the children first, then E."""
        for child in list(e.children.values()):
            self.remove_recursive(child)
        self.remove(e)

    def _release(self, e: Entry) -> None:
        """The last dput(): a removed entry's dentry and inode are freed."""
        if not e.removed or self.by_dentry.get(e.dentry) is not e:
            return
        del self.by_dentry[e.dentry]
        self.k.slab.kfree(e.dentry)
        self.k.slab.kfree(e.inode)

    def is_live(self, dentry: int) -> bool:
        """debugfs_file_get() succeeds: the file has not been removed."""
        e = self.by_dentry.get(dentry)
        return e is not None and not e.removed

    # --- file operations the kernel provides -------------------------------------------
    def builtin_fops(self, name: str, ops: dict[str, str], owner: int = 0) -> int:
        """A guest file_operations NAME whose members are the kernel functions OPS names."""
        addr = self._fops.get(name)
        if addr is None:
            k = self.k
            addr = self._fops[name] = k.slab.kmalloc(FileOperations.size, zero=True)
            for member, fn in ops.items():
                k.mem.set_u64(addr + getattr(FileOperations, member).offset,
                              k.cpu.stub_by_name[fn].addr)
        return addr

    def unpin(self, filp: int) -> None:
        """__fput()'s fops_put(): the module the open pinned is let go."""
        m = self.pinned.pop(filp, None)
        if m is not None:
            self.k.loader.module_put(m)

    def cstring(self, text: str) -> int:
        """A kernel string constant (a value file's format)."""
        addr = self._strings.get(text)
        if addr is None:
            raw = text.encode() + b"\0"
            addr = self._strings[text] = self.k.slab.kmalloc(len(raw))
            self.k.mem.write(addr, raw)
        return addr

    def scratch(self, data: bytes) -> int:
        """A kernel buffer holding DATA (at most 64 bytes; a read's on-stack buffer)."""
        if not self._scratch:
            self._scratch = self.k.slab.kmalloc(64, zero=True)
        self.k.mem.write(self._scratch, data[:64])
        return self._scratch

    def file_node(self, name: str, mode: int) -> FileNode:
        """The VFS node of a new debugfs file (its inode and dentry come with create())."""
        node = FileNode(mode & 0o7777, name=name, size=0)
        return attach_rw(self.k, node)


def debugfs_init(k: "Kernel") -> None:
    """debugfs_init(): the mount point /sys/kernel/debug and its file system."""
    k.debugfs = Debugfs(k)


def debugfs_kprobe_init(k: "Kernel") -> None:
    """debugfs_kprobe_init() (kernel/kprobes.c): /sys/kernel/debug/kprobes/{list,enabled,blacklist};
    kernel.kprobes is imported at the first use of one (a start that never probes never loads it)."""
    def kprobes() -> "Kprobes":
        from kernel.kprobes import kprobes_of
        return kprobes_of(k)
    d = DebugDir()
    d.children["list"] = Attr(0o400, lambda: kprobes().list_text())
    d.children["enabled"] = Attr(0o600, lambda: kprobes().enabled_text(),
                                 lambda text: kprobes().set_enabled(text))
    d.children["blacklist"] = Attr(0o400, lambda: kprobes().blacklist_text())
    k.debugfs.root_dir.children["kprobes"] = d
