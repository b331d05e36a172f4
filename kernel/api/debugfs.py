"""linux/debugfs.h: debugfs for modules (fs/debugfs/inode.c, file.c; 4.19, CONFIG_DEBUG_FS=y).

A file made by debugfs_create_file() has inode->i_fop = debugfs_full_proxy_file_operations:
its open pins the real file_operations' owner, puts a proxy in file->f_op whose every call
fails with -EIO once the file is removed, and calls the real open. debugfs_create_file_unsafe()
(and the value files, u32 and friends) use the open proxy, which hands the real operations
to the file. The value files read and write through simple_attr (kernel/api/fs.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.abi import DebugfsBlobWrapper, Dentry, File, FileOperations, Inode
from kernel.api import kapi, s32, s64
from kernel.api.fs import simple_attr_open, simple_attr_read, simple_attr_write, simple_read_from_buffer
from kernel.errno import Errno
from kernel.fs import Symlink
from kernel.fs.debugfs import DIR_MODE, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, DebugDir, is_err
from kernel.mm import BadAddress

if TYPE_CHECKING:
    from kernel.machine import Kernel

S_IRUGO, S_IWUGO = 0o444, 0o222
NAME_LEN = 4096
F_DENTRY = File.f_path.offset + 8               # file->f_path.dentry
NOOP_FOPS = {"read": "default_read_file", "write": "default_write_file", "open": "simple_open",
             "llseek": "noop_llseek"}
FULL_PROXY_FOPS = {"open": "full_proxy_open"}
OPEN_PROXY_FOPS = {"open": "open_proxy_open"}
# what a full proxy forwards, when the real operations have it
PROXIED = ("llseek", "read", "write", "poll", "unlocked_ioctl")
EPOLLHUP = 0x10


def _name(k: "Kernel", ptr: int) -> str:
    return k.mem.cstr(ptr, NAME_LEN) if ptr else ""


def _readable(k: "Kernel", addr: int, n: int) -> None:
    """Fault (an Oops in the caller) unless [ADDR, ADDR+N) is mapped: data a module left
    behind when it was unloaded is no longer there."""
    for a in (addr, addr + n - 1):
        if not k.mem.valid(a, 1) or not k.pagetable.present(a):
            raise BadAddress(a)


def _fops(k: "Kernel", name: str, ops: dict[str, str]) -> int:
    return k.debugfs.builtin_fops(name, ops)


# --- creating and removing ---------------------------------------------------------------------
def create_file(k: "Kernel", name: int, mode: int, parent: int, data: int, fops: int,
                proxy: dict[str, str], proxy_name: str) -> int:
    """__debugfs_create_file(): a regular file (0 if it cannot be made)."""
    mode &= 0xFFFF
    if not mode & S_IFMT:
        mode |= S_IFREG
    if mode & S_IFMT != S_IFREG:
        return k.debugfs.failed(Errno.EINVAL)
    text = _name(k, name)
    i_fop = _fops(k, proxy_name, proxy) if fops else _fops(k, "debugfs_noop_file_operations",
                                                            NOOP_FOPS)
    node = k.debugfs.file_node(text, mode)
    return k.debugfs.create(text, parent, node, mode, private=data, i_fop=i_fop, real_fops=fops)


@kapi()
def debugfs_create_file(k: "Kernel", name: int, mode: int, parent: int, data: int,
                        fops: int) -> int:
    return create_file(k, name, mode, parent, data, fops, FULL_PROXY_FOPS,
                       "debugfs_full_proxy_file_operations")


@kapi()
def debugfs_create_file_unsafe(k: "Kernel", name: int, mode: int, parent: int, data: int,
                               fops: int) -> int:
    return create_file(k, name, mode, parent, data, fops, OPEN_PROXY_FOPS,
                       "debugfs_open_proxy_file_operations")


@kapi()
def debugfs_create_file_size(k: "Kernel", name: int, mode: int, parent: int, data: int,
                             fops: int, file_size: int) -> int:
    de = debugfs_create_file(k, name, mode, parent, data, fops)
    e = k.debugfs.by_dentry.get(de)
    if e is not None:
        k.mem.set_u64(e.inode + Inode.i_size.offset, file_size)
        e.node.size = s64(file_size)
    return de


@kapi()
def debugfs_create_dir(k: "Kernel", name: int, parent: int) -> int:
    text = _name(k, name)
    return k.debugfs.create(text, parent, DebugDir(), S_IFDIR | DIR_MODE)


@kapi()
def debugfs_create_symlink(k: "Kernel", name: int, parent: int, target: int) -> int:
    dest = _name(k, target)
    link = k.slab.kmalloc(len(dest) + 1)            # kstrdup(): inode->i_link
    if not link:
        return k.debugfs.failed(Errno.ENOMEM)
    k.mem.write(link, dest.encode("latin-1") + b"\0")
    de = k.debugfs.create(_name(k, name), parent, Symlink(dest, size=0), S_IFLNK | 0o777)
    if de not in k.debugfs.by_dentry:
        k.slab.kfree(link)
    return de


@kapi()
def debugfs_remove(k: "Kernel", dentry: int) -> None:
    if not dentry or is_err(dentry):
        return
    e = k.debugfs.entry(dentry)
    if e is not None:
        k.debugfs.remove(e)


@kapi()
def debugfs_remove_recursive(k: "Kernel", dentry: int) -> None:
    if not dentry or is_err(dentry):
        return
    e = k.debugfs.entry(dentry)
    if e is not None:
        k.debugfs.remove_recursive(e)


@kapi()
def debugfs_rename(k: "Kernel", old_dir: int, old_dentry: int, new_dir: int, new_name: int) -> int:
    """OLD_DENTRY moved to NEW_DIR as NEW_NAME: OLD_DENTRY, or 0 (an error pointer comes back
    as it was given)."""
    for p in (old_dir, new_dir):
        if is_err(p):
            return p
    if not old_dentry or is_err(old_dentry):
        return old_dentry
    fs = k.debugfs
    e, src, dst = fs.entry(old_dentry), fs.entry(old_dir), fs.entry(new_dir)
    if e is None or src is None or dst is None or e.parent is not src:
        return 0
    return old_dentry if fs.rename(e, dst, _name(k, new_name)) else 0


@kapi()
def debugfs_lookup(k: "Kernel", name: int, parent: int) -> int:
    return k.debugfs.lookup(_name(k, name), parent)


@kapi()
def debugfs_initialized(k: "Kernel") -> int:
    return 1


# --- the proxies -------------------------------------------------------------------------------
def _dentry(k: "Kernel", filp: int) -> int:
    return k.mem.u64(filp + F_DENTRY)


def _real(k: "Kernel", filp: int) -> int:
    """debugfs_real_fops(): the operations the file was made with."""
    e = k.debugfs.by_dentry.get(_dentry(k, filp))
    return e.real_fops if e is not None else 0


def _pin(k: "Kernel", filp: int, real: int) -> int:
    """fops_get() of the real operations: 0, or -ENXIO (after the WARN 4.19 gives a file
    whose owner is gone without removing it)."""
    _readable(k, real, FileOperations.size)
    owner = k.mem.u64(real + FileOperations.owner.offset)
    m = k.module_by_struct(owner) if owner else None
    if m is None:
        return 0
    if not k.loader.try_module_get(m):
        return -Errno.ENXIO                          # its owner is going away
    k.debugfs.pinned[filp] = m
    return 0


def _unpin(k: "Kernel", filp: int) -> None:
    m = k.debugfs.pinned.pop(filp, None)
    if m is not None:
        k.loader.module_put(m)


def _open_checks(k: "Kernel", filp: int) -> int:
    """debugfs_file_get() at open: -ENOENT for a removed file."""
    if not k.debugfs.is_live(_dentry(k, filp)):
        return -Errno.ENOENT
    return 0


def _proxy_get(k: "Kernel", filp: int) -> tuple[int, int]:
    """The first steps of both proxies' open: debugfs_file_get(), then fops_get() of the
    real operations. Returns (0, the real operations) or (-errno, 0)."""
    r = _open_checks(k, filp)
    if r:
        return r, 0
    real = _real(k, filp)
    r = _pin(k, filp, real)
    return (r, 0) if r else (0, real)


@kapi()
def full_proxy_open(k: "Kernel", inode: int, filp: int) -> int:
    mem = k.mem
    r, real = _proxy_get(k, filp)
    if r:
        return r
    proxy = k.slab.kmalloc(FileOperations.size, zero=True)
    if not proxy:
        _unpin(k, filp)
        return -Errno.ENOMEM
    stubs = k.cpu.stub_by_name
    mem.set_u64(proxy + FileOperations.release.offset, stubs["full_proxy_release"].addr)
    for member in PROXIED:
        if mem.u64(real + getattr(FileOperations, member).offset):
            mem.set_u64(proxy + getattr(FileOperations, member).offset,
                        stubs[f"full_proxy_{member}"].addr)
    mem.set_u64(filp + File.f_op.offset, proxy)
    opener = mem.u64(real + FileOperations.open.offset)
    if opener:
        r = s32(k.call_fn(opener, (inode, filp), "full_proxy_open"))
        if r:
            mem.set_u64(filp + File.f_op.offset, mem.u64(inode + Inode.i_fop.offset))
            k.slab.kfree(proxy)
            _unpin(k, filp)
            return r
    return 0


@kapi()
def open_proxy_open(k: "Kernel", inode: int, filp: int) -> int:
    mem = k.mem
    r, real = _proxy_get(k, filp)
    if r:
        return r
    mem.set_u64(filp + File.f_op.offset, real)       # replace_fops()
    opener = mem.u64(real + FileOperations.open.offset)
    if opener:
        r = s32(k.call_fn(opener, (inode, filp), "open_proxy_open"))
    return r


def _forward(k: "Kernel", member: str, args: tuple[int, ...]) -> int:
    """full_proxy_MEMBER(): -EIO once the file is removed, else the real operation."""
    filp = args[0]
    if not k.debugfs.is_live(_dentry(k, filp)):
        return -Errno.EIO
    real = _real(k, filp)
    op = k.mem.u64(real + getattr(FileOperations, member).offset) if real else 0
    if not op:
        return -Errno.EIO
    return k.call_fn(op, args, f"full_proxy_{member}")


@kapi()
def full_proxy_llseek(k: "Kernel", filp: int, offset: int, whence: int) -> int:
    return _forward(k, "llseek", (filp, offset, whence))


@kapi()
def full_proxy_read(k: "Kernel", filp: int, buf: int, size: int, ppos: int) -> int:
    return _forward(k, "read", (filp, buf, size, ppos))


@kapi()
def full_proxy_write(k: "Kernel", filp: int, buf: int, size: int, ppos: int) -> int:
    return _forward(k, "write", (filp, buf, size, ppos))


@kapi()
def full_proxy_poll(k: "Kernel", filp: int, wait: int) -> int:
    """A removed file polls as hung up (EPOLLHUP), else the real poll."""
    if not k.debugfs.is_live(_dentry(k, filp)):
        return EPOLLHUP
    return _forward(k, "poll", (filp, wait))


@kapi()
def full_proxy_unlocked_ioctl(k: "Kernel", filp: int, cmd: int, arg: int) -> int:
    return _forward(k, "unlocked_ioctl", (filp, cmd, arg))


@kapi()
def full_proxy_release(k: "Kernel", inode: int, filp: int) -> int:
    mem = k.mem
    real = _real(k, filp)
    proxy = mem.u64(filp + File.f_op.offset)
    r = 0
    release = mem.u64(real + FileOperations.release.offset) if real else 0
    if release:
        r = s32(k.call_fn(release, (inode, filp), "full_proxy_release"))
    dentry = _dentry(k, filp)
    mem.set_u64(filp + File.f_op.offset, mem.u64(mem.u64(dentry + Dentry.d_inode.offset)
                                                 + Inode.i_fop.offset))
    if proxy != real:
        k.slab.kfree(proxy)
    return r


@kapi()
def debugfs_real_fops(k: "Kernel", filp: int) -> int:
    return _real(k, filp)


@kapi()
def debugfs_file_get(k: "Kernel", dentry: int) -> int:
    return 0 if k.debugfs.is_live(dentry) else -Errno.EIO


@kapi()
def debugfs_file_put(k: "Kernel", dentry: int) -> None:
    return None


@kapi()
def debugfs_attr_read(k: "Kernel", file: int, buf: int, len_: int, ppos: int) -> int:
    if not k.debugfs.is_live(_dentry(k, file)):
        return -Errno.EIO
    return simple_attr_read(k, file, buf, len_, ppos)


@kapi()
def debugfs_attr_write(k: "Kernel", file: int, buf: int, len_: int, ppos: int) -> int:
    if not k.debugfs.is_live(_dentry(k, file)):
        return -Errno.EIO
    return simple_attr_write(k, file, buf, len_, ppos)


@kapi()
def default_read_file(k: "Kernel", file: int, buf: int, count: int, ppos: int) -> int:
    return 0


@kapi()
def default_write_file(k: "Kernel", file: int, buf: int, count: int, ppos: int) -> int:
    return count


# --- value files: u8 .. u64, x8 .. x64, size_t, atomic_t, bool ----------------------------------
# name -> (bytes, signed, format of its reads)
VALUES: dict[str, tuple[int, bool, str]] = {
    "u8": (1, False, "%llu\n"), "u16": (2, False, "%llu\n"), "u32": (4, False, "%llu\n"),
    "u64": (8, False, "%llu\n"), "ulong": (8, False, "%llu\n"),
    "x8": (1, False, "0x%02llx\n"), "x16": (2, False, "0x%04llx\n"),
    "x32": (4, False, "0x%08llx\n"), "x64": (8, False, "0x%016llx\n"),
    "size_t": (8, False, "%llu\n"), "atomic_t": (4, True, "%lld\n"),
}
# the getter and setter each value file uses (x8 reads as u8 does)
ACCESSOR = {"x8": "u8", "x16": "u16", "x32": "u32", "x64": "u64"}


def _accessors(kind: str, size: int, signed: bool) -> None:
    """debugfs_KIND_get()/_set(): the value at DATA, as a u64 (an atomic_t sign-extended)."""
    def get(k: "Kernel", data: int, val: int) -> int:
        _readable(k, data, size)
        v = int.from_bytes(k.mem.read(data, size), "little", signed=signed)
        k.mem.set_u64(val, v & (2**64 - 1))
        return 0

    def set_(k: "Kernel", data: int, val: int) -> int:
        _readable(k, data, size)
        k.mem.write(data, (val & ((1 << (8 * size)) - 1)).to_bytes(size, "little"))
        return 0
    get.__name__, set_.__name__ = f"debugfs_{kind}_get", f"debugfs_{kind}_set"
    kapi(get.__name__)(get)
    kapi(set_.__name__)(set_)


def _value_open(kind: str, variant: str) -> None:
    """fops_KIND[_ro|_wo]_open(): simple_attr_open() with the value's accessors and format."""
    base = ACCESSOR.get(kind, kind)
    fmt = VALUES[kind][2]

    def open_(k: "Kernel", inode: int, file: int) -> int:
        stubs = k.cpu.stub_by_name
        get = stubs[f"debugfs_{base}_get"].addr if variant != "_wo" else 0
        set_ = stubs[f"debugfs_{base}_set"].addr if variant != "_ro" else 0
        return simple_attr_open(k, inode, file, get, set_, k.debugfs.cstring(fmt))
    open_.__name__ = f"fops_{kind}{variant}_open"
    kapi(open_.__name__)(open_)


for _kind, (_size, _signed, _fmt) in VALUES.items():
    if _kind not in ACCESSOR:
        _accessors(_kind, _size, _signed)
    for _variant in ("", "_ro", "_wo"):
        _value_open(_kind, _variant)


def _value_fops(k: "Kernel", kind: str, mode: int) -> int:
    """debugfs_create_mode_unsafe()'s choice: read-only without write bits, write-only
    without read bits, else both."""
    variant = "_ro" if not mode & S_IWUGO else "_wo" if not mode & S_IRUGO else ""
    ops = {"open": f"fops_{kind}{variant}_open", "release": "simple_attr_release",
           "read": "debugfs_attr_read", "write": "debugfs_attr_write", "llseek": "no_llseek"}
    return _fops(k, f"fops_{kind}{variant}", ops)


def _value_creator(kind: str) -> None:
    def create(k: "Kernel", name: int, mode: int, parent: int, value: int) -> int:
        return debugfs_create_file_unsafe(k, name, mode, parent, value, _value_fops(k, kind, mode))
    create.__name__ = f"debugfs_create_{kind}"
    kapi(create.__name__)(create)


for _kind in VALUES:
    _value_creator(_kind)


def _bool_fops(k: "Kernel", mode: int) -> int:
    ops = {"read": "debugfs_read_file_bool", "write": "debugfs_write_file_bool",
           "open": "simple_open", "llseek": "default_llseek"}
    if not mode & S_IWUGO:
        return _fops(k, "fops_bool_ro", {m: f for m, f in ops.items() if m != "write"})
    if not mode & S_IRUGO:
        return _fops(k, "fops_bool_wo", {m: f for m, f in ops.items() if m != "read"})
    return _fops(k, "fops_bool", ops)


@kapi()
def debugfs_create_bool(k: "Kernel", name: int, mode: int, parent: int, value: int) -> int:
    return debugfs_create_file_unsafe(k, name, mode, parent, value, _bool_fops(k, mode))


@kapi()
def debugfs_read_file_bool(k: "Kernel", file: int, user_buf: int, count: int, ppos: int) -> int:
    """Y or N, and a newline."""
    r = debugfs_file_get(k, _dentry(k, file))
    if r:
        return r
    val = k.mem.u64(file + File.private_data.offset)
    _readable(k, val, 1)
    text = b"Y\n" if k.mem.u8(val) else b"N\n"
    buf = k.debugfs.scratch(text)
    return simple_read_from_buffer(k, user_buf, count, ppos, buf, len(text))


@kapi()
def debugfs_write_file_bool(k: "Kernel", file: int, user_buf: int, count: int, ppos: int) -> int:
    """strtobool() of what was written (at most 31 bytes); text that is no boolean is
    ignored; the whole write is taken either way."""
    from kernel.api.uaccess import copy_from_user
    size = min(count, 31)
    buf = k.debugfs.scratch(b"\0" * 32)
    if copy_from_user(k, buf, user_buf, size):
        return -Errno.EFAULT
    text = k.mem.read(buf, size).split(b"\0", 1)[0].decode("latin-1")
    bv = _strtobool(text)
    if bv is not None:
        r = debugfs_file_get(k, _dentry(k, file))
        if r:
            return r
        val = k.mem.u64(file + File.private_data.offset)
        _readable(k, val, 1)
        k.mem.set_u8(val, int(bv))
    return count


def _strtobool(s: str) -> bool | None:
    """lib/string.c kstrtobool() of 4.19: None where it gives -EINVAL."""
    table: dict[str, bool] = {"y": True, "1": True, "n": False, "0": False}
    if not s:
        return None
    c = s[0].lower()
    if c in table:
        return table[c]
    if c == "o" and len(s) > 1:
        return {"n": True, "f": False}.get(s[1].lower())
    return None


# --- blobs and u32 arrays ------------------------------------------------------------------------
@kapi()
def read_file_blob(k: "Kernel", file: int, user_buf: int, count: int, ppos: int) -> int:
    blob = k.mem.u64(file + File.private_data.offset)
    _readable(k, blob, DebugfsBlobWrapper.size)
    data = k.mem.u64(blob + DebugfsBlobWrapper.data.offset)
    size = k.mem.u64(blob + DebugfsBlobWrapper.size_.offset)
    return simple_read_from_buffer(k, user_buf, count, ppos, data, size)


@kapi()
def debugfs_create_blob(k: "Kernel", name: int, mode: int, parent: int, blob: int) -> int:
    ops = {"read": "read_file_blob", "open": "simple_open", "llseek": "default_llseek"}
    return debugfs_create_file_unsafe(k, name, mode, parent, blob, _fops(k, "fops_blob", ops))


U32_ARRAY_MAX = 1 << 16                 # elements an array file formats (kmalloc's limit, about)


@kapi()
def debugfs_create_u32_array(k: "Kernel", name: int, mode: int, parent: int, array: int,
                             elements: int) -> int:
    data = k.slab.kmalloc(16, zero=True)            # struct array_data { u32 *array; u32 elements; }
    if not data:
        return 0
    k.mem.set_u64(data, array)
    k.mem.set_u32(data + 8, elements & 0xFFFF_FFFF)
    ops = {"open": "u32_array_open", "release": "u32_array_release", "read": "u32_array_read",
           "llseek": "no_llseek"}
    de = debugfs_create_file_unsafe(k, name, mode, parent, data, _fops(k, "u32_array_fops", ops))
    if de not in k.debugfs.by_dentry:
        k.slab.kfree(data)
    return de


@kapi()
def u32_array_open(k: "Kernel", inode: int, file: int) -> int:
    """The array formatted once, at open: each number and a space, the last a newline."""
    from kernel.api.fs import nonseekable_open
    mem = k.mem
    data = mem.u64(inode + Inode.i_private.offset)
    array, elements = mem.u64(data), mem.u32(data + 8)
    if elements > U32_ARRAY_MAX:
        return -Errno.ENOMEM
    size = elements * 11
    buf = k.slab.kmalloc(size + 1, zero=True)
    if not buf:
        return -Errno.ENOMEM
    if elements:
        _readable(k, array, 4 * elements)
    words = [mem.u32(array + 4 * i) for i in range(elements)]
    text = "".join(f"{w}{' ' if i < elements - 1 else chr(10)}" for i, w in enumerate(words))
    mem.write(buf, text.encode()[:size] + b"\0")
    mem.set_u64(file + File.private_data.offset, buf)
    return nonseekable_open(k, inode, file)


@kapi()
def u32_array_read(k: "Kernel", file: int, buf: int, len_: int, ppos: int) -> int:
    text = k.mem.u64(file + File.private_data.offset)
    size = len(k.mem.cstr(text, 11 * U32_ARRAY_MAX + 1))
    return simple_read_from_buffer(k, buf, len_, ppos, text, size)


@kapi()
def u32_array_release(k: "Kernel", inode: int, file: int) -> int:
    k.slab.kfree(k.mem.u64(file + File.private_data.offset))
    return 0

