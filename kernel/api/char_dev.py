"""linux/fs.h, linux/cdev.h: character device regions and cdevs (fs/char_dev.c, 4.19).

The registry itself is kernel.fs.char_dev.CharDevs (k.chrdevs); these are the exported
functions, with 4.19's return conventions (0 or -errno; __register_chrdev() returns the
major it allocated when asked for major 0).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.abi import Cdev, FileOperations, Kobject
from kernel.api import kapi
from kernel.errno import Errno, KernelError
from kernel.fs.char_dev import MAJOR, MINOR, MKDEV

if TYPE_CHECKING:
    from kernel.machine import Kernel

KOBJ_STATE_INITIALIZED = 1


def _name(k: "Kernel", addr: int) -> str:
    return k.mem.cstr(addr, 64) if addr else "(null)"


@kapi()
def register_chrdev_region(k: "Kernel", dev_from: int, count: int, name: int) -> int:
    """Register COUNT numbers from FROM, a region per major spanned (all or none)."""
    done = []
    try:
        for major, base, n in k.chrdevs.regions(dev_from & 0xFFFF_FFFF, count & 0xFFFF_FFFF):
            done.append(k.chrdevs.register_region(major, base, n, _name(k, name)))
    except KernelError as e:
        for cd in done:
            k.chrdevs.unregister_region(cd.major, cd.baseminor, cd.minorct)
        return -e.errno
    return 0


@kapi()
def alloc_chrdev_region(k: "Kernel", dev: int, baseminor: int, count: int, name: int) -> int:
    """A region of COUNT minors from BASEMINOR under a dynamic major; *DEV its first number."""
    try:
        cd = k.chrdevs.register_region(0, baseminor & 0xFFFF_FFFF, count & 0xFFFF_FFFF, _name(k, name))
    except KernelError as e:
        return -e.errno
    k.mem.set_u32(dev, MKDEV(cd.major, cd.baseminor))
    return 0


@kapi()
def unregister_chrdev_region(k: "Kernel", dev_from: int, count: int) -> None:
    for major, base, n in k.chrdevs.regions(dev_from & 0xFFFF_FFFF, count & 0xFFFF_FFFF):
        k.chrdevs.unregister_region(major, base, n)


@kapi("__register_chrdev")
def register_chrdev_(k: "Kernel", major: int, baseminor: int, count: int, name: int, fops: int) -> int:
    """register_chrdev(): a region and a cdev with FOPS for all of it."""
    major, baseminor, count = major & 0xFFFF_FFFF, baseminor & 0xFFFF_FFFF, count & 0xFFFF_FFFF
    text = _name(k, name)
    try:
        cd = k.chrdevs.register_region(major, baseminor, count, text)
    except KernelError as e:
        return -e.errno
    cdev = cdev_alloc(k)
    if not cdev:
        k.chrdevs.unregister_region(cd.major, baseminor, count)
        return -Errno.ENOMEM
    mem = k.mem
    mem.set_u64(cdev + Cdev.owner.offset, mem.u64(fops + FileOperations.owner.offset) if fops else 0)
    mem.set_u64(cdev + Cdev.ops.offset, fops)
    kname = k.slab.kmalloc(len(text) + 1)
    mem.put_cstr(kname, text)
    mem.set_u64(cdev + Cdev.kobj.offset + Kobject.name.offset, kname)
    cdev_add(k, cdev, MKDEV(cd.major, baseminor), count)
    cd.cdev = cdev
    return 0 if major else cd.major


@kapi("__unregister_chrdev")
def unregister_chrdev_(k: "Kernel", major: int, baseminor: int, count: int, name: int) -> None:
    cd = k.chrdevs.unregister_region(major & 0xFFFF_FFFF, baseminor & 0xFFFF_FFFF, count & 0xFFFF_FFFF)
    if cd is not None and cd.cdev:
        cdev_del(k, cd.cdev)


def _kobject_init(k: "Kernel", kobj: int) -> None:
    k.mem.set_u32(kobj + Kobject.kref.offset, 1)
    k.mem.set_u32(kobj + Kobject._state.offset, KOBJ_STATE_INITIALIZED)
    head = kobj + Kobject.entry.offset
    k.mem.set_u64(head, head)
    k.mem.set_u64(head + 8, head)


def _init_list(k: "Kernel", cdev: int) -> None:
    head = cdev + Cdev.list.offset
    k.mem.set_u64(head, head)
    k.mem.set_u64(head + 8, head)


@kapi()
def cdev_init(k: "Kernel", cdev: int, fops: int) -> None:
    k.mem.zero(cdev, Cdev.size)
    _init_list(k, cdev)
    _kobject_init(k, cdev + Cdev.kobj.offset)
    k.mem.set_u64(cdev + Cdev.ops.offset, fops)


@kapi()
def cdev_alloc(k: "Kernel") -> int:
    cdev = k.slab.kmalloc(Cdev.size, zero=True)
    if cdev:
        _init_list(k, cdev)
        _kobject_init(k, cdev + Cdev.kobj.offset)
        k.chrdevs.dynamic.add(cdev)
    return cdev


@kapi()
def cdev_add(k: "Kernel", cdev: int, dev: int, count: int) -> int:
    k.mem.set_u32(cdev + Cdev.dev.offset, dev & 0xFFFF_FFFF)
    k.mem.set_u32(cdev + Cdev.count.offset, count & 0xFFFF_FFFF)
    k.chrdevs.cdev_add(cdev, dev & 0xFFFF_FFFF, count & 0xFFFF_FFFF)
    return 0


@kapi()
def cdev_set_parent(k: "Kernel", cdev: int, kobj: int) -> None:
    k.mem.set_u64(cdev + Cdev.kobj.offset + Kobject.parent.offset, kobj)


@kapi()
def cdev_del(k: "Kernel", cdev: int) -> None:
    """cdev_unmap() and the last kobject_put(): a cdev_alloc()ed one is freed."""
    k.chrdevs.cdev_unmap(cdev)
    cdev_put(k, cdev)


@kapi()
def cdev_put(k: "Kernel", cdev: int) -> None:
    if not cdev:
        return
    kref = cdev + Cdev.kobj.offset + Kobject.kref.offset
    refs = k.mem.u32(kref)
    k.mem.set_u32(kref, max(refs - 1, 0))
    if refs <= 1 and cdev in k.chrdevs.dynamic:
        k.chrdevs.dynamic.discard(cdev)
        k.slab.kfree(k.mem.u64(cdev + Cdev.kobj.offset + Kobject.name.offset))
        k.slab.kfree(cdev)


@kapi()
def cdev_device_add(k: "Kernel", cdev: int, dev: int) -> int:
    from kernel.abi import Device
    from kernel.api.device import device_add
    devt = k.mem.u32(dev + Device.devt.offset)
    if devt:
        cdev_set_parent(k, cdev, dev + Device.kobj.offset)
        cdev_add(k, cdev, devt, 1)
    rc = device_add(k, dev)
    if rc and devt:
        k.chrdevs.cdev_unmap(cdev)
    return rc


@kapi()
def cdev_device_del(k: "Kernel", cdev: int, dev: int) -> None:
    from kernel.abi import Device
    from kernel.api.device import device_del
    device_del(k, dev)
    if k.mem.u32(dev + Device.devt.offset):
        cdev_del(k, cdev)


__all__ = ["MAJOR", "MINOR", "MKDEV"]
