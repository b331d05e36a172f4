"""clear: erase the terminal (ncurses clear). Batch output has no screen: nothing to do."""

from __future__ import annotations

from klpsh.tools import ToolContext, tool


@tool("clear", "clear", "clear the terminal screen")
def clear(ctx: ToolContext, args: list[str]) -> int:
    if args and args[0] not in ("-x", "-T"):
        ctx.errln(f"clear: invalid option -- '{args[0].lstrip('-')[:1]}'")
        ctx.errln("Usage: clear [options]")
        return 1
    ctx.clear()
    return 0
