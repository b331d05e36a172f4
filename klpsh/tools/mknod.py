"""mknod [-m MODE] NAME c MAJOR MINOR and rm [-f] FILE...: make and remove character device
nodes in /dev, as LDD3's scull_load does for a driver that creates no device of its own
(coreutils wording). Only /dev (devtmpfs) takes new nodes; a node serves whatever driver holds
its MAJOR:MINOR when it is opened, and fails with ENXIO while none does. rm also removes the
regular files of tmpfs (/tmp ...); a file still open stays readable through its open files."""

from __future__ import annotations

import posixpath

from kernel.errno import Errno, KernelError, strerror
from kernel.fs import TmpfsDir
from kernel.fs.tmpfs import unlink
from kernel.fs.file import S_IFCHR
from klpsh.tools import ToolContext, parse_options, tool

MINORBITS = 20
MINORMASK = (1 << MINORBITS) - 1
MAJOR_MAX = (1 << 12) - 1               # a dev_t has 12 bits of major
DEFAULT_MODE = 0o666 & ~0o022           # what mknod(2) gets under the shell's umask 022
_HINT = "Try '{prog} --help' for more information."


def _usage_error(ctx: ToolContext, prog: str, *lines: str) -> int:
    for line in lines:
        ctx.errln(f"{prog}: {line}" if not line.startswith(("Special", "Fifos")) else line)
    ctx.errln(_HINT.format(prog=prog))
    return 1


def _number(text: str) -> int | None:
    """xstrtoumax(): decimal, 0x hex or 0 octal."""
    try:
        value = int(text, 0) if not text.startswith("0") or text == "0" or text[1:2] in "xX" \
            else int(text, 8)
    except ValueError:
        return None
    return value if value >= 0 else None


def _mode(text: str) -> int | None:
    try:
        value = int(text, 8)
    except ValueError:
        return None
    return value if 0 <= value <= 0o7777 else None


def _dev_name(path: str) -> str | None:
    """NAME of /dev/NAME, or None for a path outside /dev."""
    norm = posixpath.normpath("/" + path.strip("/"))
    return norm[len("/dev/"):] if norm.startswith("/dev/") and len(norm) > len("/dev/") else None


@tool("mknod", "mknod [-m MODE] NAME c MAJOR MINOR", "make a character device node in /dev")
def mknod(ctx: ToolContext, args: list[str]) -> int:
    parsed = parse_options(ctx, "mknod", args, "m:", ("mode=",), hint=True)
    if parsed is None:
        return 1
    opts, rest = parsed
    mode = DEFAULT_MODE
    for opt, value in opts:
        m = _mode(value)
        if m is None:
            ctx.errln("mknod: invalid mode")
            return 1
        mode = m
    if not rest:
        return _usage_error(ctx, "mknod", "missing operand")
    if len(rest) == 1:
        return _usage_error(ctx, "mknod", f"missing operand after ‘{rest[0]}’")
    name, kind = rest[0], rest[1]
    if kind not in ("b", "c", "u", "p"):
        return _usage_error(ctx, "mknod", f"invalid device type ‘{kind}’")
    if kind == "p":
        if len(rest) > 2:
            return _usage_error(ctx, "mknod", f"extra operand ‘{rest[2]}’",
                                "Fifos do not have major and minor device numbers.")
    elif len(rest) < 4:
        return _usage_error(ctx, "mknod", f"missing operand after ‘{rest[-1]}’",
                            "Special files require major and minor device numbers.")
    elif len(rest) > 4:
        return _usage_error(ctx, "mknod", f"extra operand ‘{rest[4]}’")
    if kind in ("b", "c", "u"):
        major, minor = _number(rest[2]), _number(rest[3])
        if major is None:
            ctx.errln(f"mknod: invalid major device number ‘{rest[2]}’")
            return 1
        if minor is None:
            ctx.errln(f"mknod: invalid minor device number ‘{rest[3]}’")
            return 1
        if major > MAJOR_MAX or minor > MINORMASK:
            ctx.errln(f"mknod: invalid device {rest[2]} {rest[3]}")
            return 1
    err = _check_target(ctx, name)
    if err is None and kind in ("b", "p"):
        err = Errno.EOPNOTSUPP       # only character devices have drivers here
    if err is not None:
        ctx.errln(f"mknod: {name}: {strerror(err)}")
        return 1
    ctx.kernel.devtmpfs.create_node(_dev_name(name) or "", S_IFCHR | (mode & 0o7777),
                                    (major << MINORBITS) | minor)
    return 0


def _check_target(ctx: ToolContext, path: str) -> int | None:
    """Why mknod(2) of PATH fails (an errno), None if it can be made."""
    vfs = ctx.kernel.vfs
    if vfs.exists(path):
        return Errno.EEXIST
    parent = posixpath.dirname(posixpath.normpath("/" + path.strip("/")))
    if not vfs.exists(parent):
        return Errno.ENOENT
    if _dev_name(path) is None:
        return Errno.EPERM           # /sys and /proc make no nodes; there is no other fs
    return None


@tool("rm", "rm [-f] FILE...", "remove device nodes from /dev and regular files")
def rm(ctx: ToolContext, args: list[str]) -> int:
    parsed = parse_options(ctx, "rm", args, "frv", ("force", "recursive", "verbose"), hint=True)
    if parsed is None:
        return 1
    opts, rest = parsed
    force = any(o in ("-f", "--force") for o, _ in opts)
    if not rest:
        if force:
            return 0
        return _usage_error(ctx, "rm", "missing operand")
    status = 0
    nodes = ctx.kernel.devtmpfs.nodes
    for path in rest:
        name = _dev_name(path)
        try:
            ctx.kernel.vfs.lookup(path, follow=False)
        except KernelError as e:
            if not (force and e.errno == Errno.ENOENT):
                ctx.errln(f"rm: cannot remove '{path}': {strerror(e.errno)}")
                status = 1
            continue
        if unlink(ctx.kernel, path):                 # a regular file of tmpfs
            continue
        if isinstance(ctx.kernel.vfs.lookup(path, follow=False), TmpfsDir):
            ctx.errln(f"rm: cannot remove '{path}': {strerror(Errno.EISDIR)}")
            status = 1
            continue
        if name is not None and name not in nodes and ctx.kernel.vfs.lookup(path).__class__.__name__ == "Dir":
            ctx.errln(f"rm: cannot remove '{path}': {strerror(Errno.EISDIR)}")
            status = 1
            continue
        if name is None or name not in nodes:
            ctx.errln(f"rm: cannot remove '{path}': {strerror(Errno.EPERM)}")
            status = 1
            continue
        ctx.kernel.devtmpfs.delete_node(name)
    return status
