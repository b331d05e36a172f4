"""What kmod's tools share: module names, the sysfs checks, error wording, reading a .ko.

Not a tool itself; insmod, rmmod, modprobe and lsmod build on it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kernel.errno import Errno, KernelError, strerror
from kernel.record import record
from klpsh.tools import ToolContext

# kmod's mod_strerror() (tools/insmod.c): the load errors it words itself; the rest are strerror.
_MOD_STRERROR = {
    Errno.ENOEXEC: "Invalid module format",
    Errno.ENOENT: "Unknown symbol in module",
    Errno.ESRCH: "Module has wrong symbol version",
    Errno.EINVAL: "Invalid parameters",
}

# delete_module(2) flags as kmod passes them (KMOD_REMOVE_NOWAIT, KMOD_REMOVE_FORCE).
O_NONBLOCK = 0o4000
O_TRUNC = 0o1000


def mod_strerror(err: int) -> str:
    """kmod's reason text for an init_module error."""
    return _MOD_STRERROR.get(abs(err)) or strerror(err)


def modname_normalize(name: str) -> str:
    """libkmod's modname_normalize(): '-' becomes '_', stop at the first '.'."""
    return name.split(".", 1)[0].replace("-", "_")


def path_to_modname(path: str) -> str:
    """libkmod's path_to_modname(): the file's base name, normalized."""
    return modname_normalize(os.path.basename(path))


def sysfs_read(ctx: ToolContext, path: str, comm: str) -> str | None:
    """A sysfs attribute's text, or None when the kernel refuses to show it."""
    try:
        return ctx.kernel.fs.read(path, comm=comm)
    except KernelError:
        return None


def initstate(ctx: ToolContext, name: str, comm: str) -> str | None:
    """kmod_module_get_initstate(): 'live', 'coming', 'going', 'builtin', or None if not loaded."""
    text = sysfs_read(ctx, f"/sys/module/{name}/initstate", comm)
    if text is not None:
        return text.strip()
    return "builtin" if ctx.kernel.fs.isdir(f"/sys/module/{name}") else None


def holders(ctx: ToolContext, name: str) -> list[str]:
    """kmod_module_get_holders(): the modules using NAME (/sys/module/NAME/holders/)."""
    hdir = f"/sys/module/{name}/holders"
    if ctx.kernel.fs.isdir(hdir):
        return sorted(ctx.kernel.fs.listdir(hdir))
    mod = ctx.kernel.modules.get(name)
    return list(mod.holders) if mod is not None else []


def refcnt(ctx: ToolContext, name: str, comm: str) -> int | None:
    """kmod_module_get_refcnt(): /sys/module/NAME/refcnt, None when it can't be read."""
    text = sysfs_read(ctx, f"/sys/module/{name}/refcnt", comm)
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


@record(eq=False)
class LoadError(Exception):
    """Reading the .ko failed: STAGE is 'load' (stat failed) or 'insert' (read failed)."""

    stage: str
    reason: str


INT_MAX = (1 << 31) - 1          # kernel_read_file()'s limit for a module (finit_module)


def read_module(ctx: ToolContext, filename: str) -> bytes:
    """The bytes of module FILENAME as kmod reads them (samples/livepatch/ maps to the bundle).

    Refused before reading, as kmod and the kernel refuse them: what is not a regular file
    (kmod reads its magic, then mmap()s st_size bytes: a device's 0 fails with EINVAL), a file larger than
    kernel_read_file() takes (EFBIG), or one larger than the machine has memory (ENOMEM).
    """
    try:
        path: Path = ctx.resolve_path(filename)
        st = path.stat()
    except OSError as e:
        raise LoadError("load", e.strerror or str(e)) from None
    except ValueError:          # a NUL in the name: the C string ends there
        return read_module(ctx, filename.split("\0", 1)[0])
    if stat.S_ISDIR(st.st_mode):
        raise LoadError("insert", strerror(Errno.EISDIR))
    if not stat.S_ISREG(st.st_mode):
        raise LoadError("insert", mod_strerror(Errno.EINVAL))
    if st.st_size > INT_MAX:
        raise LoadError("insert", mod_strerror(Errno.EFBIG))
    if st.st_size > getattr(ctx.kernel, "vmalloc_limit", INT_MAX):
        raise LoadError("insert", mod_strerror(Errno.ENOMEM))
    try:
        with path.open("rb") as f:
            return f.read(st.st_size)
    except OSError as e:
        raise LoadError("insert", e.strerror or str(e)) from None
