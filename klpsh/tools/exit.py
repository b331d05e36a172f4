"""exit [N]: leave the shell with status N (default 0)."""

from __future__ import annotations

from klpsh.tools import ShellExit, ToolContext, tool


@tool("exit", "exit [N]", "leave klpsh with status N")
def exit_(ctx: ToolContext, args: list[str]) -> int:
    if len(args) > 1:
        ctx.errln("bash: exit: too many arguments")
        return 1
    if not args:
        raise ShellExit(0)
    try:
        code = int(args[0])
    except ValueError:
        ctx.errln(f"bash: exit: {args[0]}: numeric argument required")
        raise ShellExit(2) from None
    raise ShellExit(code & 0xFF)
