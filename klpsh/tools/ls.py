"""ls [PATH...]: list directories of the machine's /sys and /proc, one name a line (ls -1)."""

from __future__ import annotations

from kernel.errno import Errno, KernelError, strerror
from klpsh.tools import ToolContext, tool

# How ls words a failure: a failed lookup is "cannot access", anything else "cannot open directory".
_CANNOT = {Errno.ENOENT: "access", Errno.ENOTDIR: "access"}


@tool("ls", "ls [PATH...]", "list a /sys or /proc directory")
def ls(ctx: ToolContext, args: list[str]) -> int:
    paths = args or ["/"]
    fs = ctx.kernel.fs
    status = 0
    files: list[str] = []
    dirs: list[tuple[str, list[str]]] = []
    for path in paths:
        if fs.exists(path) and not fs.isdir(path):
            files.append(path)
            continue
        try:
            dirs.append((path, sorted(fs.listdir(path))))
        except KernelError as e:
            ctx.errln(f"ls: cannot {_CANNOT.get(e.errno, 'open directory')} '{path}': {strerror(e.errno)}")
            status = 2
    for path in sorted(files):
        ctx.outln(path)
    for i, (path, names) in enumerate(dirs):
        if len(paths) > 1:
            if files or i:
                ctx.outln("")
            ctx.outln(f"{path}:")
        for name in names:
            ctx.outln(name)
    return status
