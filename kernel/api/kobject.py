"""linux/kobject.h, linux/sysfs.h: kobjects a module makes under /sys (lib/kobject.c,
fs/sysfs/file.c, group.c) and their attribute files.

kobject_create_and_add() gives a guest struct kobject with one reference and a sysfs
directory under its parent's (vmlinux's kernel_kobj is /sys/kernel); the last kobject_put()
removes the directory.  An attribute file shows and stores through the kobj_attribute's
show/store, with a page-sized buffer, as the device attributes do (kernel/api/device.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kernel.abi import Attribute, Kobject
from kernel.api import errret, kapi
from kernel.errno import Errno
from kernel.fs import Dir

if TYPE_CHECKING:
    from kernel.machine import Kernel

# the vmlinux kobjects and their directories
_BUILTIN = {"klpsh_kernel_kobj": "sys/kernel", "klpsh_mm_kobj": "sys/kernel/mm",
            "klpsh_fs_kobj": "sys/fs", "klpsh_firmware_kobj": "sys/firmware"}
_GROUP_NAME, _GROUP_IS_VISIBLE, _GROUP_ATTRS = 0, 8, 24


@dataclass(eq=False)
class KobjInfo:
    """A module's kobject: its directory and the one it is in."""

    name: str
    dir: Dir
    parent: Dir


def _dir_of(k: "Kernel", kobj: int) -> Dir | None:
    info = k.kobjs.get(kobj)
    if info is not None:
        return info.dir
    for sym, path in _BUILTIN.items():
        if k.vmlinux is not None and k.vmlinux.symbol(sym) == kobj:
            return k.vfs.root.mkdir(path)
    return None


@kapi()
def kobject_create_and_add(k: "Kernel", name: int, parent: int) -> int:
    text = k.mem.cstr(name, 256) if name else ""
    pdir = _dir_of(k, parent) if parent else k.vfs.root.mkdir("sys")
    if not text or pdir is None:
        return 0
    if text in pdir.entries():
        k.printk.printk(f"\x013kobject_add_internal failed for {text} with -EEXIST, don't try to "
                        "register things with the same name in the same directory.\n")
        return 0
    kobj = k.slab.kmalloc(Kobject.size, zero=True)
    kname = k.slab.kmalloc(len(text) + 1)
    if not kobj or not kname:
        return 0
    k.mem.write(kname, text.encode() + b"\0")
    k.mem.set_u64(kobj + Kobject.name.offset, kname)
    k.mem.set_u64(kobj + Kobject.parent.offset, parent)
    head = kobj + Kobject.entry.offset
    k.mem.set_u64(head, head)
    k.mem.set_u64(head + 8, head)
    k.mem.set_u32(kobj + Kobject.kref.offset, 1)
    k.mem.set_u32(kobj + Kobject._state.offset, 0b11)     # initialized, in sysfs
    k.kobjs[kobj] = KobjInfo(text, pdir.mkdir(text), pdir)
    return kobj


@kapi()
def kobject_get(k: "Kernel", kobj: int) -> int:
    if kobj:
        k.mem.set_u32(kobj + Kobject.kref.offset, k.mem.u32(kobj + Kobject.kref.offset) + 1)
    return kobj


@kapi()
def kobject_del(k: "Kernel", kobj: int) -> None:
    info = k.kobjs.get(kobj)
    if info is not None and info.parent.entries().get(info.name) is info.dir:
        info.parent.remove(info.name)


@kapi()
def kobject_put(k: "Kernel", kobj: int) -> None:
    info = k.kobjs.get(kobj)
    if info is None:
        return
    refs = k.mem.u32(kobj + Kobject.kref.offset) - 1
    k.mem.set_u32(kobj + Kobject.kref.offset, max(refs, 0))
    if refs <= 0:
        kobject_del(k, kobj)
        del k.kobjs[kobj]
        k.slab.kfree(k.mem.u64(kobj + Kobject.name.offset))
        k.slab.kfree(kobj)


def _add_file(k: "Kernel", d: Dir, kobj: int, attr: int, mode: int | None = None) -> int:
    name = k.mem.cstr(k.mem.u64(attr + Attribute.name.offset), 256)
    if name in d.entries():
        k.warn_on(f"sysfs: cannot create duplicate filename '{name}'")
        return errret(Errno.EEXIST)
    d.children[name] = k.devices.attr_file(kobj, attr, mode)
    return 0


@kapi()
def sysfs_create_file_ns(k: "Kernel", kobj: int, attr: int, ns: int) -> int:
    d = _dir_of(k, kobj)
    if d is None or not attr:
        return errret(Errno.EINVAL)
    return _add_file(k, d, kobj, attr)


@kapi()
def sysfs_remove_file_ns(k: "Kernel", kobj: int, attr: int, ns: int) -> None:
    d = _dir_of(k, kobj)
    if d is not None and attr:
        name = k.mem.cstr(k.mem.u64(attr + Attribute.name.offset), 256)
        if name in d.entries():
            d.remove(name)


def _attrs(k: "Kernel", array: int) -> list[int]:
    out: list[int] = []
    while array and (a := k.mem.u64(array + 8 * len(out))):
        out.append(a)
    return out


@kapi()
def sysfs_create_files(k: "Kernel", kobj: int, array: int) -> int:
    for attr in _attrs(k, array):
        err = sysfs_create_file_ns(k, kobj, attr, 0)
        if err:
            return err
    return 0


@kapi()
def sysfs_remove_files(k: "Kernel", kobj: int, array: int) -> None:
    for attr in _attrs(k, array):
        sysfs_remove_file_ns(k, kobj, attr, 0)


@kapi()
def sysfs_create_group(k: "Kernel", kobj: int, grp: int) -> int:
    d = _dir_of(k, kobj)
    if d is None or not grp:
        return errret(Errno.EINVAL)
    name_ptr = k.mem.u64(grp + _GROUP_NAME)
    if name_ptr:
        d = d.mkdir(k.mem.cstr(name_ptr, 256))
    visible = k.mem.u64(grp + _GROUP_IS_VISIBLE)
    for i, attr in enumerate(_attrs(k, k.mem.u64(grp + _GROUP_ATTRS))):
        mode = None
        if visible:
            mode = k.call_fn(visible, (kobj, attr, i), "create_files") & 0xFFFF
            if not mode:
                continue
        err = _add_file(k, d, kobj, attr, mode)
        if err:
            return err
    return 0


@kapi()
def sysfs_remove_group(k: "Kernel", kobj: int, grp: int) -> None:
    d = _dir_of(k, kobj)
    if d is None or not grp:
        return
    name_ptr = k.mem.u64(grp + _GROUP_NAME)
    if name_ptr:
        name = k.mem.cstr(name_ptr, 256)
        if name in d.entries():
            d.remove(name)
        return
    for attr in _attrs(k, k.mem.u64(grp + _GROUP_ATTRS)):
        sysfs_remove_file_ns(k, kobj, attr, 0)


@kapi()
def sysfs_create_groups(k: "Kernel", kobj: int, groups: int) -> int:
    for grp in _attrs(k, groups):
        err = sysfs_create_group(k, kobj, grp)
        if err:
            return err
    return 0


@kapi()
def sysfs_remove_groups(k: "Kernel", kobj: int, groups: int) -> None:
    for grp in _attrs(k, groups):
        sysfs_remove_group(k, kobj, grp)
