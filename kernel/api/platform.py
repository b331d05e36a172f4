"""linux/platform_device.h: the platform bus (drivers/base/platform.c, dd.c, bus.c; 4.19).

PlatformBus (k.platform, made at the first use) keeps the registered platform drivers and
devices in registration order, as the bus's klists do. A device is added as
/sys/devices/platform/NAME.ID (with modalias, driver_override, uevent, subsystem) and linked
from /sys/bus/platform/devices; a driver as /sys/bus/platform/drivers/NAME (bind, unbind,
uevent, module). When a device and a driver match (platform_match(): driver_override, else the
driver's id_table, else the names), really_probe() binds them: dev->driver is set, the links
are made and the driver's probe() runs; 0 binds, -ENODEV/-ENXIO quietly does not, another
error is reported as "DRV: probe of DEV failed with error N". Unbinding (the driver or the
device going, or a write to unbind) runs remove(). A platform_device_alloc()ed device is
freed by platform_device_release() at its last put; a static one without a release()
gets device_release()'s WARN.

The kernel's own callbacks (platform_drv_probe, bind_store, modalias_show ...) have stub
slots, so that a device or driver a module left behind when it was unloaded faults in them
(an Oops) when the kernel follows it, as it would in 4.19.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from kernel import abi
from kernel.abi import Attribute, AttributeGroup, Device, DeviceAttribute, DeviceDriver, \
    PlatformDeviceId, PlatformDriver, Resource
from kernel.api import errret, kapi, s32
from kernel.api.device import err_ptr, page_show, page_store, platform_bus_dirs
from kernel.errno import Errno, KernelError
from kernel.fs import Attr, Dir, Symlink
from kernel.record import field, record

if TYPE_CHECKING:
    from kernel.api.device import DevInfo
    from kernel.machine import Kernel
    from kernel.module.main import Module

PLATFORM_DEVID_NONE, PLATFORM_DEVID_AUTO = -1, -2
EPROBE_DEFER = 517
NAME_MAX = 256
PAGE_SIZE = 4096
IORESOURCE_TYPE_BITS, IORESOURCE_IRQ = 0x1F00, 0x400
PROBE_PREFER_ASYNCHRONOUS, PROBE_FORCE_SYNCHRONOUS = 1, 2
BUS_TYPE_SIZE = 200                     # struct bus_type: only its name (first) is read here
DRV = PlatformDriver.driver.offset      # struct device_driver in struct platform_driver
# struct platform_device_info
PDI_PARENT, PDI_NAME, PDI_ID, PDI_RES, PDI_NUM_RES, PDI_DATA, PDI_SIZE = 0, 16, 24, 32, 40, 48, 56

# the call chains below a probe() or remove(), outermost first (the last one is the caller)
ATTACH_DRIVER = ("driver_register", "bus_add_driver", "bus_for_each_dev", "__driver_attach",
                 "driver_probe_device", "really_probe", "platform_drv_probe")
ATTACH_DEVICE = ("device_add", "bus_probe_device", "__device_attach", "bus_for_each_drv",
                 "__device_attach_driver", "driver_probe_device", "really_probe",
                 "platform_drv_probe")
BIND = ("driver_probe_device", "really_probe", "platform_drv_probe")
DETACH_DRIVER = ("driver_unregister", "bus_remove_driver", "driver_detach",
                 "device_release_driver_internal", "__device_release_driver", "platform_drv_remove")
DETACH_DEVICE = ("device_del", "bus_remove_device", "device_release_driver",
                 "device_release_driver_internal", "__device_release_driver", "platform_drv_remove")
UNBIND = ("device_release_driver", "device_release_driver_internal", "__device_release_driver",
          "platform_drv_remove")


@record(eq=False)
class PDriver:
    """A registered struct platform_driver."""

    addr: int
    name: str
    sysdir: Dir
    owner: "Module | None"
    bound: list[int] = field(default_factory=list)     # its devices, in binding order
    probe_fail: bool = False      # __platform_driver_probe() is done: later probes get -ENXIO


@record(eq=False)
class PDevice:
    """A platform device on the bus (device_add()ed)."""

    addr: int                     # struct platform_device
    name: str                     # dev_name()
    info: "DevInfo"
    driver: PDriver | None = None


class PlatformBus:
    """The platform bus of one Kernel: platform_bus_type, the platform_bus device and the
    drivers and devices on it."""

    def __init__(self, k: "Kernel") -> None:
        self.k = k
        mem = k.mem
        self.pd = getattr(abi, k.profile.platform_device_struct)   # struct platform_device
        self.dev_off = self.pd.dev.offset
        self.pdrv = getattr(abi, k.profile.platform_driver_struct)   # struct platform_driver
        dd_t = dict(self.pdrv._fields_)["driver"]
        # struct device_driver's dev_groups (5.4), if this kernel's has it
        self.drv_dev_groups = dd_t.dev_groups.offset if hasattr(dd_t, "dev_groups") else None
        self.drivers: dict[int, PDriver] = {}
        self.devices: dict[int, PDevice] = {}    # by struct device
        self.ids: set[int] = set()               # platform_devid_ida
        self.deferred: list[int] = []            # devices whose probe asked to be deferred
        self.deferred_work = k.wq.host_work("deferred_probe_work_func", self._deferred_work)
        self.autoprobe = True
        self.bus_type = k.slab.kmalloc(BUS_TYPE_SIZE, zero=True)
        mem.set_u64(self.bus_type, self._string("platform"))
        self.bus_dev = k.slab.kmalloc(Device.size, zero=True)          # platform_bus
        k.devices.initialize(self.bus_dev)
        k.devices.set_name(self.bus_dev, "platform")
        self.dev_groups = self._dev_groups()
        root = k.vfs.root
        bus = platform_bus_dirs(k)                 # (made at boot)
        self.devices_dir = bus.mkdir("devices")
        self.drivers_dir = bus.mkdir("drivers")
        self.sys_dir = root.mkdir("sys/devices/platform")
        k.devices.parents[self.bus_dev] = (self.sys_dir, "/devices/platform")

    # --- guest objects ---------------------------------------------------------------
    def _string(self, text: str) -> int:
        raw = text.encode() + b"\0"
        addr = self.k.slab.kmalloc(len(raw))
        self.k.mem.write(addr, raw)
        return addr

    def stub(self, name: str, func: Callable[..., Any], nargs: int) -> int:
        """The slot of the kernel's own function NAME (FUNC(k, ...))."""
        return self.k.cpu.add_stub(name, func, nargs).addr

    def host(self, name: str, func: Callable[..., Any], *args: int) -> Any:
        """FUNC(k, *ARGS) as the kernel function NAME: memory it cannot read (a module's
        object after the module went) is an Oops there."""
        stub = self.k.cpu.add_stub(name, func, len(args))
        return self.k.cpu.call_host(self.k.current, stub, args)

    def _dev_groups(self) -> int:
        """platform_dev_groups: modalias and driver_override (bus->dev_groups)."""
        k, mem = self.k, self.k.mem
        attrs = []
        for name, mode, show, store in (
                ("modalias", 0o444, modalias_show, None),
                ("driver_override", 0o644, driver_override_show, driver_override_store)):
            a = k.slab.kmalloc(DeviceAttribute.size, zero=True)
            mem.set_u64(a + Attribute.name.offset, self._string(name))
            mem.set_u16(a + Attribute.mode.offset, mode)
            mem.set_u64(a + DeviceAttribute.show.offset, self.stub(f"{name}_show", show, 3))
            if store is not None:
                mem.set_u64(a + DeviceAttribute.store.offset, self.stub(f"{name}_store", store, 4))
            attrs.append(a)
        array = k.slab.kmalloc(8 * (len(attrs) + 1), zero=True)
        for i, a in enumerate(attrs):
            mem.set_u64(array + 8 * i, a)
        grp = k.slab.kmalloc(AttributeGroup.size, zero=True)
        mem.set_u64(grp + AttributeGroup.attrs.offset, array)
        groups = k.slab.kmalloc(16, zero=True)
        mem.set_u64(groups, grp)
        return groups

    # --- reading guest structures ----------------------------------------------------
    def pdev_of(self, dev: int) -> int:
        return dev - self.dev_off

    def pdev_name(self, pdev: int) -> str:
        ptr = self.k.mem.u64(pdev + self.pd.name.offset)
        return self.k.mem.cstr(ptr, NAME_MAX) if ptr else ""

    def drv_name(self, drv: int) -> str:
        ptr = self.k.mem.u64(drv + DRV + DeviceDriver.name.offset)
        return self.k.mem.cstr(ptr, NAME_MAX) if ptr else ""

    def by_name(self, text: str) -> PDevice | None:
        """bus_find_device_by_name(): sysfs_streq() (one trailing newline ignored)."""
        name = text[:-1] if text.endswith("\n") else text
        return next((d for d in self.devices.values() if d.name == name), None)

    # --- matching and binding ----------------------------------------------------------
    def match(self, pdev: int, drv: PDriver) -> bool:
        """platform_match(): driver_override, the id table (setting pdev->id_entry), the name."""
        mem = self.k.mem
        override = mem.u64(pdev + self.pd.driver_override.offset)
        if override:
            return mem.cstr(override, PAGE_SIZE) == self.drv_name(drv.addr)
        name = self.pdev_name(pdev)
        table = mem.u64(drv.addr + self.pdrv.id_table.offset)
        if table:
            entry = table
            while mem.u8(entry):
                if mem.cstr(entry, PlatformDeviceId.name.size) == name:
                    mem.set_u64(pdev + self.pd.id_entry.offset, entry)
                    return True
                entry += PlatformDeviceId.size
            return False
        return name == self.drv_name(drv.addr)

    def probe(self, pd: PDevice, drv: PDriver, chain: tuple[str, ...]) -> bool:
        """driver_probe_device() -> really_probe(): True if DRV bound PD."""
        k, mem = self.k, self.k.mem
        dev = pd.addr + self.dev_off
        drv_dd = drv.addr + DRV
        mem.set_u64(dev + Device.driver.offset, drv_dd)
        self._sysfs_add(pd, drv)
        ret = self.drv_probe(pd, drv, chain)
        groups_failed = ret == 0 and self._driver_dev_groups(pd, drv, add=True) != 0
        if groups_failed:                            # dev_groups_failed: remove(), unbound
            from kernel.api.device import dev_emit_text
            dev_emit_text(k, "\x013", dev, "device_add_groups() failed\n")
            fn = mem.u64(drv.addr + PlatformDriver.remove.offset)
            if fn:
                _call(k, fn, (pd.addr,), (*chain[:-1], "platform_drv_remove"))
        if ret == 0 and not groups_failed:           # driver_bound()
            pd.driver = drv
            drv.bound.append(pd.addr)
            if pd.addr in self.deferred:
                self.deferred.remove(pd.addr)
            if self.deferred:                        # driver_deferred_probe_trigger()
                k.wq.queue_work(self.deferred_work)
            return True
        devres_release_all(k, dev)
        self._sysfs_remove(pd, drv)
        mem.set_u64(dev + Device.driver.offset, 0)
        mem.set_u64(dev + Device.driver_data.offset, 0)
        if ret == -EPROBE_DEFER:
            if pd.addr not in self.deferred:       # driver_deferred_probe_add()
                self.deferred.append(pd.addr)
        elif ret not in (-Errno.ENODEV, -Errno.ENXIO):
            # (after dev_groups_failed ret is still probe()'s 0, and 5.4 says so)
            k.printk.printk(f"\x014{drv.name}: probe of {pd.name} failed with error {ret}\n")
        return False

    def drv_probe(self, pd: PDevice, drv: PDriver, chain: tuple[str, ...]) -> int:
        """platform_drv_probe() (platform_drv_probe_fail() after __platform_driver_probe())."""
        k, mem = self.k, self.k.mem
        if drv.probe_fail:
            return -Errno.ENXIO
        fn = mem.u64(drv.addr + PlatformDriver.probe.offset)
        ret = _call(k, fn, (pd.addr,), chain) if fn else 0
        if mem.u8(drv.addr + self.pdrv.prevent_deferred_probe.offset) and ret == -EPROBE_DEFER:
            from kernel.api.device import dev_emit_text
            dev_emit_text(k, "\x014", pd.addr + self.dev_off, "probe deferral not supported\n")
            ret = -Errno.ENXIO
        return ret

    def release_driver(self, pd: PDevice, chain: tuple[str, ...]) -> None:
        """__device_release_driver(): the links go, remove() runs, drvdata is cleared."""
        drv = pd.driver
        if drv is None:
            return
        k, mem = self.k, self.k.mem
        dev = pd.addr + self.dev_off
        self._sysfs_remove(pd, drv)
        self._driver_dev_groups(pd, drv, add=False)
        fn = mem.u64(drv.addr + PlatformDriver.remove.offset)
        if fn:
            _call(k, fn, (pd.addr,), chain)         # (its return value is ignored)
        devres_release_all(k, dev)
        mem.set_u64(dev + Device.driver.offset, 0)
        mem.set_u64(dev + Device.driver_data.offset, 0)
        pd.driver = None
        if pd.addr in drv.bound:
            drv.bound.remove(pd.addr)

    def _driver_dev_groups(self, pd: PDevice, drv: PDriver, add: bool) -> int:
        """device_add_groups()/device_remove_groups() of the driver's dev_groups (5.4)."""
        if self.drv_dev_groups is None or pd.info.sysdir is None:
            return 0
        k, mem = self.k, self.k.mem
        groups = mem.u64(drv.addr + DRV + self.drv_dev_groups)
        if not groups:
            return 0
        dev = pd.addr + self.dev_off
        if add:
            return k.devices.add_groups(dev, pd.info.sysdir, groups, pd.info.path)
        d = pd.info.sysdir
        while mem.u64(groups):
            grp = mem.u64(groups)
            gname = mem.u64(grp + AttributeGroup.name.offset)
            if gname:
                d.remove(mem.cstr(gname, NAME_MAX))
            else:
                attrs = mem.u64(grp + AttributeGroup.attrs.offset)
                i = 0
                while attrs and mem.u64(attrs + 8 * i):
                    d.remove(mem.cstr(mem.u64(mem.u64(attrs + 8 * i) + Attribute.name.offset),
                                      NAME_MAX))
                    i += 1
            groups += 8
        return 0

    def _sysfs_add(self, pd: PDevice, drv: PDriver) -> None:
        """driver_sysfs_add(): DRV/NAME -> the device, NAME/driver -> the driver."""
        drv.sysdir.children[pd.name] = Symlink(f"../../../../devices/platform/{pd.name}", size=0)
        if pd.info.sysdir is not None:
            pd.info.sysdir.children["driver"] = Symlink(f"../../../bus/platform/drivers/{drv.name}",
                                                        size=0)

    def _sysfs_remove(self, pd: PDevice, drv: PDriver) -> None:
        drv.sysdir.children.pop(pd.name, None)
        if pd.info.sysdir is not None:
            pd.info.sysdir.children.pop("driver", None)

    def attach_device(self, pd: PDevice, chain: tuple[str, ...] = ATTACH_DEVICE) -> bool:
        """__device_attach(): the drivers in registration order until one binds."""
        for drv in list(self.drivers.values()):
            if pd.driver is not None:
                return True
            if pd.addr + self.dev_off not in self.devices:        # gone meanwhile
                return False
            if (drv.addr in self.drivers and self.match(pd.addr, drv)
                    and self.probe(pd, drv, chain)):
                return True
        return False

    def attach_driver(self, drv: PDriver) -> None:
        """driver_attach(): every unbound device that matches, in the order they were added."""
        for pd in list(self.devices.values()):
            if drv.addr not in self.drivers:            # a probe unregistered it
                return
            if (pd.addr + self.dev_off in self.devices and self.match(pd.addr, drv)
                    and pd.driver is None):
                self.probe(pd, drv, ATTACH_DRIVER)

    def _deferred_work(self) -> None:
        """deferred_probe_work_func(): each deferred device is offered to the drivers again
        (in a kworker: a stale device or driver it follows is an Oops that ends the worker)."""
        from kernel.cpu import GuestBug, GuestFault
        from kernel.sched import TaskExit
        try:
            self.host("deferred_probe_work_func", lambda _k: self._retry_deferred())
        except (GuestFault, GuestBug) as e:
            self.k.oops(self.k.current, e)
            raise TaskExit() from None

    def _retry_deferred(self) -> None:
        """The devices deferred when the work was queued; one that defers again waits for
        the next trigger (4.19's pending and active lists)."""
        pending, self.deferred = self.deferred, []
        for addr in pending:
            pd = self.devices.get(addr + self.dev_off)
            if pd is not None and pd.driver is None:
                self.attach_device(pd, ("bus_probe_device", "__device_attach", "bus_for_each_drv",
                                        "__device_attach_driver", "driver_probe_device",
                                        "really_probe", "platform_drv_probe"))

    # --- bus attributes --------------------------------------------------------------
    def store_probe(self, text: str) -> None:
        """store_drivers_probe(): bus_rescan_devices_helper() for the named device."""
        k = self.k
        buf = k.slab.kmalloc(PAGE_SIZE, zero=True)
        try:
            k.mem.write(buf, text.encode("latin-1", "replace")[:PAGE_SIZE - 1])
            ret = self.host("store_drivers_probe", _drivers_probe, buf)
        finally:
            k.slab.kfree(buf)
        if ret:
            raise KernelError(-ret)

    def store_autoprobe(self, text: str) -> None:
        self.autoprobe = not text.startswith("0")


def platform(k: "Kernel") -> PlatformBus:
    """The machine's platform bus (platform_bus_init() at its first use)."""
    bus = k.platform
    if bus is None:
        bus = k.platform = PlatformBus(k)
    return bus


def _call(k: "Kernel", fn: int, args: tuple[int, ...], chain: tuple[str, ...]) -> int:
    """Call a driver's callback FN from the kernel functions CHAIN (outermost first)."""
    task = k.current
    outer = chain[:-1]
    task.host_stack.extend(outer)
    try:
        return s32(k.call_fn(fn, args, chain[-1]))
    finally:
        if outer:
            del task.host_stack[-len(outer):]


# --- the kernel's own callbacks (stub slots) ---------------------------------------------
def modalias_show(k: "Kernel", dev: int, attr: int, buf: int) -> int:
    bus = platform(k)
    text = f"platform:{bus.pdev_name(bus.pdev_of(dev))}\n".encode("latin-1", "replace")
    text = text[:PAGE_SIZE - 1]
    k.mem.write(buf, text)
    return len(text)


def driver_override_show(k: "Kernel", dev: int, attr: int, buf: int) -> int:
    bus = platform(k)
    ptr = k.mem.u64(bus.pdev_of(dev) + bus.pd.driver_override.offset)
    text = (k.mem.cstr(ptr, PAGE_SIZE) if ptr else "(null)").encode("latin-1") + b"\n"
    k.mem.write(buf, text[:PAGE_SIZE - 1])
    return min(len(text), PAGE_SIZE - 1)


def driver_override_store(k: "Kernel", dev: int, attr: int, buf: int, count: int) -> int:
    bus = platform(k)
    if count >= PAGE_SIZE - 1:
        return -Errno.EINVAL
    text = k.mem.read(buf, count).split(b"\0", 1)[0].split(b"\n", 1)[0]
    slot = bus.pdev_of(dev) + bus.pd.driver_override.offset
    old = k.mem.u64(slot)
    new = 0
    if text:
        new = k.slab.kmalloc(len(text) + 1)
        if not new:
            return -Errno.ENOMEM
        k.mem.write(new, text + b"\0")
    k.mem.set_u64(slot, new)
    k.slab.kfree(old)
    return count


def platform_uevent_text(k: "Kernel", dev: int) -> str:
    """dev_uevent()'s DRIVER= and platform_uevent()'s MODALIAS= lines."""
    bus = platform(k)
    lines = []
    drv = k.mem.u64(dev + Device.driver.offset)
    if drv:
        name = k.mem.u64(drv + DeviceDriver.name.offset)
        lines.append(f"DRIVER={k.mem.cstr(name, NAME_MAX) if name else ''}")
    lines.append(f"MODALIAS=platform:{bus.pdev_name(bus.pdev_of(dev))}")
    return "".join(line + "\n" for line in lines)


def _drivers_probe(k: "Kernel", buf: int) -> int:
    bus = platform(k)
    pd = bus.by_name(k.mem.cstr(buf, PAGE_SIZE))
    if pd is None:
        return -Errno.ENODEV
    if pd.driver is None:
        bus.attach_device(pd, ("store_drivers_probe", "bus_rescan_devices_helper", "device_attach",
                               "__device_attach", "bus_for_each_drv", "__device_attach_driver",
                               "driver_probe_device", "really_probe", "platform_drv_probe"))
    return 0


def bind_store(k: "Kernel", drv_dd: int, buf: int, count: int) -> int:
    """bind_store(): probe the named device with this driver."""
    bus = platform(k)
    drv = bus.drivers.get(drv_dd - DRV)
    pd = bus.by_name(k.mem.cstr(buf, count))
    if drv is None or pd is None or pd.driver is not None or not bus.match(pd.addr, drv):
        return -Errno.ENODEV
    chain = ("kernfs_fop_write", "drv_attr_store", "bind_store", *BIND)
    if not bus.probe(pd, drv, chain):
        return -Errno.ENODEV
    return count


def unbind_store(k: "Kernel", drv_dd: int, buf: int, count: int) -> int:
    """unbind_store(): release the named device if this driver has it."""
    bus = platform(k)
    pd = bus.by_name(k.mem.cstr(buf, count))
    if pd is None or pd.driver is None or pd.driver.addr + DRV != drv_dd:
        return -Errno.ENODEV
    bus.release_driver(pd, ("kernfs_fop_write", "drv_attr_store", "unbind_store", *UNBIND))
    return count


def _drv_attr(bus: PlatformBus, drv: PDriver, name: str, func: Callable[..., int]) -> Attr:
    """A driver attribute that only stores (drv_attr_store() -> NAME_store())."""
    k = bus.k

    def store(text: str) -> None:
        raw = text.encode("latin-1", "replace")[:PAGE_SIZE - 1]
        buf = k.slab.kmalloc(PAGE_SIZE, zero=True)
        try:
            k.mem.write(buf, raw)
            n = s32(k.call_fn(bus.stub(f"{name}_store", func, 3), (drv.addr + DRV, buf, len(raw)),
                              "drv_attr_store"))
        finally:
            k.slab.kfree(buf)
        if n < 0:
            raise KernelError(-n)
    return Attr(0o200, None, store)


def _drv_file(bus: PlatformBus, drv: PDriver, attr: int, mode: int | None = None) -> Attr:
    """A struct driver_attribute's file: drv_attr_show()/drv_attr_store() through a
    PAGE_SIZE kernel buffer (-EIO for a method it does not have)."""
    k, mem = bus.k, bus.k.mem
    dd = drv.addr + DRV
    perms = mem.u16(attr + Attribute.mode.offset) if mode is None else mode

    def show() -> str:
        fn = mem.u64(attr + DeviceAttribute.show.offset)
        if not fn:
            raise KernelError(Errno.EIO)
        return page_show(k, fn, (dd,), "drv_attr_show")[1]

    def store(text: str) -> None:
        fn = mem.u64(attr + DeviceAttribute.store.offset)
        if not fn:
            raise KernelError(Errno.EIO)
        page_store(k, fn, (dd,), text, "drv_attr_store")
    return Attr(perms & 0o777, show, store)


def _add_drv_file(bus: PlatformBus, drv: PDriver, d: Dir, attr: int, where: str,
                  mode: int | None = None) -> int:
    """sysfs_create_file() in a driver's directory: 0, or -EEXIST after sysfs_warn_dup()."""
    k, mem = bus.k, bus.k.mem
    name = mem.cstr(mem.u64(attr + Attribute.name.offset), NAME_MAX)
    if name in d.children:
        k.printk.printk(f"\x014sysfs: cannot create duplicate filename '{where}/{name}'\n")
        if k.sched.current is not None:
            k.dump_stack(k.sched.current, ("sysfs_warn_dup", "sysfs_add_file_mode_ns"))
        return -Errno.EEXIST
    d.children[name] = _drv_file(bus, drv, attr, mode)
    return 0


def _add_drv_groups(bus: PlatformBus, drv: PDriver, groups: int) -> int:
    """driver_add_groups(): each group's driver attributes (a named group is a directory)."""
    mem = bus.k.mem
    where = f"/bus/platform/drivers/{drv.name}"
    while groups and mem.u64(groups):
        grp = mem.u64(groups)
        gname = mem.u64(grp + AttributeGroup.name.offset)
        sub = mem.cstr(gname, NAME_MAX) if gname else ""
        target = drv.sysdir.mkdir(sub) if sub else drv.sysdir
        attrs = mem.u64(grp + AttributeGroup.attrs.offset)
        i = 0
        while attrs and mem.u64(attrs + 8 * i):
            rc = _add_drv_file(bus, drv, target, mem.u64(attrs + 8 * i),
                               where + (f"/{sub}" if sub else ""))
            if rc:
                return rc
            i += 1
        groups += 8
    return 0


@kapi()
def driver_create_file(k: "Kernel", drv_dd: int, attr: int) -> int:
    bus = platform(k)
    drv = bus.drivers.get(drv_dd - DRV) if drv_dd else None
    if drv is None or not attr:
        return errret(Errno.EINVAL)
    return _add_drv_file(bus, drv, drv.sysdir, attr, f"/bus/platform/drivers/{drv.name}")


@kapi()
def driver_remove_file(k: "Kernel", drv_dd: int, attr: int) -> None:
    bus = platform(k)
    drv = bus.drivers.get(drv_dd - DRV) if drv_dd else None
    if drv is not None and attr:
        drv.sysdir.children.pop(k.mem.cstr(k.mem.u64(attr + Attribute.name.offset), NAME_MAX), None)


def platform_device_release(k: "Kernel", dev: int) -> None:
    """The release() of platform_device_alloc()'s devices: it and what it holds are freed."""
    bus = platform(k)
    pdev = bus.pdev_of(dev)
    mem = k.mem
    for ptr in (mem.u64(dev + Device.platform_data.offset), mem.u64(pdev + bus.pd.mfd_cell.offset),
                mem.u64(pdev + bus.pd.resource.offset),
                mem.u64(pdev + bus.pd.driver_override.offset), pdev):
        k.slab.kfree(ptr)


def _driver_of(k: "Kernel", dev: int) -> tuple[PlatformBus, int]:
    """The bus, and the struct platform_driver of DEV's driver (0 for none)."""
    bus = platform(k)
    dd = k.mem.u64(dev + Device.driver.offset)
    return bus, (dd - DRV if dd else 0)


def platform_drv_probe(k: "Kernel", dev: int) -> int:
    """What drv->driver.probe holds (the driver core here calls the platform driver's
    probe() itself; a module calling this slot gets the same)."""
    bus, drv = _driver_of(k, dev)
    pdrv = bus.drivers.get(drv)
    pd = bus.devices.get(dev)
    if pdrv is None or pd is None:
        fn = k.mem.u64(drv + PlatformDriver.probe.offset) if drv else 0
        return s32(k.call_fn(fn, (bus.pdev_of(dev),), "platform_drv_probe")) if fn else 0
    return bus.drv_probe(pd, pdrv, ("platform_drv_probe",))


def platform_drv_remove(k: "Kernel", dev: int) -> int:
    """What drv->driver.remove holds: the platform driver's remove()."""
    bus, drv = _driver_of(k, dev)
    fn = k.mem.u64(drv + PlatformDriver.remove.offset) if drv else 0
    if fn:
        k.call_fn(fn, (bus.pdev_of(dev),), "platform_drv_remove")
    return 0


def platform_drv_shutdown(k: "Kernel", dev: int) -> None:
    """What drv->driver.shutdown holds: the platform driver's shutdown()."""
    bus, drv = _driver_of(k, dev)
    fn = k.mem.u64(drv + PlatformDriver.shutdown.offset) if drv else 0
    if fn:
        k.call_fn(fn, (bus.pdev_of(dev),), "platform_drv_shutdown")


# --- devres (the device's managed allocations) -------------------------------------------
def devres_release_all(k: "Kernel", dev: int) -> None:
    """devres_release_all(): what devm_kmalloc() gave the device is freed, newest first."""
    for ptr in reversed(k.devices.devres.pop(dev, [])):
        k.slab.kfree(ptr)


# --- devices -------------------------------------------------------------------------------
@kapi()
def platform_device_add(k: "Kernel", pdev: int) -> int:
    if not pdev:
        return errret(Errno.EINVAL)
    bus = platform(k)
    mem, core, pd_t = k.mem, k.devices, bus.pd
    dev = pdev + bus.dev_off
    if not mem.u64(dev + Device.parent.offset):
        mem.set_u64(dev + Device.parent.offset, bus.bus_dev)
    mem.set_u64(dev + Device.bus.offset, bus.bus_type)
    pid = s32(mem.u32(pdev + pd_t.id.offset))
    name = bus.pdev_name(pdev)
    if pid == PLATFORM_DEVID_NONE:
        rc = core.set_name(dev, name)
    elif pid == PLATFORM_DEVID_AUTO:
        pid = next(i for i in range(len(bus.ids) + 1) if i not in bus.ids)
        bus.ids.add(pid)
        mem.set_u32(pdev + pd_t.id.offset, pid)
        mem.set_u8(pdev + pd_t.id_auto.offset, 1)
        rc = core.set_name(dev, f"{name}.{pid}.auto")
    else:
        rc = core.set_name(dev, f"{name}.{pid}")
    if not rc:
        _name_resources(k, bus, pdev, mem.u64(dev + Device.kobj.offset + abi.Kobject.name.offset))
        rc = core.add(dev, bus.dev_groups)
    if rc:
        if mem.u8(pdev + pd_t.id_auto.offset):
            bus.ids.discard(s32(mem.u32(pdev + pd_t.id.offset)))
            mem.set_u32(pdev + pd_t.id.offset, PLATFORM_DEVID_AUTO)
        return errret(-rc)
    info = core.devices[dev]
    pd = PDevice(pdev, info.name, info)
    info.bus_uevent = lambda: bus.host("platform_uevent", platform_uevent_text, dev)
    bus.devices[dev] = pd
    bus.devices_dir.children[pd.name] = Symlink(f"../../../devices/platform/{pd.name}", size=0)
    if info.sysdir is not None:
        info.sysdir.children["subsystem"] = Symlink("../../../bus/platform", size=0)
    if bus.autoprobe:
        bus.attach_device(pd)
    return 0


def _name_resources(k: "Kernel", bus: PlatformBus, pdev: int, name_ptr: int) -> None:
    """A resource without a name is given the device's."""
    mem = k.mem
    res = mem.u64(pdev + bus.pd.resource.offset)
    for i in range(mem.u32(pdev + bus.pd.num_resources.offset) if res else 0):
        r = res + i * Resource.size
        if not mem.u64(r + Resource.name.offset):
            mem.set_u64(r + Resource.name.offset, name_ptr)


@kapi()
def platform_device_del(k: "Kernel", pdev: int) -> None:
    if not pdev:
        return
    bus = platform(k)
    mem, pd_t = k.mem, bus.pd
    dev = pdev + bus.dev_off
    pd = bus.devices.pop(dev, None)
    if pd is not None:
        bus.devices_dir.children.pop(pd.name, None)
        bus.release_driver(pd, DETACH_DEVICE)
        if pd.addr in bus.deferred:
            bus.deferred.remove(pd.addr)
    k.devices.delete(dev)
    if mem.u8(pdev + pd_t.id_auto.offset):
        bus.ids.discard(s32(mem.u32(pdev + pd_t.id.offset)))
        mem.set_u32(pdev + pd_t.id.offset, PLATFORM_DEVID_AUTO)


@kapi()
def platform_device_put(k: "Kernel", pdev: int) -> None:
    if pdev:
        k.devices.put(pdev + platform(k).dev_off)


@kapi()
def platform_device_register(k: "Kernel", pdev: int) -> int:
    k.devices.initialize(pdev + platform(k).dev_off)
    return platform_device_add(k, pdev)


@kapi()
def platform_device_unregister(k: "Kernel", pdev: int) -> None:
    platform_device_del(k, pdev)
    platform_device_put(k, pdev)


@kapi()
def platform_device_alloc(k: "Kernel", name: int, pid: int) -> int:
    bus = platform(k)
    raw = k.mem.read(name, k.mem.strnlen(name, PAGE_SIZE)) + b"\0"
    pdev = k.slab.kmalloc(bus.pd.size + len(raw), zero=True)      # struct platform_object
    if not pdev:
        return 0
    k.mem.write(pdev + bus.pd.size, raw)
    k.mem.set_u64(pdev + bus.pd.name.offset, pdev + bus.pd.size)
    k.mem.set_u32(pdev + bus.pd.id.offset, pid)
    dev = pdev + bus.dev_off
    k.devices.initialize(dev)
    k.mem.set_u64(dev + Device.release.offset,
                  bus.stub("platform_device_release", platform_device_release, 1))
    return pdev


def _kmemdup(k: "Kernel", src: int, n: int) -> int:
    ptr = k.slab.kmalloc(n)
    if ptr and n:
        k.mem.write(ptr, k.mem.read(src, n))
    return ptr


@kapi()
def platform_device_add_resources(k: "Kernel", pdev: int, res: int, num: int) -> int:
    bus = platform(k)
    num &= 0xFFFF_FFFF
    r = 0
    if res:
        r = _kmemdup(k, res, Resource.size * num)
        if not r:
            return errret(Errno.ENOMEM)
    slot = pdev + bus.pd.resource.offset
    k.slab.kfree(k.mem.u64(slot))
    k.mem.set_u64(slot, r)
    k.mem.set_u32(pdev + bus.pd.num_resources.offset, num)
    return 0


@kapi()
def platform_device_add_data(k: "Kernel", pdev: int, data: int, size: int) -> int:
    bus = platform(k)
    d = 0
    if data:
        d = _kmemdup(k, data, size)
        if not d:
            return errret(Errno.ENOMEM)
    slot = pdev + bus.dev_off + Device.platform_data.offset
    k.slab.kfree(k.mem.u64(slot))
    k.mem.set_u64(slot, d)
    return 0


@kapi()
def platform_device_register_full(k: "Kernel", info: int) -> int:
    mem = k.mem
    pdev = platform_device_alloc(k, mem.u64(info + PDI_NAME), mem.u32(info + PDI_ID))
    if not pdev:
        return err_ptr(Errno.ENOMEM)
    bus = platform(k)
    mem.set_u64(pdev + bus.dev_off + Device.parent.offset, mem.u64(info + PDI_PARENT))
    rc = (platform_device_add_resources(k, pdev, mem.u64(info + PDI_RES), mem.u32(info + PDI_NUM_RES))
          or platform_device_add_data(k, pdev, mem.u64(info + PDI_DATA), mem.u64(info + PDI_SIZE))
          or platform_device_add(k, pdev))
    if rc:
        platform_device_put(k, pdev)
        return err_ptr(-s32(rc))
    return pdev


@kapi()
def platform_add_devices(k: "Kernel", devs: int, num: int) -> int:
    num = s32(num)
    for i in range(num):
        ret = s32(platform_device_register(k, k.mem.u64(devs + 8 * i)))
        if ret:
            for j in reversed(range(i)):
                platform_device_unregister(k, k.mem.u64(devs + 8 * j))
            return errret(-ret)
    return 0


@kapi()
def platform_get_resource(k: "Kernel", pdev: int, rtype: int, num: int) -> int:
    bus = platform(k)
    mem = k.mem
    res = mem.u64(pdev + bus.pd.resource.offset)
    num &= 0xFFFF_FFFF
    for i in range(mem.u32(pdev + bus.pd.num_resources.offset)):
        r = res + i * Resource.size
        if mem.u64(r + Resource.flags.offset) & IORESOURCE_TYPE_BITS == rtype & 0xFFFF_FFFF:
            if num == 0:
                return r
            num -= 1
    return 0


@kapi()
def platform_get_resource_byname(k: "Kernel", pdev: int, rtype: int, name: int) -> int:
    bus = platform(k)
    mem = k.mem
    res = mem.u64(pdev + bus.pd.resource.offset)
    want = mem.cstr(name, NAME_MAX)
    for i in range(mem.u32(pdev + bus.pd.num_resources.offset)):
        r = res + i * Resource.size
        rname = mem.u64(r + Resource.name.offset)
        if (rname and mem.u64(r + Resource.flags.offset) & IORESOURCE_TYPE_BITS == rtype & 0xFFFF_FFFF
                and mem.cstr(rname, NAME_MAX) == want):
            return r
    return 0


def _get_irq(k: "Kernel", pdev: int, num: int) -> int:
    """__platform_get_irq(): the start of the NUMth IRQ resource, or -ENXIO."""
    r = platform_get_resource(k, pdev, IORESOURCE_IRQ, num)
    return s32(k.mem.u64(r + Resource.start.offset)) if r else -Errno.ENXIO


@kapi()
def platform_get_irq(k: "Kernel", pdev: int, num: int) -> int:
    irq = _get_irq(k, pdev, num)
    if irq < 0 and k.profile.platform_irq_error:          # 5.4
        from kernel.api.device import dev_emit_text
        dev_emit_text(k, "\x013", pdev + platform(k).dev_off,
                      f"IRQ index {num & 0xFFFF_FFFF} not found\n")
    return irq


@kapi()
def platform_irq_count(k: "Kernel", pdev: int) -> int:
    n = 0
    while _get_irq(k, pdev, n) >= 0:
        n += 1
    return n


@kapi()
def platform_get_irq_byname(k: "Kernel", pdev: int, name: int) -> int:
    r = platform_get_resource_byname(k, pdev, IORESOURCE_IRQ, name)
    return s32(k.mem.u64(r + Resource.start.offset)) if r else errret(Errno.ENXIO)


# --- drivers -------------------------------------------------------------------------------
@kapi()
def __platform_driver_register(k: "Kernel", drv: int, owner: int) -> int:
    bus = platform(k)
    mem = k.mem
    dd = drv + DRV
    mem.set_u64(dd + DeviceDriver.owner.offset, owner)
    mem.set_u64(dd + DeviceDriver.bus.offset, bus.bus_type)
    mem.set_u64(dd + DeviceDriver.probe.offset, bus.stub("platform_drv_probe", platform_drv_probe, 1))
    mem.set_u64(dd + DeviceDriver.remove.offset, bus.stub("platform_drv_remove", platform_drv_remove, 1))
    mem.set_u64(dd + DeviceDriver.shutdown.offset,
                bus.stub("platform_drv_shutdown", platform_drv_shutdown, 1))
    name = bus.drv_name(drv)
    if not name:
        return errret(Errno.EINVAL)
    if any(d.name == name for d in bus.drivers.values()):           # driver_find()
        k.printk.printk(f"\x013Error: Driver '{name}' is already registered, aborting...\n")
        return errret(Errno.EBUSY)
    mod = next((m for m in k.loader.modules.values() if owner and m.struct_addr == owner), None)
    d = Dir()
    pdrv = PDriver(drv, name, d, mod)
    bus.drivers_dir.children[name] = d
    bus.drivers[drv] = pdrv
    if bus.autoprobe:
        bus.attach_driver(pdrv)
    if mod is not None:                       # module_add_driver()
        d.children["module"] = Symlink(f"../../../../module/{mod.name}", size=0)
        mdir = k.vfs.root.mkdir("sys/module").children.get(mod.name)
        if isinstance(mdir, Dir):
            mdir.mkdir("drivers").children[f"platform:{name}"] = Symlink(
                f"../../../bus/platform/drivers/{name}", size=0)
    d.children["uevent"] = Attr(0o200, None, lambda _s: None)
    if not mem.u8(dd + DeviceDriver.suppress_bind_attrs.offset):
        d.children["unbind"] = _drv_attr(bus, pdrv, "unbind", unbind_store)
        d.children["bind"] = _drv_attr(bus, pdrv, "bind", bind_store)
    groups = mem.u64(dd + DeviceDriver.groups.offset)
    rc = _add_drv_groups(bus, pdrv, groups) if groups else 0    # driver_register()
    if rc:
        platform_driver_unregister(k, drv)
        return errret(-rc)
    return 0


@kapi()
def platform_driver_unregister(k: "Kernel", drv: int) -> None:
    bus = platform(k)
    pdrv = bus.drivers.get(drv)
    if pdrv is None:
        return
    for name in ("bind", "unbind", "uevent"):
        pdrv.sysdir.children.pop(name, None)
    del bus.drivers[drv]
    while pdrv.bound:                           # driver_detach(): the last bound first
        pd = bus.devices.get(pdrv.bound[-1] + bus.dev_off)
        if pd is None:
            pdrv.bound.pop()
            continue
        bus.release_driver(pd, DETACH_DRIVER)
    mod = pdrv.owner
    if mod is not None:                         # module_remove_driver()
        mdir = k.vfs.root.mkdir("sys/module").children.get(mod.name)
        if isinstance(mdir, Dir) and isinstance(mdir.children.get("drivers"), Dir):
            mdir.mkdir("drivers").children.pop(f"platform:{pdrv.name}", None)
    bus.drivers_dir.children.pop(pdrv.name, None)


@kapi()
def __platform_driver_probe(k: "Kernel", drv: int, probe: int, owner: int) -> int:
    mem = k.mem
    dd = drv + DRV
    if s32(mem.u32(dd + DeviceDriver.probe_type.offset)) == PROBE_PREFER_ASYNCHRONOUS:
        name = platform(k).drv_name(drv)
        k.printk.printk(f"\x013{name}: drivers registered with __platform_driver_probe can not "
                        "be probed asynchronously\n")
        return errret(Errno.EINVAL)
    mem.set_u32(dd + DeviceDriver.probe_type.offset, PROBE_FORCE_SYNCHRONOUS)
    mem.set_u8(drv + platform(k).pdrv.prevent_deferred_probe.offset, 1)
    mem.set_u8(dd + DeviceDriver.suppress_bind_attrs.offset, 1)
    mem.set_u64(drv + PlatformDriver.probe.offset, probe)
    code = s32(__platform_driver_register(k, drv, owner))
    retval = code
    mem.set_u64(drv + PlatformDriver.probe.offset, 0)
    pdrv = platform(k).drivers.get(drv)
    if code == 0 and pdrv is not None and not pdrv.bound:
        retval = -Errno.ENODEV
    if pdrv is not None:
        pdrv.probe_fail = True
    if code != retval:
        platform_driver_unregister(k, drv)
    return errret(-retval) if retval else 0


@kapi()
def __platform_create_bundle(k: "Kernel", drv: int, probe: int, res: int, n_res: int, data: int,
                             size: int, owner: int) -> int:
    name = k.mem.u64(drv + DRV + DeviceDriver.name.offset)
    pdev = platform_device_alloc(k, name, PLATFORM_DEVID_NONE & 0xFFFF_FFFF)
    if not pdev:
        return err_ptr(Errno.ENOMEM)
    err = s32(platform_device_add_resources(k, pdev, res, n_res)
              or platform_device_add_data(k, pdev, data, size))
    if not err:
        err = s32(platform_device_add(k, pdev))
        if not err:
            err = s32(__platform_driver_probe(k, drv, probe, owner))
            if not err:
                return pdev
            platform_device_del(k, pdev)
    platform_device_put(k, pdev)
    return err_ptr(-err)


@kapi()
def __platform_register_drivers(k: "Kernel", drivers: int, count: int, owner: int) -> int:
    count &= 0xFFFF_FFFF
    for i in range(count):
        drv = k.mem.u64(drivers + 8 * i)
        err = s32(__platform_driver_register(k, drv, owner))
        if err < 0:
            sym = k.kallsyms.lookup(drv)
            what = f"{sym.name}{'' if sym.owner == 'vmlinux' else f' [{sym.owner}]'}" if sym \
                else f"0x{drv:x}"
            k.printk.printk(f"\x013failed to register platform driver {what}: {err}\n")
            for j in reversed(range(i)):
                platform_driver_unregister(k, k.mem.u64(drivers + 8 * j))
            return errret(-err)
    return 0


@kapi()
def platform_unregister_drivers(k: "Kernel", drivers: int, count: int) -> None:
    for i in reversed(range(count & 0xFFFF_FFFF)):
        platform_driver_unregister(k, k.mem.u64(drivers + 8 * i))


__all__ = ["PlatformBus", "PDriver", "PDevice", "platform"]
