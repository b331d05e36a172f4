"""ls [-l] [-a] [PATH...]: list directories of the machine's /sys, /proc and /dev, one name a
line (ls -1), or with -l the long form: type and mode, links, owner, size (or a device node's
`MAJOR, MINOR`), time and name, from the nodes' own attributes."""

from __future__ import annotations

import stat
import time

from kernel.errno import Errno, KernelError, strerror
from klpsh.tools import ToolContext, parse_options, tool

# How ls words a failure: a failed lookup is "cannot access", anything else "cannot open directory".
_CANNOT = {Errno.ENOENT: "access", Errno.ENOTDIR: "access"}


# What stat(2) reports for a file without a size of its own: sysfs attributes are a page,
# procfs files 0 (their size is only known by reading them).
_DEFAULT_SIZE = {"sys": 4096}
_TYPE_CHAR = {stat.S_IFDIR: "d", stat.S_IFCHR: "c", stat.S_IFBLK: "b", stat.S_IFLNK: "l",
              stat.S_IFIFO: "p", stat.S_IFSOCK: "s", stat.S_IFREG: "-"}


def _node(ctx: ToolContext, path: str, follow: bool = True) -> object | None:
    vfs = getattr(ctx.kernel, "vfs", None)
    try:
        return vfs.lookup(path, follow=follow) if vfs is not None else None
    except KernelError:
        return None


def _is_link(ctx: ToolContext, path: str) -> bool:
    return getattr(_node(ctx, path, follow=False), "target", None) is not None


def _devnum(ctx: ToolContext, path: str) -> tuple[int, int] | None:
    """(major, minor) of a device node at PATH, else None."""
    node = _node(ctx, path)
    mode = getattr(node, "mode", 0) or 0
    ftype = stat.S_IFMT(mode) or getattr(node, "ftype", 0)
    rdev = getattr(node, "rdev", None)
    if ftype not in (stat.S_IFCHR, stat.S_IFBLK):
        return None
    if rdev is None:
        major, minor = getattr(node, "major", None), getattr(node, "minor", None)
        return None if major is None else (major, minor)
    return rdev >> 20, rdev & 0xFFFFF


def dev_widths(ctx: ToolContext, paths: list[str]) -> tuple[int, int]:
    """coreutils' major and minor column widths over the device nodes among PATHS."""
    nums = [d for d in (_devnum(ctx, p) for p in paths) if d is not None]
    return (max((len(str(a)) for a, _ in nums), default=0),
            max((len(str(b)) for _, b in nums), default=0))


def long_line(ctx: ToolContext, path: str, name: str, widths: tuple[int, int] = (0, 0)) -> str:
    """One `ls -l` line for NAME (at PATH); WIDTHS align the device numbers of a listing."""
    node = _node(ctx, path, follow=False)
    target = getattr(node, "target", None)              # a symbolic link: shown, not followed
    is_dir = target is None and ctx.kernel.fs.isdir(path)
    top = path.strip("/").split("/")[0]
    mode = getattr(node, "mode", (0o555 if top == "proc" else 0o755) if is_dir else 0o444) or 0
    ftype = stat.S_IFMT(mode) or getattr(node, "ftype", 0) or (stat.S_IFDIR if is_dir else stat.S_IFREG)
    perms = stat.filemode(ftype | (mode & 0o7777))[1:]
    kind = _TYPE_CHAR.get(ftype, "?")
    major, minor = getattr(node, "major", None), getattr(node, "minor", None)
    if major is None and getattr(node, "rdev", None) is not None:
        major, minor = node.rdev >> 20, node.rdev & 0xFFFFF  # type: ignore[union-attr]
    if kind in "cb" and major is not None:
        size = f"{major:>{widths[0]}}, {minor:>{widths[1]}}"
    elif is_dir:
        size = "0"
    else:
        own = getattr(node, "size", None)
        size = str(own if own is not None else _DEFAULT_SIZE.get(top, 0))
    links = 2 + sum(1 for c in getattr(node, "children", {}).values() if hasattr(c, "children")) \
        if is_dir else 1
    wall = getattr(ctx.kernel, "wall_boot_ns", 0) // 1_000_000_000
    when = time.strftime("%b %e %H:%M", time.gmtime(wall))
    arrow = f" -> {target}" if target is not None else ""
    return f"{kind}{perms} {links} root root {size:>5} {when} {name}{arrow}"


@tool("ls", "ls [-l] [-a] [PATH...]", "list a /sys, /proc or /dev directory (-l: long form)")
def ls(ctx: ToolContext, args: list[str]) -> int:
    parsed = parse_options(ctx, "ls", args, "la1", ("all",), hint=True)
    if parsed is None:
        return 2
    opts, args = parsed
    long = any(o == "-l" for o, _ in opts)
    paths = args or ["/"]
    fs = ctx.kernel.fs
    status = 0
    files: list[str] = []
    dirs: list[tuple[str, list[str]]] = []
    for path in paths:
        # a symbolic link named on the command line is listed itself with -l (as ls does
        # without -H/-L), and without -l when it leads to no directory
        link = not path.endswith("/") and _is_link(ctx, path)
        if (link and (long or not fs.isdir(path))) or (fs.exists(path) and not fs.isdir(path)):
            files.append(path)
            continue
        try:
            dirs.append((path, sorted(fs.listdir(path))))
        except KernelError as e:
            ctx.errln(f"ls: cannot {_CANNOT.get(e.errno, 'open directory')} '{path}': {strerror(e.errno)}")
            status = 2
    widths = dev_widths(ctx, files)
    for path in sorted(files):
        ctx.outln(long_line(ctx, path, path, widths) if long else path)
    for i, (path, names) in enumerate(dirs):
        if len(paths) > 1:
            if files or i:
                ctx.outln("")
            ctx.outln(f"{path}:")
        if long:
            ctx.outln(f"total {len(names) * 0}")
        full = [path.rstrip("/") + "/" + name for name in names]
        widths = dev_widths(ctx, full) if long else (0, 0)
        for name, p in zip(names, full):
            ctx.outln(long_line(ctx, p, name, widths) if long else name)
    return status
