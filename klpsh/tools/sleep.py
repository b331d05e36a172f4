"""sleep NUMBER[SUFFIX]...: let the machine's time pass (coreutils sleep; virtual time).

Each NUMBER is what strtod() takes in the C locale (decimal, hex `0x10`, `1e3`, `inf`), then
at most a one-letter suffix s, m, h or d; the intervals are summed. A sleep too long for the
machine's clock (past KTIME_MAX, `inf`) never ends: it is bounded like any wait of the shell.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from klpsh.tools import ToolContext, parse_options, tool

if TYPE_CHECKING:
    from fractions import Fraction

NSEC_PER_SEC = 1_000_000_000
STATUS_INTERRUPTED = 130  # 128 + SIGINT
_SUFFIX_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
INF = float("inf")
# Decimal exponents beyond these make any non-zero value infinite (or zero) for the clock:
# strtold's ERANGE results, which sleep accepts.
_EXP_HUGE, _EXP_TINY = 40, -40
_SPACE = " \t\n\v\f\r"
_DEC = re.compile(r"([+-]?)(\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d+))?")
_HEX = re.compile(r"([+-]?)0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP]([+-]?\d+))?")
_SPECIAL = re.compile(r"([+-]?)(inf(?:inity)?|nan(?:\([0-9A-Za-z_]*\))?)", re.IGNORECASE)
_HELP = (
    "Usage: sleep NUMBER[SUFFIX]...",
    "  or:  sleep OPTION",
    "Pause for NUMBER seconds.  SUFFIX may be 's' for seconds (the default),",
    "'m' for minutes, 'h' for hours or 'd' for days.  NUMBER need not be an",
    "integer.  Given two or more arguments, pause for the amount of time",
    "specified by the sum of their values.",
    "",
    "      --help     display this help and exit",
    "      --version  output version information and exit",
)


def _strtod(text: str) -> tuple["Fraction | float", str] | None:
    """strtod() in the C locale: the value and the rest of TEXT, or None if no number."""
    from fractions import Fraction  # here, not at start-up: it pulls in decimal
    s = text.lstrip(_SPACE)
    if m := _SPECIAL.match(s):
        if m[2].lower().startswith("nan"):
            return float("nan"), s[m.end():]
        return (-INF if m[1] == "-" else INF), s[m.end():]
    if m := _HEX.match(s):
        int_part, _, frac = m[2].partition(".")
        value: Fraction | float = _scaled((int_part + frac).lstrip("0"), 16, m[3], -4 * len(frac))
    elif m := _DEC.match(s):
        int_part, _, frac = m[2].partition(".")
        value = _scaled((int_part + frac).lstrip("0"), 10, m[3], -len(frac))
    else:
        return None
    if m[1] == "-":
        value = -value
    return value, s[m.end():]


def _scaled(digits: str, radix: int, exp_text: str | None, shift: int) -> "Fraction | float":
    """DIGITS (in RADIX, no leading zeros) times 10 or 2 to the power EXP_TEXT + SHIFT; inf or
    0 where that is far beyond what a clock can hold (strtold's ERANGE results)."""
    from fractions import Fraction
    if not digits:
        return Fraction(0)
    if exp_text is not None and len(exp_text.lstrip("+-0")) > 12:
        return INF if not exp_text.startswith("-") else Fraction(0)
    exp = int(exp_text or 0) + shift
    base = 10 if radix == 10 else 2
    per_digit = 1 if radix == 10 else 4
    magnitude = len(digits) * per_digit + exp       # in powers of BASE
    magnitude10 = magnitude if base == 10 else magnitude * 3 // 10
    if magnitude10 > _EXP_HUGE:
        return INF
    if magnitude10 < _EXP_TINY:
        return Fraction(0)
    keep = 60
    if len(digits) > keep:              # beyond a nanosecond's precision anyway
        exp += (len(digits) - keep) * per_digit
        digits = digits[:keep]
    mant = Fraction(int(digits, radix))
    return mant * base ** exp if exp >= 0 else mant / base ** -exp


def parse_interval(arg: str) -> "Fraction | float | None":
    """Seconds in ARG ("1.5", "2m", "0x10", "1e3", "inf"), or None if coreutils rejects it."""
    parsed = _strtod(arg)
    if parsed is None:
        return None
    value, rest = parsed
    if not value >= 0 or len(rest) > 1:      # negative or NaN; or more than a suffix
        return None
    if rest:
        if rest not in _SUFFIX_SECONDS:
            return None
        value = value * _SUFFIX_SECONDS[rest]
    return value


@tool("sleep", "sleep NUMBER[SUFFIX]...", "let the time given (s/m/h/d suffixes, summed) pass on the machine")
def sleep(ctx: ToolContext, args: list[str]) -> int:
    parsed = parse_options(ctx, "sleep", args, "", ("help", "version"), hint=True)
    if parsed is None:
        return 1
    opts, args = parsed
    if opts:
        if opts[0][0] == "--help":
            for line in _HELP:
                ctx.outln(line)
        else:
            ctx.outln("sleep (GNU coreutils) 8.30")
        return 0
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
    return _sleep(ctx, None if total == INF else round(total * NSEC_PER_SEC))


def _sleep(ctx: ToolContext, ns: int | None) -> int:
    """Let NS pass (None: for ever); the machine says why if it stopped short."""
    why = ctx.kernel.sleep_for(ns)
    if why is None:
        return 0
    if why == "interrupted":
        return STATUS_INTERRUPTED
    ctx.errln(f"klpsh: sleep: {why}")
    return 1
