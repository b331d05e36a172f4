"""sysfs directories of kobjects (fs/sysfs/dir.c, 4.19): which directory each kobject in
sysfs has, and the vmlinux kobjects that exist from boot (kernel_kobj is /sys/kernel ...);
the kobject core a module load needs (lib/kobject.c's init, name and state bits, and
/sys/module/NAME's kobject). The kobject API of module code is kernel/api/kobject.py's (here,
what a start needs does without importing it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.abi import Kobject, ModuleKobject
from kernel.errno import Errno
from kernel.fs import Dir
from kernel.record import record

if TYPE_CHECKING:
    from kernel.machine import Kernel

# the vmlinux kobjects: symbol -> (directory below /, its name)
BUILTIN = {"klpsh_kernel_kobj": ("sys/kernel", "kernel"), "klpsh_mm_kobj": ("sys/kernel/mm", "mm"),
           "klpsh_fs_kobj": ("sys/fs", "fs"), "klpsh_firmware_kobj": ("sys/firmware", "firmware")}
# struct kobject's state bits (state_initialized, state_in_sysfs, ...)
INITIALIZED, IN_SYSFS, ADD_UEVENT_SENT, REMOVE_UEVENT_SENT, UEVENT_SUPPRESS = 1, 2, 4, 8, 16
NAME_MAX = 4096


@record(eq=False)
class KobjInfo:
    """A kobject in sysfs: its directory, the one it is in, and its path below /sys."""

    name: str
    dir: Dir
    parent: Dir
    path: str


def kobject_boot(k: "Kernel") -> None:
    """The vmlinux kobjects exist from boot: one reference each, in sysfs."""
    if k.vmlinux is None:
        return
    for sym, (where, name) in BUILTIN.items():
        kobj = k.vmlinux.symbol(sym)
        if not kobj:
            continue
        up, _, _ = where.rpartition("/")
        k.mem.set_u32(kobj + Kobject.kref.offset, 1)
        k.mem.set_u32(kobj + Kobject._state.offset, INITIALIZED | IN_SYSFS)
        k.kobjs[kobj] = KobjInfo(name, k.vfs.root.mkdir(where), k.vfs.root.mkdir(up),
                                 "/" + where.removeprefix("sys/"))


def vmlinux_sym(k: "Kernel", name: str) -> int:
    return (k.vmlinux.symbol(name) or 0) if k.vmlinux is not None else 0


def kobj_state(k: "Kernel", kobj: int) -> int:
    return k.mem.u32(kobj + Kobject._state.offset)


def set_kobj_state(k: "Kernel", kobj: int, on: int = 0, off: int = 0) -> None:
    at = kobj + Kobject._state.offset
    k.mem.set_u32(at, (k.mem.u32(at) | on) & ~off)


def module_kobject_add(k: "Kernel", kobj: int, mod: int, name: str, d: Dir) -> None:
    """mod_sysfs_init(): the module's kobject (mkobj.kobj) is /sys/module/NAME, D."""
    mem = k.mem
    init_kobject(k, kobj, vmlinux_sym(k, "klpsh_module_ktype"))
    if set_name(k, kobj, name):
        return
    mem.set_u64(kobj + ModuleKobject.mod.offset, mod)
    set_kobj_state(k, kobj, on=IN_SYSFS | ADD_UEVENT_SENT)
    k.kobjs[kobj] = KobjInfo(name, d, k.vfs.root.mkdir("sys/module"), f"/module/{name}")


def module_kobject_del(k: "Kernel", kobj: int) -> None:
    """mod_sysfs_fini(): the directory goes; the name is freed with the module."""
    if k.kobjs.pop(kobj, None) is not None:
        set_kobj_state(k, kobj, off=IN_SYSFS)
        name = k.mem.u64(kobj + Kobject.name.offset)
        if name and k.slab.owns(name):
            k.slab.kfree(name)
        k.mem.set_u64(kobj + Kobject.name.offset, 0)


def set_name(k: "Kernel", kobj: int, name: str) -> int:
    """kobject_set_name_vargs(): a kmalloc'd copy, '/' turned into '!'; the old one freed."""
    at = kobj + Kobject.name.offset
    old = k.mem.u64(at)
    raw = name.replace("/", "!").encode("latin-1", "replace")
    ptr = k.slab.kmalloc(len(raw) + 1)
    if not ptr:
        return -Errno.ENOMEM
    k.mem.write(ptr, raw + b"\0")
    k.mem.set_u64(at, ptr)
    if old and k.slab.owns(old):
        k.slab.kfree(old)
    return 0


def kobject_complain(k: "Kernel", msg: str, frames: tuple[str, ...]) -> None:
    """pr_err() and dump_stack(), as lib/kobject.c reports a caller's mistake."""
    k.printk.printk(f"\x013{msg}\n")
    k.dump_stack(k.sched.current, frames)


def init_kobject(k: "Kernel", kobj: int, ktype: int) -> None:
    """kobject_init(): KOBJ with one reference, an empty entry and KTYPE; a null KOBJ or
    KTYPE, or a KOBJ initialized already, is complained about as lib/kobject.c does."""
    if not kobj:
        kobject_complain(k, f"kobject ({k.fmt_ptr(kobj)}): invalid kobject pointer!",
                         ("kobject_init",))
        return
    if not ktype:
        kobject_complain(k, f"kobject ({k.fmt_ptr(kobj)}): must have a ktype to be initialized "
                         "properly!\n", ("kobject_init",))
        return
    if kobj_state(k, kobj) & INITIALIZED:
        kobject_complain(k, f"kobject ({k.fmt_ptr(kobj)}): tried to init an initialized object, "
                         "something is seriously wrong.", ("kobject_init",))
    mem = k.mem
    mem.set_u32(kobj + Kobject.kref.offset, 1)             # kobject_init_internal()
    head = kobj + Kobject.entry.offset
    mem.set_u64(head, head)
    mem.set_u64(head + 8, head)
    set_kobj_state(k, kobj, on=INITIALIZED, off=IN_SYSFS | ADD_UEVENT_SENT | REMOVE_UEVENT_SENT)
    mem.set_u64(kobj + Kobject.ktype.offset, ktype)
