"""lsmod: show the loaded modules from /proc/modules (kmod's tools/lsmod.c)."""

from __future__ import annotations

from kernel.errno import KernelError, strerror
from klpsh.tools import ToolContext, tool

HEADER = "Module                  Size  Used by"


def format_line(fields: list[str]) -> str:
    """One /proc/modules line (name size refcnt deps state addr) as lsmod prints it."""
    name, size, used = fields[0], fields[1], fields[2]
    deps = [d for d in fields[3].split(",") if d and d != "-"] if len(fields) > 3 else []
    line = f"{name:<19} {size:>8}  {used}"
    return f"{line} {','.join(deps)}" if deps else line


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
    for line in text.splitlines():
        if line.split():
            ctx.outln(format_line(line.split()))
    return 0
