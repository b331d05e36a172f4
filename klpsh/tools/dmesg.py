"""dmesg [-c|-C] [-T] [-l LEVELS] [-w]: print (and/or clear) the kernel ring buffer (util-linux).

`-w` waits for new lines: in the REPL until Ctrl-C; with a virtual clock (batch) it lets the
machine run on until nothing more is scheduled or FOLLOW_LIMIT of machine time has passed.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from klpsh.tools import ToolContext, parse_options, tool

if TYPE_CHECKING:
    from kernel.printk import Printk, Record

USAGE = "dmesg [-c|-C] [-T] [-l LEVELS] [-w]"
LEVEL_NAMES = ("emerg", "alert", "crit", "err", "warn", "notice", "info", "debug")
NSEC_PER_SEC = 1_000_000_000
FOLLOW_LIMIT = 60 * NSEC_PER_SEC    # -w with a virtual clock: how far machine time may run on
FOLLOW_TICK = 50_000_000            # -w with the real-time clock: how often it looks (ns)
HELP = f"""Usage:
 {USAGE}

Display or control the kernel ring buffer.

Options:
 -C, --clear                 clear the kernel ring buffer
 -c, --read-clear            read and clear all messages
 -l, --level <list>          restrict output to defined levels
 -T, --ctime                 show human-readable timestamp
 -w, --follow                wait for new messages
 -h, --help                  display this help

Supported log levels (priorities):
   emerg - system is unusable
   alert - action must be taken immediately
    crit - critical conditions
     err - error conditions
    warn - warning conditions
  notice - normal but significant condition
    info - informational
   debug - debug-level messages"""


@tool("dmesg", USAGE, "print the kernel log; -c print then clear, -C clear, -T wall-clock times, "
      "-l only these levels, -w wait for new lines")
def dmesg(ctx: ToolContext, args: list[str]) -> int:
    parsed = parse_options(ctx, "dmesg", args, "cChTl:w",
                           ("read-clear", "clear", "help", "ctime", "level=", "follow"), hint=True)
    if parsed is None:
        return 1
    opts, rest = parsed
    flags = {o for o, _ in opts}
    if rest:
        ctx.errln("dmesg: bad usage")
        ctx.errln("Try 'dmesg --help' for more information.")
        return 1
    if flags & {"-h", "--help"}:
        ctx.outln(HELP)
        return 0
    levels: set[int] | None = None
    for o, v in opts:
        if o in ("-l", "--level"):
            levels = levels or set()
            for name in v.split(","):
                if name not in LEVEL_NAMES:
                    ctx.errln(f'dmesg: unknown level \'{name}\'')
                    return 1
                levels.add(LEVEL_NAMES.index(name))
    k = ctx.kernel
    pk = k.printk
    ctime = bool(flags & {"-T", "--ctime"})

    def show(recs: list["Record"]) -> None:
        for rec in recs:
            if levels is None or rec.level in levels:
                ctx.outln(_ctime(k, rec) if ctime else rec.format())

    if not flags & {"-C", "--clear"}:
        show(_since_clear(pk))
    if flags & {"-c", "-C", "--read-clear", "--clear"}:
        pk.clear()
    if flags & {"-w", "--follow"}:
        _follow(ctx, show)
    return 0


def _since_clear(pk: "Printk") -> list["Record"]:
    """The records dmesg shows: those logged since the last clear."""
    return [r for r in pk.records if r.seq >= pk.clear_seq]


def _ctime(k: object, rec: "Record") -> str:
    """-T: the record's time as the wall clock read it (boot time + uptime), in ctime form."""
    wall = (getattr(k, "wall_boot_ns", 0) + rec.ts_ns) // NSEC_PER_SEC
    return f"[{time.strftime('%a %b %e %H:%M:%S %Y', time.gmtime(wall))}] {rec.text}"


def _follow(ctx: ToolContext, show: "object") -> None:
    """-w: print lines as they are logged, until Ctrl-C (or, on a virtual clock, until the
    machine has nothing left to do within FOLLOW_LIMIT). The console is quiet meanwhile, as
    dmesg itself shows them."""
    k = ctx.kernel
    pk = k.printk
    seq = pk.next_seq
    real = getattr(k.clock, "pacer", None) is not None
    limit = k.clock.now + FOLLOW_LIMIT
    with pk.console_suspended():
        while not ctx.interrupted():
            new = pk.since(seq)
            if new:
                seq = new[-1].seq + 1
                show(new)  # type: ignore[operator]
            if real:
                k.run_for(FOLLOW_TICK)
                continue
            nxt = k.next_event_time()
            if nxt is None or nxt > limit:
                break
            k.run_until_time(max(nxt, k.clock.now))
        show(pk.since(seq))  # type: ignore[operator]
