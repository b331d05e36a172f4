"""sleep NUMBER[SUFFIX]...: let the machine's time pass (coreutils sleep; virtual time)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from klpsh.tools import ToolContext, tool

if TYPE_CHECKING:
    from fractions import Fraction

NSEC_PER_SEC = 1_000_000_000
STATUS_INTERRUPTED = 130  # 128 + SIGINT
# In real-time mode a sleep waits on the wall clock; it looks for Ctrl-C this often.
_REAL_TIME_SLICE = NSEC_PER_SEC // 20
_SUFFIX_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(arg: str) -> Fraction | None:
    """Seconds in ARG ("1.5", "2m", "1e-3"), or None if coreutils would reject it."""
    from fractions import Fraction  # here, not at start-up: it pulls in decimal
    number, mult = arg, 1
    if arg and arg[-1] in _SUFFIX_SECONDS:
        number, mult = arg[:-1], _SUFFIX_SECONDS[arg[-1]]
    try:
        value = Fraction(number.strip())
    except (ValueError, ZeroDivisionError):
        return None
    if value < 0 or number != number.strip() or "/" in number or "_" in number:
        return None
    return value * mult


@tool("sleep", "sleep SECONDS...", "let SECONDS (fractional; s/m/h/d suffixes) of machine time pass")
def sleep(ctx: ToolContext, args: list[str]) -> int:
    if not args:
        ctx.errln("sleep: missing operand")
        ctx.errln("Try 'sleep --help' for more information.")
        return 1
    intervals = [parse_interval(a) for a in args]
    bad = [a for a, v in zip(args, intervals) if v is None]
    for arg in bad:
        ctx.errln(f"sleep: invalid time interval '{arg}'")
    if bad:
        ctx.errln("Try 'sleep --help' for more information.")
        return 1
    total = sum(v for v in intervals if v is not None)
    return _sleep(ctx, round(total * NSEC_PER_SEC))


def _sleep(ctx: ToolContext, ns: int) -> int:
    """Let NS pass; in real-time mode in slices, so that Ctrl-C ends the sleep early."""
    kernel = ctx.kernel
    if kernel.clock.pacer is None:
        kernel.run_for(ns)
        return 0
    end = kernel.clock.now + ns
    while kernel.clock.now < end:
        if ctx.interrupted():
            return STATUS_INTERRUPTED
        kernel.run_until_time(min(end, kernel.clock.now + _REAL_TIME_SLICE))
    return 0
