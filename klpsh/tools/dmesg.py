"""dmesg [-c|-C]: print (and/or clear) the kernel ring buffer (util-linux dmesg)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from klpsh.tools import ToolContext, parse_options, tool

if TYPE_CHECKING:
    from kernel.printk import Printk, Record

USAGE = "dmesg [-c|-C]"


@tool("dmesg", USAGE, "print the kernel log; -c print then clear, -C clear")
def dmesg(ctx: ToolContext, args: list[str]) -> int:
    parsed = parse_options(ctx, "dmesg", args, "cCh", ("read-clear", "clear", "help"), hint=True)
    if parsed is None:
        return 1
    opts, rest = parsed
    flags = {o for o, _ in opts}
    if rest:
        ctx.errln("dmesg: bad usage")
        ctx.errln("Try 'dmesg --help' for more information.")
        return 1
    if flags & {"-h", "--help"}:
        ctx.outln(f"Usage:\n {USAGE}")
        return 0
    pk = ctx.kernel.printk
    if not flags & {"-C", "--clear"}:
        for rec in _since_clear(pk):
            ctx.outln(rec.format())
    if flags & {"-c", "-C", "--read-clear", "--clear"}:
        pk.clear()
    return 0


def _since_clear(pk: "Printk") -> list["Record"]:
    """The records dmesg shows: those logged since the last clear."""
    return [r for r in pk.records if r.seq >= pk.clear_seq]
