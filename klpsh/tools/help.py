"""help [COMMAND]: every command with its usage and what it does."""

from __future__ import annotations

from klpsh.tools import ToolContext, load_tools, tool


@tool("help", "help [COMMAND]", "list the commands, or show one command's usage")
def help_(ctx: ToolContext, args: list[str]) -> int:
    tools = load_tools()
    names = args or sorted(tools)
    unknown = [n for n in names if n not in tools]
    for name in unknown:
        ctx.errln(f"help: no help topics match '{name}'.")
    specs = [tools[n] for n in names if n in tools]
    width = max((len(s.usage) for s in specs), default=0)
    for spec in specs:
        ctx.outln(f"{spec.usage:<{width}}  {spec.summary}")
    if not args:
        ctx.outln("")
        ctx.outln("Any command can write its output to a /sys or /proc file with `> FILE`.")
    return 1 if unknown else 0
