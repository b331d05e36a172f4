"""ps: every task with its pid, state letter, livepatch state and command name."""

from __future__ import annotations

from klpsh.tools import ToolContext, tool

HEADER = "  PID S PATCH COMMAND"


@tool("ps", "ps", "list tasks: pid, state, patch state (-1 none, 0 unpatched, 1 patched), comm")
def ps(ctx: ToolContext, args: list[str]) -> int:
    if args:
        ctx.errln(f"ps: unsupported option '{args[0]}'")
        return 1
    ctx.outln(HEADER)
    for t in ctx.kernel.ps():
        state = getattr(t.state, "value", t.state)  # a letter, or an Enum of letters
        ctx.outln(f"{t.pid:>5} {state} {t.patch_state:>5} {t.comm}")
    return 0
