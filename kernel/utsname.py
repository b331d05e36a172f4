"""struct new_utsname: what uname(2) returns (include/linux/utsname.h, init/version.c)."""

from __future__ import annotations

from dataclasses import dataclass

UTS_SYSNAME = "Linux"
UTS_NODENAME = "klpsh"
UTS_MACHINE = "x86_64"
# init/version.c's UTS_VERSION: the build number, SMP, and when it was built (4.19's release day)
UTS_VERSION = "#1 SMP Mon Oct 22 00:00:00 UTC 2018"


@dataclass(frozen=True)
class NewUtsname:
    sysname: str
    nodename: str
    release: str
    version: str
    machine: str
    domainname: str = "(none)"


def init_utsname(release: str, version: str = UTS_VERSION) -> NewUtsname:
    """The utsname of a kernel of RELEASE and VERSION (the Kernel's profile's strings)."""
    return NewUtsname(UTS_SYSNAME, UTS_NODENAME, release, version, UTS_MACHINE)
