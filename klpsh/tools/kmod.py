"""What kmod's tools share: module names, the sysfs checks, error wording, reading a .ko.

Not a tool itself; insmod, rmmod, modprobe and lsmod build on it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kernel.errno import Errno, KernelError, strerror
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


@dataclass
class LoadError(Exception):
    """Reading the .ko failed: STAGE is 'load' (stat failed) or 'insert' (read failed)."""

    stage: str
    reason: str


def read_module(ctx: ToolContext, filename: str) -> bytes:
    """The bytes of module FILENAME as kmod reads them (samples/livepatch/ maps to the bundle)."""
    path: Path = ctx.resolve_path(filename)
    try:
        path.stat()
    except OSError as e:
        raise LoadError("load", e.strerror or str(e)) from None
    try:
        return path.read_bytes()
    except OSError as e:
        raise LoadError("insert", e.strerror or str(e)) from None
