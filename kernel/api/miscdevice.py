"""linux/miscdevice.h: misc character devices on major 10 (drivers/char/misc.c, 4.19).

misc_register() takes the asked-for minor, or for MISC_DYNAMIC_MINOR the highest free one of
the 64 dynamic minors (63 down to 0), and makes the device in the "misc" class (so /dev/NAME,
mode miscdevice.mode or 0600, and /sys/class/misc/NAME). Opening a node of major 10 runs
misc_open(): the file's private_data is the struct miscdevice, its f_op the device's fops.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.abi import Class, Device, MiscDevice
from kernel.api import kapi, s64
from kernel.api.device import device_create_vargs, device_destroy, is_err_or_null
from kernel.abi import File
from kernel.errno import Errno, KernelError
from kernel.fs import Attr
from kernel.fs.char_dev import MINOR, MKDEV
from kernel.bug import WarnSite

if TYPE_CHECKING:
    from kernel.machine import Kernel

# misc_deregister()'s WARN_ON(list_empty(&misc->list)) (4.19)
WARN_MISC_DEREGISTER = WarnSite("drivers/char/misc.c", 242, "misc_deregister")

MISC_MAJOR = 10
MISC_DYNAMIC_MINOR = 255
DYNAMIC_MINORS = 64


class MiscDevices:
    """misc_list (newest first), the dynamic-minor bitmap, the misc class and cdev."""

    def __init__(self, k: "Kernel") -> None:
        self.k = k
        self.misc_list: list[int] = []
        self.minors_used: set[int] = set()    # bits of misc_minors
        self.cls = 0
        self.cdev = 0

    def minor_of(self, misc: int) -> int:
        return self.k.mem.s32(misc + MiscDevice.minor.offset)

    def proc_misc(self) -> str:
        """misc_seq_show() over misc_list."""
        mem = self.k.mem
        lines = []
        for misc in self.misc_list:
            name = mem.u64(misc + MiscDevice.name.offset)
            lines.append(f"{self.minor_of(misc):3d} {mem.cstr(name, 64) if name else ''}\n")
        return "".join(lines)

    def misc_open(self, rdev: int, file: int) -> int:
        """misc_open(): the device of the node's minor; its fops, with private_data set."""
        mem = self.k.mem
        minor = MINOR(rdev)
        for misc in self.misc_list:
            if self.minor_of(misc) == minor:
                fops = mem.u64(misc + MiscDevice.fops.offset)
                if not fops:
                    break
                mem.set_u64(file + File.private_data.offset, misc)
                return fops
        raise KernelError(Errno.ENODEV)


def misc_init(k: "Kernel") -> None:
    """misc_init(): the "misc" class (devnode: the device's mode and nodename) and major 10."""
    from kernel.api.char_dev import cdev_add, cdev_alloc
    from kernel.api.device import class_create
    m = k.misc = MiscDevices(k)
    name = k.slab.kmalloc(5)
    k.mem.put_cstr(name, "misc")
    m.cls = class_create(k, 0, name, 0)
    k.devices.classes[m.cls].devnode = lambda dev: misc_devnode(
        k, k.mem.u64(dev + Device.driver_data.offset))
    m.cdev = cdev_alloc(k)
    cdev_add(k, m.cdev, MKDEV(MISC_MAJOR, 0), 256)
    k.chrdevs.host_open[m.cdev] = m.misc_open
    k.vfs.root.mkdir("proc").children["misc"] = Attr(0o444, m.proc_misc)


def misc_devnode(k: "Kernel", misc: int) -> tuple[str | None, int]:
    mem = k.mem
    nodename = mem.u64(misc + MiscDevice.nodename.offset)
    return (mem.cstr(nodename, 256) if nodename else None), mem.u16(misc + MiscDevice.mode.offset)


@kapi()
def misc_register(k: "Kernel", misc: int) -> int:
    m, mem = k.misc, k.mem
    head = misc + MiscDevice.list.offset
    mem.set_u64(head, head)
    mem.set_u64(head + 8, head)
    dynamic = m.minor_of(misc) == MISC_DYNAMIC_MINOR
    if dynamic:
        free = next((i for i in range(DYNAMIC_MINORS) if i not in m.minors_used), None)
        if free is None:
            return -Errno.EBUSY
        mem.set_u32(misc + MiscDevice.minor.offset, DYNAMIC_MINORS - free - 1)
        m.minors_used.add(free)
    elif any(m.minor_of(c) == m.minor_of(misc) for c in m.misc_list):
        return -Errno.EBUSY
    minor = m.minor_of(misc)
    name_ptr = mem.u64(misc + MiscDevice.name.offset)
    name = mem.cstr(name_ptr, 256) if name_ptr else ""
    dev = device_create_vargs(k, m.cls, mem.u64(misc + MiscDevice.parent.offset),
                              MKDEV(MISC_MAJOR, minor), misc,
                              mem.u64(misc + MiscDevice.groups.offset), name)
    if is_err_or_null(dev):
        if dynamic:
            m.minors_used.discard(DYNAMIC_MINORS - minor - 1)
            mem.set_u32(misc + MiscDevice.minor.offset, MISC_DYNAMIC_MINOR)
        mem.set_u64(misc + MiscDevice.this_device.offset, dev)
        return s64(dev) if dev else -Errno.ENOMEM
    mem.set_u64(misc + MiscDevice.this_device.offset, dev)
    m.misc_list.insert(0, misc)
    return 0


@kapi()
def misc_deregister(k: "Kernel", misc: int) -> None:
    m, mem = k.misc, k.mem
    if misc not in m.misc_list:
        k.warn_at(WARN_MISC_DEREGISTER)
        return
    m.misc_list.remove(misc)
    head = misc + MiscDevice.list.offset
    mem.set_u64(head, head)
    mem.set_u64(head + 8, head)
    minor = m.minor_of(misc)
    device_destroy(k, m.cls, MKDEV(MISC_MAJOR, minor))
    i = DYNAMIC_MINORS - minor - 1
    if 0 <= i < DYNAMIC_MINORS:
        m.minors_used.discard(i)


__all__ = ["MiscDevices", "misc_init", "Class"]
