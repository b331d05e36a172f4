"""The character device registry of 4.19 (fs/char_dev.c): major/minor regions by name,
the cdev map (kobj_map of drivers/base/map.c) from device numbers to struct cdev, and
chrdev_open, which finds the driver of a /dev node when it is opened.

Regions live in chrdevs[major % 255] lists kept sorted by (major, baseminor), as 4.19 keeps
them, so /proc/devices lists them in 4.19's order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Sequence

from kernel.abi import Cdev, Inode
from kernel.errno import Errno, KernelError
from kernel.record import record

if TYPE_CHECKING:
    from kernel.fs.file import FileNode
    from kernel.machine import Kernel

MINORBITS = 20
MINORMASK = (1 << MINORBITS) - 1
CHRDEV_MAJOR_MAX = 512
CHRDEV_MAJOR_HASH_SIZE = 255
CHRDEV_MAJOR_DYN_END = 234
CHRDEV_MAJOR_DYN_EXT_START = 511
CHRDEV_MAJOR_DYN_EXT_END = 384
BLKDEV_MAJOR_MAX = 512

# What a small x86-64 VM running 4.19 has registered by the time a module loads
# (major, baseminor, count, name): drivers/tty, drivers/char/mem.c, misc, input, ptys,
# and three dynamic majors (bsg, watchdog, rtc) taken from the top of the dynamic range.
BOOT_CHRDEVS = (
    (1, 0, 256, "mem"), (4, 0, 1, "/dev/vc/0"), (4, 1, 63, "tty"), (4, 64, 32, "ttyS"),
    (5, 0, 1, "/dev/tty"), (5, 1, 1, "/dev/console"), (5, 2, 1, "/dev/ptmx"), (7, 0, 256, "vcs"),
    (10, 0, 256, "misc"), (13, 0, 1024, "input"), (128, 0, 1048576, "ptm"), (136, 0, 1048576, "pts"),
    (0, 0, 32768, "bsg"), (0, 0, 32, "watchdog"), (0, 0, 256, "rtc"),
)
# the block majors of that VM (/proc/devices' second part)
BOOT_BLKDEVS = ((7, "loop"), (8, "sd"), (9, "md"), (11, "sr"), (65, "sd"), (66, "sd"),
                (67, "sd"), (68, "sd"), (69, "sd"), (70, "sd"), (71, "sd"), (128, "sd"),
                (129, "sd"), (130, "sd"), (131, "sd"), (132, "sd"), (133, "sd"), (134, "sd"),
                (135, "sd"), (253, "device-mapper"), (254, "mdp"), (259, "blkext"))


def MKDEV(major: int, minor: int) -> int:
    return (major << MINORBITS) | minor


def MAJOR(dev: int) -> int:
    return (dev & 0xFFFF_FFFF) >> MINORBITS


def MINOR(dev: int) -> int:
    return dev & MINORMASK


@record(eq=False)
class CharDeviceStruct:
    """struct char_device_struct: one registered region."""

    major: int
    baseminor: int
    minorct: int
    name: str
    cdev: int = 0                 # the cdev __register_chrdev() made for it


@record(eq=False)
class Probe:
    """One kobj_map entry: COUNT device numbers from DEV served by the cdev at CDEV."""

    dev: int
    count: int
    cdev: int


class CharDevs:
    """chrdevs[] and cdev_map of one Kernel."""

    def __init__(self, k: "Kernel") -> None:
        self.k = k
        # chrdevs[]: major % 255 -> its regions; a bucket is made when a region first lands
        # in it (a boot fills 15 of the 255: a list for each would be garbage to collect)
        self.chrdevs: dict[int, list[CharDeviceStruct]] = {}
        self.probes: list[Probe] = []          # newest first, as kobj_map() puts them
        self.blkdevs = BOOT_BLKDEVS
        self.dynamic: set[int] = set()          # cdevs cdev_alloc() made (freed by the last put)
        # cdevs whose open is a kernel function (misc_open): it sets the file up and returns
        # the operations to use, as replace_fops() in the driver core's own opens
        self.host_open: dict[int, Callable[[int, int], int]] = {}

    def boot(self) -> None:
        for major, base, count, name in BOOT_CHRDEVS:
            self.register_region(major, base, count, name)

    # --- regions ---------------------------------------------------------------------
    def _bucket(self, major: int) -> Sequence[CharDeviceStruct]:
        return self.chrdevs.get(major % CHRDEV_MAJOR_HASH_SIZE, ())

    def find_dynamic_major(self) -> int:
        """find_dynamic_major(): a free major from 254 down to 234, then 511 down to 384."""
        for i in range(CHRDEV_MAJOR_HASH_SIZE - 1, CHRDEV_MAJOR_DYN_END - 1, -1):
            if not self.chrdevs.get(i):
                return i
        for i in range(CHRDEV_MAJOR_DYN_EXT_START, CHRDEV_MAJOR_DYN_EXT_END - 1, -1):
            if not any(cd.major == i for cd in self._bucket(i)):
                return i
        return -Errno.EBUSY

    def register_region(self, major: int, baseminor: int, minorct: int, name: str) -> CharDeviceStruct:
        """__register_chrdev_region(): the new region, or KernelError (after 4.19's pr_err)."""
        log = self.k.printk
        if major >= CHRDEV_MAJOR_MAX:
            log.printk(f"\x013CHRDEV \"{name}\" major requested ({major}) is greater than the "
                       f"maximum ({CHRDEV_MAJOR_MAX - 1})\n")
            raise KernelError(Errno.EINVAL)
        if minorct > MINORMASK + 1 - baseminor:
            log.printk(f"\x013CHRDEV \"{name}\" minor range requested ({baseminor}-"
                       f"{baseminor + minorct - 1}) is out of range of maximum range "
                       f"(0-{MINORMASK}) for a single major\n")
            raise KernelError(Errno.EINVAL)
        if major == 0:
            found = self.find_dynamic_major()
            if found < 0:
                log.printk(f"\x013CHRDEV \"{name}\" dynamic allocation region is full\n")
                raise KernelError(Errno.EBUSY)
            major = found
        bucket = self.chrdevs.setdefault(major % CHRDEV_MAJOR_HASH_SIZE, [])
        at = len(bucket)
        for i, cur in enumerate(bucket):
            if cur.major < major:
                continue
            if cur.major > major:
                at = i
                break
            if cur.baseminor + cur.minorct <= baseminor:
                continue
            if cur.baseminor >= baseminor + minorct:
                at = i
                break
            raise KernelError(Errno.EBUSY)
        cd = CharDeviceStruct(major, baseminor, minorct, name[:63])
        bucket.insert(at, cd)
        return cd

    def unregister_region(self, major: int, baseminor: int, minorct: int) -> CharDeviceStruct | None:
        """__unregister_chrdev_region(): the region of exactly these numbers, taken out."""
        bucket = self.chrdevs.get(major % CHRDEV_MAJOR_HASH_SIZE, [])
        for cd in bucket:
            if cd.major == major and cd.baseminor == baseminor and cd.minorct == minorct:
                bucket.remove(cd)
                return cd
        return None

    def regions(self, dev_from: int, count: int) -> list[tuple[int, int, int]]:
        """The (major, baseminor, count) pieces a range FROM..FROM+COUNT spans, one per major."""
        out = []
        to = (dev_from + count) & 0xFFFF_FFFF       # dev_t arithmetic: a 32-bit sum wraps
        n = dev_from
        while n < to:
            nxt = MKDEV(MAJOR(n) + 1, 0) & 0xFFFF_FFFF
            if nxt > to or nxt <= n:                 # past the last major: next wraps to 0
                nxt = to
            out.append((MAJOR(n), MINOR(n), nxt - n))
            n = nxt
        return out

    # --- cdev map ---------------------------------------------------------------------
    def cdev_add(self, cdev: int, dev: int, count: int) -> None:
        self.probes.insert(0, Probe(dev, count, cdev))

    def cdev_unmap(self, cdev: int) -> None:
        """cdev_unmap(): the cdev's numbers stop finding it."""
        self.probes = [p for p in self.probes if p.cdev != cdev]

    def lookup(self, dev: int) -> int:
        """kobj_lookup(): the cdev serving DEV (the newest, smallest range first), or 0."""
        best: Probe | None = None
        for p in self.probes:
            if p.dev <= dev < p.dev + p.count and (best is None or p.count < best.count):
                best = p
        return best.cdev if best is not None else 0

    def chrdev_open(self, node: "FileNode", file: int) -> int:
        """chrdev_open(): the operations of the cdev for the node's i_rdev (i_cdev set on
        the inode, as 4.19 caches it); ENXIO when no driver serves that number."""
        mem = self.k.mem
        rdev = mem.u32(node.inode + Inode.i_rdev.offset)
        cdev = self.lookup(rdev)
        if not cdev:
            raise KernelError(Errno.ENXIO)
        mem.set_u64(node.inode + Inode.i_cdev.offset, cdev)
        if cdev in self.host_open:
            return self.host_open[cdev](rdev, file)
        fops = mem.u64(cdev + Cdev.ops.offset)
        if not fops:
            raise KernelError(Errno.ENXIO)
        return fops

    # --- /proc/devices -----------------------------------------------------------------
    def proc_devices(self) -> str:
        """devinfo_show() for every major: the character part, then the block part."""
        lines = ["Character devices:\n"]
        for major in range(CHRDEV_MAJOR_MAX):
            for cd in self._bucket(major):
                if cd.major == major:
                    lines.append(f"{cd.major:3d} {cd.name}\n")
        lines.append("\nBlock devices:\n")
        for major, name in self.blkdevs:
            lines.append(f"{major:3d} {name}\n")
        return "".join(lines)
