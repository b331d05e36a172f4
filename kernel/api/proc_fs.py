"""linux/proc_fs.h: /proc entries for modules (fs/proc/generic.c, 4.19 file_operations API)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import kapi
from kernel.api.seq_file import seq_open, seq_open_private, seq_release, seq_release_private, single_open
from kernel.bug import WarnSite
from kernel.fs.procfs import SEQ_FOPS, SINGLE_FOPS, ProcDirEntry
from kernel.mm import BadAddress

if TYPE_CHECKING:
    from kernel.machine import Kernel

S_IFDIR = 0o040000
PDE_OPS_OFFSET = 0x38              # proc_dir_entry.seq_ops/single_show, the first member read (4.19 x86-64)
S_IRUGO, S_IXUGO = 0o444, 0o111
# proc_create_data()'s BUG_ON(proc_fops == NULL) (4.19.0's line; 5.4's is in the profile's table of
# WARN sites, which places this BUG site as it places them)
BUG_NO_FOPS = WarnSite("fs/proc/generic.c", 540, "proc_create_data")


def _parent(k: "Kernel", addr: int) -> ProcDirEntry | None:
    if not addr:
        return None
    de = k.procfs.by_addr.get(addr)
    if de is None:
        k.unchecked(f"proc: parent {addr:#x} is not a proc_dir_entry",
                    "proc_create() walks it as one")
    return de


def _name(k: "Kernel", name: int) -> str:
    return k.mem.cstr(name, 4096) if name else ""


def _ret(de: ProcDirEntry | None) -> int:
    return de.addr if de is not None else 0


@kapi()
def proc_create_data(k: "Kernel", name: int, mode: int, parent: int, fops: int, data: int) -> int:
    if not fops:                              # BUG_ON(proc_fops == NULL)
        from kernel.cpu import GuestBug
        place = k.profile.warn_place(BUG_NO_FOPS.file, BUG_NO_FOPS.line, BUG_NO_FOPS.func)
        line = place[0] if place is not None else BUG_NO_FOPS.line
        raise GuestBug(BUG_NO_FOPS.file, line, k.cpu.stack_trace(k.current), k.cpu.regs(k.current))
    return _ret(k.procfs.create_reg(_name(k, name), mode & 0xFFFF, _parent(k, parent), data, fops))


@kapi()
def proc_create(k: "Kernel", name: int, mode: int, parent: int, fops: int) -> int:
    return proc_create_data(k, name, mode, parent, fops, 0)


@kapi()
def proc_create_single_data(k: "Kernel", name: int, mode: int, parent: int, show: int,
                            data: int) -> int:
    fops = k.procfs.builtin_fops("proc_single_fops", SINGLE_FOPS)
    de = k.procfs.create_reg(_name(k, name), mode & 0xFFFF, _parent(k, parent), data, fops)
    if de is not None:
        de.single_show = show
    return _ret(de)


@kapi()
def proc_create_seq_private(k: "Kernel", name: int, mode: int, parent: int, ops: int,
                            state_size: int, data: int) -> int:
    fops = k.procfs.builtin_fops("proc_seq_fops", SEQ_FOPS)
    de = k.procfs.create_reg(_name(k, name), mode & 0xFFFF, _parent(k, parent), data, fops)
    if de is not None:
        de.seq_ops, de.state_size = ops, state_size & 0xFFFFFFFF
    return _ret(de)


# PDE(inode): container_of(inode, struct proc_inode, vfs_inode)->pde, 40 bytes before the
# inode in 4.19's struct proc_inode (pid, fd, op, then pde; vfs_inode at 64)
PROC_I_PDE = -40


def _pde(k: "Kernel", inode: int) -> ProcDirEntry:
    """PDE(INODE). An inode that is no proc inode is read as Linux reads it: the word where
    proc_inode's pde would be, then that pointer's proc_dir_entry, which faults unless it is
    one (a zeroed word: a NULL pointer dereference)."""
    de = k.procfs.by_inode.get(inode)
    if de is not None:
        return de
    ptr = k.mem.u64((inode + PROC_I_PDE) & ((1 << 64) - 1))
    de = k.procfs.by_addr.get(ptr)
    if de is None:
        raise BadAddress(ptr + PDE_OPS_OFFSET)
    return de


@kapi()
def proc_single_open(k: "Kernel", inode: int, file: int) -> int:
    de = _pde(k, inode)
    return single_open(k, file, de.single_show, de.data)


@kapi()
def proc_seq_open(k: "Kernel", inode: int, file: int) -> int:
    de = _pde(k, inode)
    if de.state_size:
        return seq_open_private(k, file, de.seq_ops, de.state_size)
    return seq_open(k, file, de.seq_ops)


@kapi()
def proc_seq_release(k: "Kernel", inode: int, file: int) -> int:
    if _pde(k, inode).state_size:
        return seq_release_private(k, inode, file)
    return seq_release(k, inode, file)


@kapi()
def proc_mkdir_data(k: "Kernel", name: int, mode: int, parent: int, data: int) -> int:
    return _ret(k.procfs.mkdir(_name(k, name), mode & 0xFFFF, _parent(k, parent), data))


@kapi()
def proc_mkdir_mode(k: "Kernel", name: int, mode: int, parent: int) -> int:
    return proc_mkdir_data(k, name, mode, parent, 0)


@kapi()
def proc_mkdir(k: "Kernel", name: int, parent: int) -> int:
    return proc_mkdir_data(k, name, 0, parent, 0)


@kapi()
def proc_symlink(k: "Kernel", name: int, parent: int, dest: int) -> int:
    """A symlink is not modelled: /proc shows it as a directory of nothing."""
    return _ret(k.procfs.mkdir(_name(k, name), S_IRUGO | S_IXUGO, _parent(k, parent), 0))


@kapi()
def proc_set_size(k: "Kernel", de: int, size: int) -> None:
    from kernel.abi import Inode
    pde = k.procfs.by_addr.get(de)
    if pde is not None:
        k.mem.set_u64(pde.inode + Inode.i_size.offset, size)


@kapi()
def proc_set_user(k: "Kernel", de: int, uid: int, gid: int) -> None:
    """The owner of the entry (kuid_t and kgid_t come by value, one register each)."""
    pde = k.procfs.by_addr.get(de)
    if pde is not None:
        pde.uid, pde.gid = uid & 0xFFFF_FFFF, gid & 0xFFFF_FFFF


@kapi()
def remove_proc_entry(k: "Kernel", name: int, parent: int) -> None:
    k.procfs.remove(_name(k, name), _parent(k, parent))


@kapi()
def remove_proc_subtree(k: "Kernel", name: int, parent: int) -> int:
    return k.procfs.remove_subtree(_name(k, name), _parent(k, parent))


@kapi()
def proc_remove(k: "Kernel", de: int) -> None:
    pde = k.procfs.by_addr.get(de)
    if pde is not None and pde.parent is not None:
        k.procfs.remove_subtree(pde.name, pde.parent)


@kapi("PDE_DATA")
def pde_data(k: "Kernel", inode: int) -> int:
    de = k.procfs.by_inode.get(inode)
    return de.data if de is not None else 0
