"""linux/platform_device.h: platform drivers on the platform bus (drivers/base/platform.c).

A driver registers by name under /sys/bus/platform/drivers/NAME (bind, unbind, uevent and the
module link, as bus_add_driver() makes them); a second driver of the same name is refused as
driver_register() refuses it. There are no platform devices (no hardware), so no probe() runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import errret, kapi
from kernel.errno import Errno
from kernel.fs import Attr, Dir, Symlink

if TYPE_CHECKING:
    from kernel.machine import Kernel

# struct platform_driver: five callbacks, then struct device_driver (name, bus, owner ...)
PDRV_DRIVER = 5 * 8
DRV_NAME, DRV_OWNER = 0, 16
NAME_MAX = 256


def _bus_dir(k: "Kernel") -> Dir:
    """/sys/bus/platform with its devices and drivers directories."""
    bus = k.vfs.root.mkdir("sys/bus/platform")
    bus.mkdir("devices")
    bus.mkdir("drivers")
    return bus


def _drivers(k: "Kernel") -> dict[int, str]:
    """The registered platform drivers of this machine: struct platform_driver -> name."""
    reg = getattr(k, "platform_drivers", None)
    if reg is None:
        reg = k.platform_drivers = {}
    return reg


@kapi()
def __platform_driver_register(k: "Kernel", drv: int, owner: int) -> int:
    mem = k.mem
    ddrv = drv + PDRV_DRIVER
    name_ptr = mem.u64(ddrv + DRV_NAME)
    name = mem.cstr(name_ptr, NAME_MAX) if name_ptr else ""
    reg = _drivers(k)
    if not name or drv in reg:
        return errret(Errno.EINVAL)
    if name in reg.values():
        k.log.err(f"Error: Driver '{name}' is already registered, aborting...")
        return errret(Errno.EBUSY)
    mem.set_u64(ddrv + DRV_OWNER, owner)
    d = Dir({"bind": Attr(0o200, None, lambda _s: None), "unbind": Attr(0o200, None, lambda _s: None),
             "uevent": Attr(0o200, None, lambda _s: None)})
    mod = next((m for m in k.loader.modules.values() if owner and m.struct_addr == owner), None)
    if mod is not None:
        d.children["module"] = Symlink(f"../../../../module/{mod.name}")
    _bus_dir(k).mkdir("drivers").children[name] = d
    reg[drv] = name
    return 0


@kapi()
def platform_driver_unregister(k: "Kernel", drv: int) -> None:
    name = _drivers(k).pop(drv, None)
    if name is None:
        return
    drivers = _bus_dir(k).mkdir("drivers")
    if name in drivers.children:
        drivers.remove(name)
