"""sysfs directories of kobjects (fs/sysfs/dir.c, 4.19): which directory each kobject in
sysfs has, and the vmlinux kobjects that exist from boot (kernel_kobj is /sys/kernel ...).
The kobject calls themselves are kernel/api/kobject.py's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.abi import Kobject
from kernel.fs import Dir
from kernel.record import record

if TYPE_CHECKING:
    from kernel.machine import Kernel

# the vmlinux kobjects: symbol -> (directory below /, its name)
BUILTIN = {"klpsh_kernel_kobj": ("sys/kernel", "kernel"), "klpsh_mm_kobj": ("sys/kernel/mm", "mm"),
           "klpsh_fs_kobj": ("sys/fs", "fs"), "klpsh_firmware_kobj": ("sys/firmware", "firmware")}
INITIALIZED, IN_SYSFS = 1, 2


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
