"""lsmod: show the loaded modules (kmod's tools/lsmod.c over libkmod).

libkmod takes the names from /proc/modules (the first blank-separated word of each line) and
reads each module's size, use count and holders from /sys/module/NAME; what it cannot read
there shows as -ENOENT.
"""

from __future__ import annotations

from kernel.errno import Errno, KernelError, strerror
from klpsh.tools import ToolContext, tool
from klpsh.tools.kmod import holders, refcnt, sysfs_read

HEADER = "Module                  Size  Used by"


def tokens(line: str) -> list[str]:
    """strtok_r(line, " \t"): libkmod's split of a /proc/modules line."""
    return [t for t in line.replace("\t", " ").split(" ") if t]


def format_line(name: str, size: int, used: int, deps: list[str]) -> str:
    """One module as lsmod prints it: "%-19s %8ld  %d", then its holders."""
    line = f"{name:<19} {size:>8}  {used}"
    return f"{line} {','.join(deps)}" if deps else line


def _size(ctx: ToolContext, name: str, words: list[str]) -> int:
    """kmod_module_get_size(): /sys/module/NAME/coresize, else the /proc/modules line."""
    if not ctx.kernel.fs.isdir(f"/sys/module/{name}"):
        return -Errno.ENOENT
    text = sysfs_read(ctx, f"/sys/module/{name}/coresize", "lsmod")
    if text is None and len(words) > 1:
        text = words[1]
    try:
        return int(text) if text is not None else -Errno.ENOENT
    except ValueError:
        return -Errno.ENOENT


@tool("lsmod", "lsmod", "show the status of the loaded modules")
def lsmod(ctx: ToolContext, args: list[str]) -> int:
    if args:
        ctx.errln("Usage: lsmod")
        return 1
    try:
        text = ctx.kernel.fs.read("/proc/modules", comm="lsmod")
    except KernelError as e:
        ctx.errln(f"libkmod: ERROR could not open /proc/modules: {strerror(e.errno)}")
        ctx.errln("Error: could not get list of modules: " + strerror(e.errno))
        return 1
    ctx.outln(HEADER)
    for line in text.split("\n"):
        words = tokens(line)
        if not words:
            continue
        name = words[0]
        used = refcnt(ctx, name, "lsmod")
        present = ctx.kernel.fs.isdir(f"/sys/module/{name}")
        deps = holders(ctx, name) if present else []
        ctx.outln(format_line(name, _size(ctx, name, words), used if used is not None else -Errno.ENOENT, deps))
    return 0
