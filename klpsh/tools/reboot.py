"""reboot: power the machine off and boot a new one of the same kernel (after a panic, or a
machine `rmmod -f` left unusable)."""

from __future__ import annotations

from klpsh.tools import ToolContext, tool


@tool("reboot", "reboot", "boot a new machine of the same kernel (the way out after a panic)")
def reboot(ctx: ToolContext, args: list[str]) -> int:
    if args:
        ctx.errln("reboot: too many arguments")
        return 1
    ctx.reboot()
    return 0
