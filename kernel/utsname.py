"""struct new_utsname: what uname(2) returns (include/linux/utsname.h, init/version.c)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.abi import NewUtsname as _GuestUtsname
from kernel.abi import UtsNamespace
from kernel.record import RecordTuple

if TYPE_CHECKING:
    from kernel.machine import Kernel

UTS_SYSNAME = "Linux"
UTS_NODENAME = "klpsh"
UTS_MACHINE = "x86_64"
# init/version.c's UTS_VERSION: the build number, SMP, and when it was built (4.19's release day)
UTS_VERSION = "#1 SMP Mon Oct 22 00:00:00 UTC 2018"


class NewUtsname(RecordTuple):
    """struct new_utsname: the strings uname(2) returns."""

    sysname: str
    nodename: str
    release: str
    version: str
    machine: str
    domainname: str = "(none)"


def init_utsname(release: str, version: str = UTS_VERSION) -> NewUtsname:
    """The utsname of a kernel of RELEASE and VERSION (the Kernel's profile's strings)."""
    return NewUtsname(UTS_SYSNAME, UTS_NODENAME, release, version, UTS_MACHINE)


def _init_uts_ns(k: "Kernel") -> int:
    """The address of vmlinux's init_uts_ns.name (0 when vmlinux has none)."""
    base = k.vmlinux.symbol("init_uts_ns") if k.vmlinux is not None else 0
    return base + UtsNamespace.name.offset if base else 0


def uts_init(k: "Kernel", uts: NewUtsname) -> None:
    """Boot: write UTS into init_uts_ns, where modules (utsname()) and uname(2) read it."""
    name = _init_uts_ns(k)
    if name:
        for field in NewUtsname._fields:
            data = getattr(uts, field).encode()[:64]
            k.mem.write(name + getattr(_GuestUtsname, field).offset, data + b"\0" * (65 - len(data)))


def read_utsname(k: "Kernel", default: NewUtsname) -> NewUtsname:
    """uname(2): what init_uts_ns holds now (DEFAULT when vmlinux has no init_uts_ns)."""
    name = _init_uts_ns(k)
    if not name:
        return default
    return NewUtsname(*(k.mem.read(name + getattr(_GuestUtsname, field).offset, 65)
                        .split(b"\0", 1)[0].decode(errors="replace") for field in NewUtsname._fields))
