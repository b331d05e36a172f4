"""/proc entries with file operations (fs/proc/generic.c and fs/proc/inode.c, 4.19).

Every entry a module (or vmlinux) registers is a proc_dir_entry here, with a guest struct
inode and the file_operations it was given: a kernel.fs.file.FileNode, opened, read and
written by the VFS (kernel/fs/file.py) as proc_reg_open/read/write/release would.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.abi import FileOperations, Inode
from kernel.bug import WarnSite
from kernel.errno import Errno
from kernel.fs import Attr, Dir
from kernel.fs.file import FileNode, attach_rw, new_inode
from kernel.record import field, record

if TYPE_CHECKING:
    from kernel.machine import Kernel

S_IFMT, S_IFDIR, S_IFREG, S_IFLNK = 0o170000, 0o040000, 0o100000, 0o120000
S_IRUGO, S_IXUGO, S_IALLUGO = 0o444, 0o111, 0o7777
PDE_STRUCT = 64                   # bytes of the opaque struct proc_dir_entry (holds the name)
# fs/proc/generic.c's WARNs (4.19.0 lines; 5.4's: kernel/profile.py WARN_MOVES_5_4)
WARN_XLATE = WarnSite("fs/proc/generic.c", 175, "__xlate_proc_name")
WARN_REGISTERED = WarnSite("fs/proc/generic.c", 359, "proc_register")
WARN_NAME_LEN = WarnSite("fs/proc/generic.c", 388, "__proc_create")
WARN_NAME_DOT = WarnSite("fs/proc/generic.c", 392, "__proc_create")
WARN_NAME_DOTDOT = WarnSite("fs/proc/generic.c", 396, "__proc_create")
WARN_BY_HAND = WarnSite("fs/proc/generic.c", 400, "__proc_create")
WARN_NOT_REG = WarnSite("fs/proc/generic.c", 523, "proc_create_reg", once=True)
WARN_REMOVE = WarnSite("fs/proc/generic.c", 670, "remove_proc_entry")
WARN_NONEMPTY = WarnSite("fs/proc/generic.c", 679, "remove_proc_entry")

# proc_reg_file_ops: the wrappers each call goes through on its way to the entry's fops
PROC_VIA = {"open": "proc_reg_open", "read": "proc_reg_read", "write": "proc_reg_write",
            "llseek": "proc_reg_llseek", "unlocked_ioctl": "proc_reg_unlocked_ioctl",
            "release": "proc_reg_release"}
# what proc_create_single() and proc_create_seq() entries are served by (kernel/api/proc_fs.py;
# here, so that a boot's vmlinux entries need not import the api module and seq_file)
SINGLE_FOPS = {"open": "proc_single_open", "read": "seq_read", "llseek": "seq_lseek",
               "release": "single_release"}
SEQ_FOPS = {"open": "proc_seq_open", "read": "seq_read", "llseek": "seq_lseek",
            "release": "proc_seq_release"}


@record(eq=False)
class ProcDirEntry:
    """struct proc_dir_entry: a /proc file or directory and what serves it."""

    name: str
    mode: int
    parent: "ProcDirEntry | None"
    node: Dir | Attr
    addr: int = 0                   # guest struct proc_dir_entry
    inode: int = 0                  # guest struct inode (i_private = data)
    fops: int = 0                   # guest struct file_operations
    data: int = 0
    single_show: int = 0            # proc_create_single()
    seq_ops: int = 0                # proc_create_seq_private()
    state_size: int = 0
    uid: int = 0                    # proc_set_user()
    gid: int = 0
    children: dict[str, "ProcDirEntry"] = field(default_factory=dict)

    @property
    def is_dir(self) -> bool:
        return self.mode & S_IFMT == S_IFDIR

    @property
    def path_name(self) -> str:
        """dir->name as the WARNs print it: "/proc" for the root."""
        return self.name


class Procfs:
    """The proc_dir_entry tree of one Kernel, hung into the VFS under /proc."""

    def __init__(self, k: "Kernel", proc: Dir) -> None:
        self.k = k
        self.root = ProcDirEntry("/proc", S_IFDIR | 0o555, None, proc)
        self.by_addr: dict[int, ProcDirEntry] = {}
        self.by_inode: dict[int, ProcDirEntry] = {}
        self._fops: dict[str, int] = {}

    # --- guest objects ---------------------------------------------------------------------
    def builtin_fops(self, name: str, ops: dict[str, str]) -> int:
        """A file_operations in guest memory whose members are kernel functions (proc_single_fops)."""
        addr = self._fops.get(name)
        if addr is None:
            k = self.k
            addr = self._fops[name] = k.slab.kmalloc(FileOperations.size, zero=True)
            for member, fn in ops.items():
                k.mem.set_u64(addr + getattr(FileOperations, member).offset, k.cpu.stub_by_name[fn].addr)
        return addr

    def _warn(self, site: WarnSite, msg: str) -> None:
        k = self.k
        if k.sched.current is None:
            k.log.warn(msg)
            return
        k.warn_at(site, msg + "\n" if msg else "")

    # --- creating --------------------------------------------------------------------------
    def xlate(self, name: str, parent: ProcDirEntry | None) -> tuple[ProcDirEntry, str] | None:
        """__xlate_proc_name(): walk the directories of "a/b/c" below PARENT to c's."""
        d = parent or self.root
        *dirs, last = name.split("/")
        for part in dirs:
            nxt = d.children.get(part)
            if nxt is None or not nxt.is_dir:
                self._warn(WARN_XLATE, f"name '{name}'")
                return None
            d = nxt
        return d, last

    def create(self, name: str, mode: int, parent: ProcDirEntry | None) -> ProcDirEntry | None:
        """__proc_create() + proc_register(): a new entry, or None (after a WARN)."""
        found = self.xlate(name, parent)
        if found is None:
            return None
        d, fn = found
        if not fn or len(fn) >= 256:
            self._warn(WARN_NAME_LEN, f"name len {len(fn)}")
            return None
        if fn in (".", ".."):
            self._warn(WARN_NAME_DOT if fn == "." else WARN_NAME_DOTDOT, f"name '{fn}'")
            return None
        if d is self.root and fn.isdigit():
            self._warn(WARN_BY_HAND, f"create '/proc/{fn}' by hand")
            return None
        dir_node = d.node
        assert isinstance(dir_node, Dir)
        # (the root's computed entries are the /proc/<pid> directories, refused above: no
        # need to build them all to look for a name)
        computed = dir_node.entries() if d is not self.root else dir_node.children
        if fn in d.children or fn in computed:
            self._warn(WARN_REGISTERED, f"proc_dir_entry '{d.path_name}/{fn}' already registered")
            return None
        k = self.k
        inode = new_inode(k, mode)
        # root opens any proc file for writing (dac_override); a missing ->read is EIO
        node: Dir | Attr = Dir() if mode & S_IFMT == S_IFDIR else attach_rw(k, FileNode(
            mode & 0o777, dac_override=True, name=fn, inode=inode, missing_op=Errno.EIO,
            via=PROC_VIA))
        de = ProcDirEntry(fn, mode, d, node)
        de.addr = k.slab.kmalloc(PDE_STRUCT, zero=True)
        de.inode = inode
        k.mem.put_cstr(de.addr, fn[:PDE_STRUCT - 1])
        d.children[fn] = de
        dir_node.children[fn] = node
        self.by_addr[de.addr] = de
        self.by_inode[de.inode] = de
        return de

    def create_reg(self, name: str, mode: int, parent: ProcDirEntry | None, data: int,
                   fops: int) -> ProcDirEntry | None:
        """proc_create_reg(): a regular file, readable by all unless a mode says otherwise."""
        if mode & S_IFMT == 0:
            mode |= S_IFREG
        if mode & S_IALLUGO == 0:
            mode |= S_IRUGO
        if mode & S_IFMT != S_IFREG:
            self._warn(WARN_NOT_REG, "")
            return None
        de = self.create(name, mode, parent)
        if de is not None:
            de.fops, de.data = fops, data
            self.k.mem.set_u64(de.inode + Inode.i_private.offset, data)
            self.k.mem.set_u64(de.inode + Inode.i_fop.offset, fops)
            assert isinstance(de.node, FileNode)
            de.node.fops = fops
        return de

    def mkdir(self, name: str, mode: int, parent: ProcDirEntry | None, data: int) -> ProcDirEntry | None:
        if mode == 0:
            mode = S_IRUGO | S_IXUGO
        de = self.create(name, S_IFDIR | mode, parent)
        if de is not None:
            de.data = data
        return de

    # --- removing --------------------------------------------------------------------------
    def _drop(self, de: ProcDirEntry) -> None:
        k = self.k
        parent = de.parent
        assert parent is not None
        parent.children.pop(de.name, None)
        assert isinstance(parent.node, Dir)
        parent.node.remove(de.name)
        self.by_addr.pop(de.addr, None)
        self.by_inode.pop(de.inode, None)
        k.slab.kfree(de.addr)
        k.slab.kfree(de.inode)

    def remove(self, name: str, parent: ProcDirEntry | None) -> None:
        """remove_proc_entry(): WARNs for a name that is not there and for a directory that
        still has entries (which are leaked)."""
        found = self.xlate(name, parent)
        if found is None:
            return
        d, fn = found
        de = d.children.get(fn)
        if de is None:
            self._warn(WARN_REMOVE, f"name '{name}'")
            return
        self._drop(de)
        if de.children:
            first = next(iter(de.children.values()))
            self._warn(WARN_NONEMPTY,
                       f"remove_proc_entry: removing non-empty directory '{d.path_name}/{de.name}', "
                       f"leaking at least '{first.name}'")

    def remove_subtree(self, name: str, parent: ProcDirEntry | None) -> int:
        found = self.xlate(name, parent)
        if found is None:
            return -Errno.ENOENT
        d, fn = found
        de = d.children.get(fn)
        if de is None:
            return -Errno.ENOENT
        for child in list(de.children.values()):
            self.remove_subtree(child.name, de)
        self._drop(de)
        return 0
