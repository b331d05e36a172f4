"""timeline: a picture of a livepatch transition, each task's patch state over virtual time.

`timeline` draws the last transition, `timeline N` the N-th since boot, `timeline PATCH` the last
one of that patch; `-l` lists the transitions remembered, `-w COLS` sets the width of the bars,
`-o FILE.svg` writes the picture as SVG (on the host, as `klpsh --timeline` does).
"""

from __future__ import annotations

from klpsh.tools import ToolContext, parse_options, tool


@tool("timeline", "timeline [-l] [-w COLS] [-o FILE.svg] [PATCH|N]",
      "draw a transition: each task's patch state over time, who held it up and where")
def timeline(ctx: ToolContext, args: list[str]) -> int:
    parsed = parse_options(ctx, "timeline", args, "lw:o:")
    if parsed is None:
        ctx.errln("usage: timeline [-l] [-w COLS] [-o FILE.svg] [PATCH|N]")
        return 2
    opts, rest = parsed
    if len(rest) > 1:
        ctx.errln("timeline: too many arguments")
        return 2
    lp = getattr(ctx.kernel, "livepatch", None)
    history = getattr(lp, "history", None)
    if history is None:
        ctx.errln("timeline: this kernel keeps no transition history")
        return 1
    width = 64
    out_file = None
    for o, v in opts:
        if o == "-l":
            from klpsh.timeline import LIST_HEADER, list_lines

            for line in [LIST_HEADER, *list_lines(history)]:
                ctx.outln(line)
            return 0
        if o == "-w":
            if not v.isdigit() or not 10 <= int(v) <= 1000:
                ctx.errln(f"timeline: invalid width '{v}' (10 to 1000 columns)")
                return 2
            width = int(v)
        if o == "-o":
            out_file = v
    which = rest[0] if rest else None
    rec = history.find(which)
    if rec is None:
        ctx.errln("timeline: no transition yet" if which is None and not history.records
                  else f"timeline: no transition '{which}'")
        return 1
    from klpsh import timeline as draw

    now = ctx.kernel.clock.now
    if out_file is not None:
        try:
            ctx.resolve_path(out_file).write_text(draw.render_svg(rec, now))
        except OSError as e:
            ctx.errln(f"timeline: {out_file}: {e.strerror or e}")
            return 1
        return 0
    for line in draw.render_text(rec, now, width):
        ctx.outln(line)
    return 0
