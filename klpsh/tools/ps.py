"""ps: every task with its pid, state letter, livepatch state and command name.

Every task is listed, as `ps -e` would, and the idle tasks too (swapper/N, pid 0): a transition
may wait on them, and ps's own process. Names are what /proc/PID/comm shows
(kworker/0:1-events).
"""

from __future__ import annotations

from klpsh.tools import ToolContext, tool

HEADER = "  PID S PATCH COMMAND"
# Selections that all mean "every task" here (procps: -e, -A, BSD a/x): accepted, no change.
_ALL = {"-e", "-A", "-ax", "ax", "aux", "-aux", "-ef", "-eF", "-ely"}


@tool("ps", "ps [-e]", "list tasks: pid, state, patch state (-1 none, 0 unpatched, 1 patched), comm")
def ps(ctx: ToolContext, args: list[str]) -> int:
    bad = [a for a in args if a not in _ALL]
    if bad:
        ctx.errln(f"error: unsupported option (BSD syntax)" if not bad[0].startswith("-")
                  else f"error: unsupported option '{bad[0]}'")
        return 1
    ctx.outln(HEADER)
    k = ctx.kernel
    command_task = getattr(k, "command_task", None)
    # procps reads /proc in a process of its own: ps lists itself, running
    me = command_task() if command_task is not None else None
    sched = getattr(k, "sched", None)
    tasks = (sorted(sched.idle + sched.all_tasks(), key=lambda t: (t.pid, t.cpu))
             if sched is not None else k.ps())
    for t in tasks:
        state = "R" if t is me else getattr(t.state, "value", t.state)  # a letter, or an Enum of letters
        ctx.outln(f"{t.pid:>5} {state} {t.patch_state:>5} {getattr(t, 'proc_comm', t.comm)}")
    return 0
