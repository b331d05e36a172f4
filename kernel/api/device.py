"""linux/device.h: classes, devices and dev_printk (drivers/base/class.c, core.c, 4.19).

DeviceCore (k.devices) keeps what the driver core knows of each guest struct class and
struct device: its sysfs directory (/sys/class/CLASS/NAME, /sys/devices/virtual/CLASS/NAME)
and its /dev node (kernel.fs.devtmpfs), made by device_add() and removed by device_del().
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from kernel.abi import Attribute, AttributeGroup, Class, Device, DeviceAttribute, DeviceType, Kobject
from kernel.api import kapi, s64
from kernel.api.vsprintf import VaList, vsnprintf
from kernel.bug import WarnSite
from kernel.cpu import VarArgs
from kernel.errno import Errno, KernelError, RawReturn
from kernel.fs import Attr, Dir, Symlink
from kernel.fs.char_dev import MAJOR, MINOR
from kernel.record import record

if TYPE_CHECKING:
    from kernel.machine import Kernel

MAX_ERRNO = 4095
PAGE_SIZE = 4096
KOBJ_STATE_INITIALIZED, KOBJ_STATE_IN_SYSFS = 1, 2
FMT_MAX = 1 << 12
# device_release()'s WARN for a device that has no release() (4.19.0; 5.4's: WARN_MOVES_5_4)
WARN_RELEASE = WarnSite("drivers/base/core.c", 893, "device_release", callers=("kobject_put", "put_device"))
_SYSFS_DUP_FRAMES = ("sysfs_warn_dup", "sysfs_create_dir_ns", "kobject_add_internal",
                     "kobject_add")


def err_ptr(e: int) -> int:
    return -abs(e) & (2**64 - 1)


def is_err_or_null(p: int) -> bool:
    return p == 0 or p >= 2**64 - MAX_ERRNO


@record(eq=False)
class ClassInfo:
    """A registered struct class: its name and its /sys/class directory."""

    addr: int
    name: str
    sysdir: Dir
    created: bool                 # made by class_create() (freed by class_destroy())
    # a kernel class's own devnode() (misc_devnode): the node name (None: the device's) and mode
    devnode: Callable[[int], tuple[str | None, int]] | None = None


@record(eq=False)
class DevInfo:
    """A device_add()ed struct device."""

    addr: int
    name: str
    cls: ClassInfo | None
    devt: int
    node: str | None = None       # its /dev name
    created: bool = False         # made by device_create() (freed by its last put)
    sysdir: Dir | None = None     # /sys/devices/.../NAME
    where: Dir | None = None      # the directory SYSDIR is in
    path: str = ""                # SYSDIR below /sys, as sysfs_warn_dup() prints it
    bus_uevent: Callable[[], str] | None = None     # the bus's uevent lines (DRIVER=, MODALIAS=)


def page_show(k: "Kernel", fn: int, args: tuple[int, ...], what: str) -> tuple[int, str]:
    """A sysfs show method FN called as FN(*ARGS, buf) with a zeroed page (WHAT: the caller
    shown in a trace): the count it returned and the text, at most PAGE_SIZE - 1 bytes; its
    -errno raised as KernelError."""
    buf = k.slab.kmalloc(PAGE_SIZE, zero=True)
    try:
        n = s64(k.call_fn(fn, (*args, buf), what))
        if n < 0:
            raise KernelError(-n)
        return n, k.mem.read(buf, min(n, PAGE_SIZE - 1)).decode("latin-1")
    finally:
        k.slab.kfree(buf)


def page_store(k: "Kernel", fn: int, args: tuple[int, ...], text: str, what: str) -> None:
    """A sysfs store method FN called as FN(*ARGS, buf, count) with TEXT in a zeroed page, as
    sysfs_kf_write() hands it over (WHAT: the caller shown in a trace): its -errno raised as
    KernelError, a short count as RawReturn (the write goes on with the rest)."""
    raw = text.encode("latin-1", "replace")[:PAGE_SIZE - 1]
    buf = k.slab.kmalloc(PAGE_SIZE, zero=True)
    try:
        k.mem.write(buf, raw)
        n = s64(k.call_fn(fn, (*args, buf, len(raw)), what))
    finally:
        k.slab.kfree(buf)
    if n < 0:
        raise KernelError(-n)
    if n < len(raw):
        raise RawReturn(n)


class DeviceCore:
    """The driver core of one Kernel."""

    def __init__(self, k: "Kernel") -> None:
        self.k = k
        sys = k.vfs.root.mkdir("sys")
        self.class_dir = sys.mkdir("class")
        self.virtual_dir = sys.mkdir("devices/virtual")
        sys.mkdir("dev/char")                   # MAJ:MIN -> a symlink to the device
        self.classes: dict[int, ClassInfo] = {}
        self.devices: dict[int, DevInfo] = {}
        self.created: set[int] = set()          # device_create()d devices, not yet released
        # devices whose children (of no class) are below them: device -> its directory, path
        self.parents: dict[int, tuple[Dir, str]] = {}
        self.devres: dict[int, list[int]] = {}  # device -> its devm_kmalloc() blocks
        self._empty = 0

    def empty_string(self) -> int:
        """A guest "" (what dev_driver_string() returns for a device of no driver or class)."""
        if not self._empty:
            self._empty = self.k.slab.kmalloc(1, zero=True)
        return self._empty

    def class_by_name(self, name: str) -> ClassInfo | None:
        return next((c for c in self.classes.values() if c.name == name), None)

    def warn_dup(self, path: str, name: str) -> None:
        """sysfs_warn_dup() and kobject_add_internal()'s -EEXIST line."""
        k = self.k
        k.printk.printk(f"\x014sysfs: cannot create duplicate filename '{path}'\n")
        task = k.sched.current
        if task is not None:
            k.dump_stack(task, _SYSFS_DUP_FRAMES)
        k.printk.printk(f"\x013kobject_add_internal failed for {name} with -EEXIST, don't try "
                        "to register things with the same name in the same directory.\n")

    # --- classes ---------------------------------------------------------------------
    def class_register(self, cls: int, created: bool) -> int:
        k = self.k
        name = k.mem.cstr(k.mem.u64(cls + Class.name.offset), 64)
        if name in self.class_dir.children:
            self.warn_dup(f"/class/{name}", name)
            return -Errno.EEXIST
        info = ClassInfo(cls, name, self.class_dir.mkdir(name), created)
        self.classes[cls] = info
        return 0

    def class_unregister(self, cls: int) -> ClassInfo | None:
        info = self.classes.pop(cls, None)
        if info is not None:
            self.class_dir.remove(info.name)
            self.virtual_dir.remove(info.name)
        return info

    # --- devices ---------------------------------------------------------------------
    def name_of(self, dev: int) -> str:
        mem = self.k.mem
        init = mem.u64(dev + Device.init_name.offset)
        name = init or mem.u64(dev + Device.kobj.offset + Kobject.name.offset)
        return mem.cstr(name, 256) if name else ""

    def set_name(self, dev: int, name: str) -> int:
        """kobject_set_name(): a kmalloc'd copy, '/' turned into '!'."""
        k = self.k
        kobj_name = dev + Device.kobj.offset + Kobject.name.offset
        data = name.replace("/", "!").encode("latin-1", "replace")
        ptr = k.slab.kmalloc(len(data) + 1)
        if not ptr:
            return -Errno.ENOMEM
        k.mem.write(ptr, data + b"\0")
        k.slab.kfree(k.mem.u64(kobj_name))
        k.mem.set_u64(kobj_name, ptr)
        return 0

    def initialize(self, dev: int) -> None:
        """device_initialize(); its kobject_init() complains of a device initialized before
        (a static one registered again: its state stays initialized after its last put)."""
        k = self.k
        mem = k.mem
        kobj = dev + Device.kobj.offset
        if mem.u32(kobj + Kobject._state.offset) & KOBJ_STATE_INITIALIZED and k.sched.current:
            k.printk.printk(f"\x013kobject ({k.fmt_ptr(kobj)}): tried to init an initialized "
                            "object, something is seriously wrong.\n")
            k.dump_stack(k.sched.current, ("kobject_init", "device_initialize"))
        mem.set_u32(kobj + Kobject.kref.offset, 1)
        mem.set_u32(kobj + Kobject._state.offset, KOBJ_STATE_INITIALIZED)
        for member in ("devres_head",):
            head = dev + getattr(Device, member).offset
            mem.set_u64(head, head)
            mem.set_u64(head + 8, head)
        head = dev + Device.mutex.offset + 16
        mem.set_u64(head, head)
        mem.set_u64(head + 8, head)

    def devnode(self, dev: int, cls: ClassInfo | None) -> tuple[str, int]:
        """device_get_devnode(): the /dev name and mode, from the type's or class's devnode()."""
        k, mem = self.k, self.k.mem
        mode_box = k.heap.alloc(8)
        mem.set_u64(mode_box, 0)
        try:
            name_ptr = 0
            dtype = mem.u64(dev + Device.type.offset)
            fn = mem.u64(dtype + DeviceType.devnode.offset) if dtype else 0
            if fn:
                name_ptr = k.call_fn(fn, (dev, mode_box, 0, 0), "device_get_devnode")
            elif cls is not None and cls.devnode is not None:
                host_name, mode = cls.devnode(dev)
                return host_name or self.name_of(dev).replace("!", "/"), mode
            elif cls is not None:
                fn = mem.u64(cls.addr + Class.devnode.offset)
                if fn:
                    name_ptr = k.call_fn(fn, (dev, mode_box), "device_get_devnode")
            mode = mem.u16(mode_box)
            if name_ptr and not is_err_or_null(name_ptr):
                name = mem.cstr(name_ptr, 256)
                k.slab.kfree(name_ptr)
                return name, mode
            return self.name_of(dev).replace("!", "/"), mode
        finally:
            k.heap.free(mode_box)

    def add(self, dev: int, bus_groups: int = 0) -> int:
        """device_add(): the name, the sysfs directory (BUS_GROUPS: the bus's dev_groups
        among its attributes), the /dev node."""
        k, mem = self.k, self.k.mem
        init = mem.u64(dev + Device.init_name.offset)
        if init:
            rc = self.set_name(dev, mem.cstr(init, 256))
            if rc:
                return rc
            mem.set_u64(dev + Device.init_name.offset, 0)
        name = self.name_of(dev)
        if not name:
            return -Errno.EINVAL
        cls = self.classes.get(mem.u64(dev + Device.class_.offset))
        devt = mem.u32(dev + Device.devt.offset)
        parent = self.parents.get(mem.u64(dev + Device.parent.offset)) if cls is None else None
        if cls is not None:
            where, path = self.virtual_dir.mkdir(cls.name), f"/devices/virtual/{cls.name}/{name}"
        elif parent is not None:
            where, path = parent[0], f"{parent[1]}/{name}"
        else:
            where, path = k.vfs.root.mkdir("sys/devices"), f"/devices/{name}"
        if name in where.children:
            self.warn_dup(path, name)
            return -Errno.EEXIST
        info = DevInfo(dev, name, cls, devt, where=where, path=path)
        d = Dir()
        d.children["uevent"] = Attr(0o644, lambda: self.uevent(info), lambda _s: None)
        if MAJOR(devt):
            d.children["dev"] = Attr(0o444, lambda: f"{MAJOR(devt)}:{MINOR(devt)}\n")
        d.children["power"] = Dir()
        info.sysdir = d
        rc = self.add_groups(dev, d, bus_groups, path) if bus_groups else 0
        if not rc:
            rc = self.add_groups(dev, d, mem.u64(dev + Device.groups.offset), path)
        if not rc and cls is not None:
            rc = self.add_groups(dev, d, mem.u64(cls.addr + Class.dev_groups.offset), path)
        if rc:
            return rc
        where.children[name] = d
        up = "../.." + path                      # from /sys/class/CLASS or /sys/dev/char
        if cls is not None:
            cls.sysdir.children[name] = Symlink(up, size=0)
            d.children["subsystem"] = Symlink(f"../../../../class/{cls.name}", size=0)
        kobj = dev + Device.kobj.offset
        mem.set_u32(kobj + Kobject._state.offset,
                    mem.u32(kobj + Kobject._state.offset) | KOBJ_STATE_IN_SYSFS)
        self.devices[dev] = info
        if MAJOR(devt):
            self.k.vfs.root.mkdir("sys/dev/char").children[f"{MAJOR(devt)}:{MINOR(devt)}"] = Symlink(up, size=0)
            node, mode = self.devnode(dev, cls)
            info.node = node
            k.devtmpfs.create_node(node, mode, devt)
        return 0

    # --- attributes ------------------------------------------------------------------
    def attr_file(self, obj: int, attr: int, mode: int | None = None) -> Attr:
        """A sysfs file for the device_attribute (or class_attribute) ATTR of OBJ: show and
        store through a PAGE_SIZE kernel buffer, as sysfs_kf_seq_show()/sysfs_kf_write()."""
        k, mem = self.k, self.k.mem
        perms = mem.u16(attr + Attribute.mode.offset) if mode is None else mode

        def show() -> str:
            fn = mem.u64(attr + DeviceAttribute.show.offset)
            if not fn:
                raise KernelError(Errno.EIO)
            n, text = page_show(k, fn, (obj, attr), "dev_attr_show")
            if n >= PAGE_SIZE:
                k.printk.printk(f"dev_attr_show: {k.kallsyms.sprint_symbol(fn)} returned bad count\n")
            return text

        def store(text: str) -> None:
            fn = mem.u64(attr + DeviceAttribute.store.offset)
            if not fn:
                raise KernelError(Errno.EIO)
            page_store(k, fn, (obj, attr), text, "dev_attr_store")
        return Attr(perms & 0o777, show, store)

    def add_attr(self, d: Dir, obj: int, attr: int, where: str,
                 mode: int | None = None) -> int:
        """sysfs_add_file_mode_ns(): 0, or -EEXIST (after sysfs_warn_dup's lines)."""
        mem = self.k.mem
        name = mem.cstr(mem.u64(attr + Attribute.name.offset), 256)
        if name in d.children:
            self.k.printk.printk(f"\x014sysfs: cannot create duplicate filename '{where}/{name}'\n")
            task = self.k.sched.current
            if task is not None:
                self.k.dump_stack(task, ("sysfs_warn_dup", "sysfs_add_file_mode_ns"))
            return -Errno.EEXIST
        d.children[name] = self.attr_file(obj, attr, mode)
        return 0

    @staticmethod
    def sys_path(info: DevInfo) -> str:
        """The device's directory below /sys, as sysfs_warn_dup() prints it."""
        return info.path

    def add_groups(self, dev: int, d: Dir, groups: int, path: str) -> int:
        """sysfs_create_groups(): each group's attributes (is_visible may hide or re-mode
        one), in a subdirectory when the group has a name."""
        mem = self.k.mem
        while groups and mem.u64(groups):
            grp = mem.u64(groups)
            gname = mem.u64(grp + AttributeGroup.name.offset)
            target = d.mkdir(mem.cstr(gname, 256)) if gname else d
            visible = mem.u64(grp + AttributeGroup.is_visible.offset)
            attrs = mem.u64(grp + AttributeGroup.attrs.offset)
            i = 0
            while attrs and mem.u64(attrs + 8 * i):
                attr = mem.u64(attrs + 8 * i)
                mode = None
                if visible:
                    mode = self.k.call_fn(visible, (dev + Device.kobj.offset, attr, i),
                                          "create_files") & 0xFFFF
                if mode != 0:
                    rc = self.add_attr(target, dev, attr, path + (f"/{mem.cstr(gname, 256)}"
                                                                   if gname else ""), mode)
                    if rc:
                        return rc
                i += 1
            groups += 8
        return 0

    def uevent(self, info: DevInfo) -> str:
        lines = []
        if MAJOR(info.devt):
            lines += [f"MAJOR={MAJOR(info.devt)}", f"MINOR={MINOR(info.devt)}",
                      f"DEVNAME={info.node or info.name}"]
        text = "".join(line + "\n" for line in lines)
        return text + info.bus_uevent() if info.bus_uevent is not None else text

    def delete(self, dev: int) -> None:
        """device_del(): the /dev node and the sysfs directory go."""
        info = self.devices.pop(dev, None)
        if info is None:
            return
        if info.node is not None:
            self.k.devtmpfs.delete_node(info.node)
        if MAJOR(info.devt):
            self.k.vfs.root.mkdir("sys/dev/char").remove(f"{MAJOR(info.devt)}:{MINOR(info.devt)}")
        if info.cls is not None:
            info.cls.sysdir.remove(info.name)
        if info.where is not None:
            info.where.remove(info.name)
        kobj = dev + Device.kobj.offset
        mem = self.k.mem
        mem.set_u32(kobj + Kobject._state.offset,
                    mem.u32(kobj + Kobject._state.offset) & ~KOBJ_STATE_IN_SYSFS)

    def get(self, dev: int) -> None:
        kref = dev + Device.kobj.offset + Kobject.kref.offset
        self.k.mem.set_u32(kref, self.k.mem.u32(kref) + 1)

    def put(self, dev: int) -> None:
        """put_device(): the last reference calls the release (device_release())."""
        k, mem = self.k, self.k.mem
        kref = dev + Device.kobj.offset + Kobject.kref.offset
        refs = mem.u32(kref)
        if refs == 0:
            return
        mem.set_u32(kref, refs - 1)
        if refs > 1:
            return
        for ptr in reversed(self.devres.pop(dev, [])):      # devres_release_all()
            k.slab.kfree(ptr)
        name_ptr = mem.u64(dev + Device.kobj.offset + Kobject.name.offset)
        name = mem.cstr(name_ptr, 256) if name_ptr else ""
        if dev in self.created:
            self.created.discard(dev)
            k.slab.kfree(name_ptr)
            k.slab.kfree(dev)          # device_create_release()
            return
        release = mem.u64(dev + Device.release.offset)
        dtype = mem.u64(dev + Device.type.offset)
        if not release and dtype:
            release = mem.u64(dtype + DeviceType.release.offset)
        cls = mem.u64(dev + Device.class_.offset)
        if not release and cls:
            release = mem.u64(cls + Class.dev_release.offset)
        if release:                    # (the name is still there: release() may print it)
            k.call_fn(release, (dev,), "device_release")
        else:
            k.warn_at(WARN_RELEASE, f"Device '{name}' does not have a release() function, it is "
                      f"broken and must be fixed.{k.profile.device_release_hint}\n")
        # kobject_cleanup() frees the name; a device that outlives its release() (a static
        # one) forgets it, so that registering it again does not free it twice
        slot = dev + Device.kobj.offset + Kobject.name.offset
        if mem.valid(slot, 8) and k.pagetable.present(slot) and mem.u64(slot) == name_ptr:
            mem.set_u64(slot, 0)
        k.slab.kfree(name_ptr)


# --- attributes ------------------------------------------------------------------------------
@kapi()
def device_create_file(k: "Kernel", dev: int, attr: int) -> int:
    info = k.devices.devices.get(dev)
    if not dev or info is None or info.sysdir is None:
        return 0 if not dev else -Errno.EINVAL
    return k.devices.add_attr(info.sysdir, dev, attr, k.devices.sys_path(info))


@kapi()
def device_remove_file(k: "Kernel", dev: int, attr: int) -> None:
    info = k.devices.devices.get(dev)
    if info is not None and info.sysdir is not None and attr:
        info.sysdir.remove(k.mem.cstr(k.mem.u64(attr + Attribute.name.offset), 256))


@kapi()
def class_create_file_ns(k: "Kernel", cls: int, attr: int, ns: int) -> int:
    info = k.devices.classes.get(cls)
    if info is None:
        return -Errno.EINVAL
    return k.devices.add_attr(info.sysdir, cls, attr, f"/class/{info.name}")


@kapi()
def class_remove_file_ns(k: "Kernel", cls: int, attr: int, ns: int) -> None:
    info = k.devices.classes.get(cls)
    if info is not None and attr:
        info.sysdir.remove(k.mem.cstr(k.mem.u64(attr + Attribute.name.offset), 256))


# --- classes ---------------------------------------------------------------------------------
@kapi("__class_create")
def class_create(k: "Kernel", owner: int, name: int, key: int) -> int:
    cls = k.slab.kmalloc(Class.size, zero=True)
    if not cls:
        return err_ptr(Errno.ENOMEM)
    k.mem.set_u64(cls + Class.name.offset, name)
    k.mem.set_u64(cls + Class.owner.offset, owner)
    rc = k.devices.class_register(cls, created=True)
    if rc:
        k.slab.kfree(cls)
        return err_ptr(rc)
    return cls


@kapi("__class_register")
def class_register(k: "Kernel", cls: int, key: int) -> int:
    return k.devices.class_register(cls, created=False)


@kapi()
def class_unregister(k: "Kernel", cls: int) -> None:
    info = k.devices.class_unregister(cls)
    if info is not None and not info.created:
        release = k.mem.u64(cls + Class.class_release.offset)
        if release:
            k.call_fn(release, (cls,), "class_release")


@kapi()
def class_destroy(k: "Kernel", cls: int) -> None:
    if is_err_or_null(cls):
        return
    info = k.devices.class_unregister(cls)
    if info is not None and info.created:
        k.slab.kfree(cls)              # class_create_release()


# --- devices ---------------------------------------------------------------------------------
def device_create_vargs(k: "Kernel", cls: int, parent: int, devt: int, drvdata: int,
                        groups: int, name: str) -> int:
    """device_create_groups_vargs(): a new struct device, added; or an ERR_PTR."""
    if is_err_or_null(cls):
        return err_ptr(Errno.ENODEV)
    core = k.devices
    dev = k.slab.kmalloc(Device.size, zero=True)
    if not dev:
        return err_ptr(Errno.ENOMEM)
    core.initialize(dev)
    mem = k.mem
    mem.set_u32(dev + Device.devt.offset, devt & 0xFFFF_FFFF)
    mem.set_u64(dev + Device.class_.offset, cls)
    mem.set_u64(dev + Device.parent.offset, parent)
    mem.set_u64(dev + Device.groups.offset, groups)
    mem.set_u64(dev + Device.driver_data.offset, drvdata)
    core.created.add(dev)
    rc = core.set_name(dev, name) or core.add(dev)
    if rc:
        core.put(dev)
        return err_ptr(rc)
    return dev


@kapi(variadic=True)
def device_create(k: "Kernel", cls: int, parent: int, devt: int, drvdata: int, fmt: int,
                  va: VarArgs) -> int:
    name = vsnprintf(k, k.mem.cstr(fmt, FMT_MAX), va.next)
    return device_create_vargs(k, cls, parent, devt, drvdata, 0, name)


@kapi(variadic=True)
def device_create_with_groups(k: "Kernel", cls: int, parent: int, devt: int, drvdata: int,
                              groups: int, fmt: int, va: VarArgs) -> int:
    name = vsnprintf(k, k.mem.cstr(fmt, FMT_MAX), va.next)
    return device_create_vargs(k, cls, parent, devt, drvdata, groups, name)


@kapi()
def device_destroy(k: "Kernel", cls: int, devt: int) -> None:
    """class_find_device() by devt, then put_device() and device_unregister()."""
    devt &= 0xFFFF_FFFF
    for info in list(k.devices.devices.values()):
        if info.cls is not None and info.cls.addr == cls and info.devt == devt:
            device_unregister(k, info.addr)     # (the lookup's reference, put at once)
            return


@kapi()
def device_initialize(k: "Kernel", dev: int) -> None:
    k.devices.initialize(dev)


@kapi()
def device_add(k: "Kernel", dev: int) -> int:
    return k.devices.add(dev)


@kapi()
def device_register(k: "Kernel", dev: int) -> int:
    k.devices.initialize(dev)
    return k.devices.add(dev)


@kapi()
def device_del(k: "Kernel", dev: int) -> None:
    k.devices.delete(dev)


@kapi()
def device_unregister(k: "Kernel", dev: int) -> None:
    k.devices.delete(dev)
    k.devices.put(dev)


@kapi()
def get_device(k: "Kernel", dev: int) -> int:
    if dev:
        k.devices.get(dev)
    return dev


@kapi()
def put_device(k: "Kernel", dev: int) -> None:
    if dev:
        k.devices.put(dev)


@kapi(variadic=True)
def dev_set_name(k: "Kernel", dev: int, fmt: int, va: VarArgs) -> int:
    return k.devices.set_name(dev, vsnprintf(k, k.mem.cstr(fmt, FMT_MAX), va.next))


# --- devres: allocations that go with the driver's binding ---------------------------------
@kapi()
def devm_kmalloc(k: "Kernel", dev: int, size: int, gfp: int) -> int:
    ptr = k.slab.kmalloc(size, zero=bool(gfp & k.profile.gfp.zero), flags=gfp)
    if ptr:
        k.devices.devres.setdefault(dev, []).append(ptr)
    return ptr


@kapi()
def devm_kfree(k: "Kernel", dev: int, ptr: int) -> None:
    blocks = k.devices.devres.get(dev, [])
    if ptr in blocks:
        blocks.remove(ptr)
        k.slab.kfree(ptr)


@kapi()
def devm_kstrdup(k: "Kernel", dev: int, s: int, gfp: int) -> int:
    if not s:
        return 0
    raw = k.mem.read(s, k.mem.strnlen(s, 1 << 20)) + b"\0"
    ptr = devm_kmalloc(k, dev, len(raw), gfp)
    if ptr:
        k.mem.write(ptr, raw)
    return ptr


def driver_string(k: "Kernel", dev: int) -> str:
    """dev_driver_string(): the driver's name, else the bus's, else the class's."""
    mem = k.mem
    for member in (Device.driver, Device.bus, Device.class_):
        obj = mem.u64(dev + member.offset)
        if obj:
            name = mem.u64(obj)                 # each struct's first member is its name
            return mem.cstr(name, 64) if name else ""
    return ""


@kapi()
def dev_driver_string(k: "Kernel", dev: int) -> int:
    mem = k.mem
    for member in (Device.driver, Device.bus, Device.class_):
        obj = mem.u64(dev + member.offset)
        if obj:
            return mem.u64(obj)
    return k.devices.empty_string()


def driver_init(k: "Kernel") -> None:
    """driver_init() and the char-device parts of the boot: the driver core, devtmpfs on
    /dev, the registered majors, the misc class; /proc/devices and /proc/misc."""
    from kernel.api.miscdevice import misc_init
    from kernel.fs.char_mem import chr_dev_init
    from kernel.fs.devtmpfs import Devtmpfs
    k.devices = DeviceCore(k)
    k.devtmpfs = Devtmpfs(k)
    k.chrdevs.boot()
    proc = k.vfs.root.mkdir("proc")
    proc.children["devices"] = Attr(0o444, k.chrdevs.proc_devices)
    misc_init(k)
    chr_dev_init(k)
    platform_bus_dirs(k)


def platform_bus_dirs(k: "Kernel") -> Dir:
    """/sys/bus/platform and /sys/devices/platform as platform_bus_init() makes them at boot;
    their files reach the bus (kernel/api/platform.py), made at the first one's use."""
    def bus() -> Any:
        from kernel.api.platform import platform
        return platform(k)
    root = k.vfs.root
    d = root.mkdir("sys/bus/platform")
    if "uevent" not in d.children:
        d.mkdir("devices")
        d.mkdir("drivers")
        d.children["drivers_autoprobe"] = Attr(0o644, lambda: f"{int(bus().autoprobe)}\n",
                                               lambda text: bus().store_autoprobe(text))
        d.children["drivers_probe"] = Attr(0o200, None, lambda text: bus().store_probe(text))
        d.children["uevent"] = Attr(0o200, None, lambda _s: None)
        top = root.mkdir("sys/devices/platform")
        top.children["uevent"] = Attr(0o644, lambda: "", lambda _s: None)
        top.mkdir("power")
    return d


# --- dev_printk ------------------------------------------------------------------------------
def _dev_emit(k: "Kernel", level: str, dev: int, fmt: int, next_arg) -> None:  # noqa: ANN001
    """dev_printk_emit(): "DRIVER NAME: message", formatted by vprintk_store() into its
    textbuf[LOG_LINE_MAX] (what does not fit is cut)."""
    dev_emit_text(k, level, dev, vsnprintf(k, k.mem.cstr(fmt, FMT_MAX), next_arg))


def dev_emit_text(k: "Kernel", level: str, dev: int, msg: str) -> None:
    """dev_printk_emit() of the formatted MSG (the kernel's own dev_warn() and the like)."""
    from kernel.api.printk import LOG_LINE_MAX
    who = "(NULL device *)" if not dev else f"{driver_string(k, dev)} {k.devices.name_of(dev)}"
    k.printk.printk(level + f"{who}: {msg}"[:LOG_LINE_MAX - 1])


@kapi(variadic=True)
def dev_printk(k: "Kernel", level: int, dev: int, fmt: int, va: VarArgs) -> None:
    _dev_emit(k, k.mem.cstr(level, 8), dev, fmt, va.next)


def _level_printer(name: str, level: str) -> None:
    def fn(k: "Kernel", dev: int, fmt: int, va: VarArgs) -> None:
        _dev_emit(k, level, dev, fmt, va.next)
    fn.__name__ = name
    kapi(name, variadic=True)(fn)


for _name, _lvl in (("dev_emerg", 0), ("dev_alert", 1), ("dev_crit", 2), ("dev_err", 3),
                    ("dev_warn", 4), ("dev_notice", 5), ("_dev_info", 6)):
    _level_printer(_name, f"\x01{_lvl}")

__all__ = ["DeviceCore", "VaList"]
