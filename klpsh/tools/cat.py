"""cat FILE...: print files of the machine's /sys and /proc (coreutils cat)."""

from __future__ import annotations

from kernel.errno import KernelError, strerror
from klpsh.tools import ToolContext, tool


@tool("cat", "cat FILE...", "print a /sys or /proc file")
def cat(ctx: ToolContext, args: list[str]) -> int:
    status = 0
    if not args or args == ["-"]:
        ctx.out(ctx.stdin or "")       # `... | cat`: copy the pipe
        return 0
    for path in args:
        try:
            text = ctx.kernel.fs.read(path, comm="cat")
        except KernelError as e:
            ctx.errln(f"cat: {path}: {strerror(e.errno)}")
            status = 1
            continue
        ctx.out(text)
    return status
