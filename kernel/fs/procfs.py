"""/proc entries with file operations (fs/proc/generic.c and fs/proc/inode.c, 4.19).

Every entry a module (or vmlinux) registers is a proc_dir_entry here, with a guest struct
inode and the file_operations it was given. Reading it (`cat`) opens a guest struct file,
calls ->open, then ->read with a 128 KiB user buffer until it returns 0 (as coreutils cat
does), then ->release; writing (`echo >`) calls ->write until everything is written.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

from kernel.abi import FileOperations, File, Inode
from kernel.api import s32, s64
from kernel.errno import Errno, KernelError
from kernel.fs import Attr, Dir
from kernel.sched import TaskKilled

if TYPE_CHECKING:
    from kernel.machine import Kernel

S_IFMT, S_IFDIR, S_IFREG, S_IFLNK = 0o170000, 0o040000, 0o100000, 0o120000
S_IRUGO, S_IXUGO, S_IALLUGO = 0o444, 0o111, 0o7777
FMODE_READ, FMODE_WRITE, FMODE_LSEEK, FMODE_PREAD, FMODE_PWRITE = 0x1, 0x2, 0x4, 0x8, 0x10
O_WRONLY, O_CREAT, O_TRUNC = 0o1, 0o100, 0o1000
READ_CHUNK = 128 * 1024           # coreutils cat's buffer (io_blksize)
READ_LIMIT = 64 << 20             # a file that never ends: cat is stopped after this much
PDE_STRUCT = 64                   # bytes of the opaque struct proc_dir_entry (holds the name)
# fs/proc/generic.c WARN sites (line numbers of a 4.19 tree, approximate)
WARN_REGISTERED = ("fs/proc/generic.c", 354)
WARN_XLATE = ("fs/proc/generic.c", 172)
WARN_CREATE = ("fs/proc/generic.c", 395)
WARN_REMOVE = ("fs/proc/generic.c", 684)
WARN_NONEMPTY = ("fs/proc/generic.c", 695)

_OPEN_FRAMES = ("do_sys_open", "do_filp_open", "path_openat", "vfs_open", "do_dentry_open")
_READ_FRAMES = ("ksys_read", "vfs_read", "__vfs_read")
_WRITE_FRAMES = ("ksys_write", "vfs_write", "__vfs_write")
_CLOSE_FRAMES = ("exit_to_usermode_loop", "task_work_run", "__fput")


@dataclass(eq=False)
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

    def _warn(self, site: tuple[str, int], fn: str, msg: str) -> None:
        k = self.k
        if k.sched.current is None:
            k.log.warn(msg)
            return
        k.warn(site[0], site[1], k.cpu.host_addr(fn), msg + "\n")

    # --- creating --------------------------------------------------------------------------
    def xlate(self, name: str, parent: ProcDirEntry | None) -> tuple[ProcDirEntry, str] | None:
        """__xlate_proc_name(): walk the directories of "a/b/c" below PARENT to c's."""
        d = parent or self.root
        *dirs, last = name.split("/")
        for part in dirs:
            nxt = d.children.get(part)
            if nxt is None or not nxt.is_dir:
                self._warn(WARN_XLATE, "__xlate_proc_name", f"name '{name}'")
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
            self._warn(WARN_CREATE, "__proc_create", f"name len {len(fn)}")
            return None
        if fn in (".", ".."):
            self._warn(WARN_CREATE, "__proc_create", f"name '{fn}'")
            return None
        if d is self.root and fn.isdigit():
            self._warn(WARN_CREATE, "__proc_create", f"create '/proc/{fn}' by hand")
            return None
        dir_node = d.node
        assert isinstance(dir_node, Dir)
        if fn in d.children or fn in dir_node.entries():
            self._warn(WARN_REGISTERED, "proc_register",
                       f"proc_dir_entry '{d.path_name}/{fn}' already registered")
            return None
        k = self.k
        node: Dir | Attr = Dir() if mode & S_IFMT == S_IFDIR else Attr(mode & 0o777)
        de = ProcDirEntry(fn, mode, d, node)
        de.addr = k.slab.kmalloc(PDE_STRUCT, zero=True)
        de.inode = k.slab.kmalloc(Inode.size, zero=True)
        k.mem.put_cstr(de.addr, fn[:PDE_STRUCT - 1])
        k.mem.set_u16(de.inode + Inode.i_mode.offset, mode)
        if isinstance(node, Attr):
            node.show = lambda: proc_reg_read_all(k, de)
            node.store = lambda data: proc_reg_write_all(k, de, data)
            node.dac_override = True      # root opens any proc file for writing
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
            self._warn(WARN_CREATE, "proc_create_reg", "")
            return None
        de = self.create(name, mode, parent)
        if de is not None:
            de.fops, de.data = fops, data
            self.k.mem.set_u64(de.inode + Inode.i_private.offset, data)
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
            self._warn(WARN_REMOVE, "remove_proc_entry", f"name '{name}'")
            return
        self._drop(de)
        if de.children:
            first = next(iter(de.children.values()))
            self._warn(WARN_NONEMPTY, "remove_proc_entry",
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


# --- the file operations, called for a system call of the current (user) task -----------------
def _fop(k: "Kernel", de: ProcDirEntry, member: str) -> int:
    return k.mem.u64(de.fops + getattr(FileOperations, member).offset) if de.fops else 0


def _with_frames(k: "Kernel", frames: tuple[str, ...], fn, *args):
    task = k.current
    task.host_stack.extend(frames)
    try:
        return fn(*args)
    finally:
        del task.host_stack[-len(frames):]


def _open(k: "Kernel", de: ProcDirEntry, fmode: int, flags: int) -> int:
    """do_dentry_open() -> proc_reg_open(): a struct file, then ->open; the file or an error."""
    mem = k.mem
    file = k.slab.kmalloc(File.size, zero=True)
    mem.set_u64(file + File.f_inode.offset, de.inode)
    mem.set_u64(file + File.f_op.offset, de.fops)
    mem.set_u64(file + File.f_count.offset, 1)
    mem.set_u32(file + File.f_flags.offset, flags)
    mem.set_u32(file + File.f_mode.offset, fmode | FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE)
    op = _fop(k, de, "open")
    if op:
        rv = s32(_with_frames(k, _OPEN_FRAMES, k.call_fn, op, (de.inode, file), "proc_reg_open"))
        if rv:
            k.slab.kfree(file)
            raise KernelError(-rv)
    return file


def _release(k: "Kernel", de: ProcDirEntry, file: int) -> None:
    op = _fop(k, de, "release")
    if op:
        _with_frames(k, _CLOSE_FRAMES, k.call_fn, op, (de.inode, file), "proc_reg_release")
    k.slab.kfree(file)


@contextmanager
def _opened(k: "Kernel", de: ProcDirEntry, fmode: int, flags: int, size: int) -> Iterator[tuple[int, int]]:
    """open() the entry and get a kernel buffer of SIZE: (struct file, buffer). Released and
    freed afterwards, unless the task dies with the file open."""
    file = _open(k, de, fmode, flags)
    buf = k.heap.alloc(max(size, 1))
    try:
        yield file, buf
    except TaskKilled:
        raise
    except BaseException:
        _release(k, de, file)
        raise
    else:
        _release(k, de, file)
    finally:
        k.heap.free(buf)


def proc_reg_read_all(k: "Kernel", de: ProcDirEntry) -> str:
    """open, read until end of file, close: what `cat /proc/...` gets."""
    mem = k.mem
    out: list[bytes] = []
    with _opened(k, de, FMODE_READ, 0, READ_CHUNK) as (file, buf):
        read = _fop(k, de, "read")
        total = 0
        while total < READ_LIMIT:
            if not read:
                raise KernelError(Errno.EIO)      # proc_reg_read() without ->read
            ppos = file + File.f_pos.offset
            n = s64(_with_frames(k, _READ_FRAMES, k.call_fn, read, (file, buf, READ_CHUNK, ppos),
                                 "proc_reg_read"))
            if n < 0:
                raise KernelError(-n)
            if n == 0:
                break
            n = min(n, READ_CHUNK)
            out.append(mem.read(buf, n))
            total += n
    return b"".join(out).decode("latin-1")


def proc_reg_write_all(k: "Kernel", de: ProcDirEntry, data: str) -> None:
    """open for writing (as a shell redirection does), write it all, close."""
    raw = data.encode("latin-1", "replace")
    with _opened(k, de, FMODE_WRITE, O_WRONLY | O_CREAT | O_TRUNC, len(raw)) as (file, buf):
        k.mem.write(buf, raw)
        write = _fop(k, de, "write")
        if not write:
            raise KernelError(Errno.EIO)          # proc_reg_write() without ->write
        done = 0
        while done < len(raw):
            ppos = file + File.f_pos.offset
            n = s64(_with_frames(k, _WRITE_FRAMES, k.call_fn, write,
                                 (file, buf + done, len(raw) - done, ppos), "proc_reg_write"))
            if n < 0:
                raise KernelError(-n)
            if n == 0:
                break
            done += min(n, len(raw) - done)
