"""Pictures of a transition (kernel/livepatch/history.py's records): text for the terminal and
an SVG document for a browser. Both draw the same thing: one row per task, its patch state over
virtual time, the attempts that could not switch it and why, and the transition's events."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable
from xml.sax.saxutils import escape, quoteattr

from kernel.record import record

if TYPE_CHECKING:
    from kernel.livepatch.history import Blocked, TaskTrack, TransitionRecord

NSEC_PER_SEC = 1_000_000_000
STATE_WORD = {0: "unpatched", 1: "patched"}
STATE_CHAR = {0: ".", 1: "#"}
BLOCK_CHAR = {"is running": "R", "has an unreliable stack": "U"}   # else sleeping: "S"
EVENT_CHAR = {"start": ">", "reverse": "<", "signal": "!", "force": "F", "cancel": "x",
              "complete": "|"}
EVENT_WORD = {"init": "init", "start": "start", "attempt": "attempt", "signal": "signal",
              "force": "force", "reverse": "reverse", "cancel": "cancel", "complete": "complete"}


def ts(ns: int) -> str:
    """A time as printk shows it: [%5lu.%06lu]."""
    return f"[{ns // NSEC_PER_SEC:5d}.{ns % NSEC_PER_SEC // 1000:06d}]"


def secs(ns: int) -> str:
    return f"{ns // NSEC_PER_SEC}.{ns % NSEC_PER_SEC // 1000:06d}"


@record(frozen=True)
class Segment:
    """A task in STATE over [start, end) ns."""

    start: int
    end: int
    state: int
    how: str             # what put it in that state (init, switch attempt, idle loop, force...)


def span(rec: "TransitionRecord", now: int) -> tuple[int, int]:
    """The times a picture covers: init to complete (or NOW, still in progress)."""
    end = rec.end_at if rec.end_at is not None else now
    return rec.init_at, max(end, rec.init_at)


def segments(track: "TaskTrack", end: int) -> list[Segment]:
    """TRACK's states as contiguous segments up to END (a switch and back at one instant
    leaves no empty segment)."""
    out: list[Segment] = []
    for i, (when, state, how) in enumerate(track.states):
        stop = track.states[i + 1][0] if i + 1 < len(track.states) else end
        if out and out[-1].state == state:
            out[-1] = Segment(out[-1].start, stop, state, out[-1].how)
        elif stop > when or i + 1 == len(track.states):
            out.append(Segment(when, max(stop, when), state, how))
    return out


def blocker_char(run: "Blocked") -> str:
    return BLOCK_CHAR.get(run.why, "S")


def held_up(rec: "TransitionRecord") -> list["TaskTrack"]:
    """The tasks that some attempt could not switch."""
    return [t for t in rec.rows() if t.blocked]


def switch_of(track: "TaskTrack") -> tuple[int, str] | None:
    """When and how TRACK last changed state (None: it never did)."""
    if len(track.states) < 2:
        return None
    when, _, how = track.states[-1]
    return when, how


def _pending_at(rec: "TransitionRecord", when: int) -> list[str]:
    """Who an attempt at WHEN could not switch, and why."""
    out = []
    for t in rec.rows():
        for run in t.blocked:
            if run.first <= when <= run.last:
                out.append(f"{t.comm}:{t.pid} {run.why}")
                break
    return out


def summary(rec: "TransitionRecord") -> str:
    """One line: which transition, its outcome, how long."""
    state = rec.outcome or "in progress"
    n = rec.attempts
    end = f" .. {secs(rec.end_at)} s ({(rec.end_at - rec.init_at) / NSEC_PER_SEC:.6f} s)" \
        if rec.end_at is not None else ""
    rev = [e for e in rec.events if e.kind == "reverse"]
    turned = f" (reversed {len(rev)}x)" if len(rev) > 1 else " (reversed)" if rev else ""
    return (f"{rec.title}{turned}: {state}, {n} attempt{'s' if n != 1 else ''}, "
            f"from {secs(rec.init_at)}{end}")


def event_lines(rec: "TransitionRecord") -> list[str]:
    """The transition's events in time order, as a log."""
    lines = []
    n = 0
    for e in rec.events:
        if e.kind == "attempt":
            first, n = n + 1, n + e.count
            which = f"attempt {first}" if e.count == 1 else f"attempts {first}-{n}"
            when = ts(e.first) if e.count == 1 else f"{ts(e.first)}..{ts(e.last)}"
            left = _pending_at(rec, e.last)
            what = "every task switched" if not e.pending else (
                f"{e.pending} task{'s' if e.pending != 1 else ''} left: " + "; ".join(left)
                if left else f"{e.pending} tasks left")
            lines.append(f"{when} {which}: {what}")
        else:
            lines.append(f"{ts(e.first)} {EVENT_WORD.get(e.kind, e.kind)}: {e.text}")
    if rec.dropped:
        lines.append(f"({rec.dropped} more steps not kept)")
    return lines


def task_lines(rec: "TransitionRecord") -> list[str]:
    """For each task some attempt could not switch: why, how often, and how it switched."""
    lines = []
    for t in held_up(rec):
        for run in t.blocked:
            times = ts(run.first) if run.count == 1 else f"{ts(run.first)}..{ts(run.last)}"
            lines.append(f"{t.comm}:{t.pid} {run.why} ({run.reporter}): "
                         f"{run.count} attempt{'s' if run.count != 1 else ''} {times}")
        moves = [f"{STATE_WORD.get(state, '?')} at {ts(when)} ({how})"
                 for when, state, how in t.states[1:]]
        first = t.states[0][1] if t.states else None
        lines.append(f"{t.comm}:{t.pid} " + (", then ".join(moves) if moves else
                                              f"stayed {STATE_WORD.get(first, '?')}"))
    return lines


# --- the terminal picture ------------------------------------------------------------------
def render_text(rec: "TransitionRecord", now: int, width: int = 64) -> list[str]:
    """The picture as lines of text: a legend, the time axis, events, attempts, a row a task."""
    t0, t1 = span(rec, now)
    width = max(width, 10)
    dt = max(t1 - t0, 1)

    def col(ns: int) -> int:
        return min(width - 1, max(0, (ns - t0) * width // dt if t1 > t0 else 0))

    label_w = max([len(f"{t.pid:>5} {t.comm}") for t in rec.rows()] + [14]) + 1
    out = [summary(rec),
           "  . unpatched  # patched  R running  S sleeping in a patched function  "
           "U unreliable stack",
           "  > start  | complete  < reverse  ! signal  F force  x cancel  * attempt"]
    left, right = secs(t0), secs(t1)
    out.append(" " * label_w + left + " " * max(1, width - len(left) - len(right)) + right)
    ev = [" "] * width
    for e in rec.events:
        c = EVENT_CHAR.get(e.kind)
        if c is not None and (ev[col(e.first)] == " " or e.kind != "start"):
            ev[col(e.first)] = c        # a restart after a reverse leaves the reverse shown
    at = [" "] * width
    for e in rec.events:
        if e.kind == "attempt":
            for i in range(e.count):
                when = e.first + (e.last - e.first) * i // max(e.count - 1, 1)
                at[col(when)] = "*"
    out.append("events".ljust(label_w) + "".join(ev).rstrip())
    out.append("attempts".ljust(label_w) + "".join(at).rstrip())
    for t in rec.rows():
        row = [" "] * width
        for seg in segments(t, t1):
            a = col(seg.start)
            b = width if seg.end >= t1 else max(col(seg.end), a + 1)
            for i in range(a, b):
                row[i] = STATE_CHAR.get(seg.state, "?")
        for run in t.blocked:
            for i in range(col(run.first), col(run.last) + 1):
                row[i] = blocker_char(run)
        out.append(f"{t.pid:>5} {t.comm}".ljust(label_w) + "".join(row))
    out.append("")
    out.extend(event_lines(rec))
    held = task_lines(rec)
    if held:
        out.append("held up:")
        out.extend("  " + ln for ln in held)
    return out


LIST_HEADER = "   N          START            END  OUTCOME     TRIES  PATCH"


def list_lines(recs: Iterable["TransitionRecord"]) -> list[str]:
    """`timeline -l`: one line per remembered transition (after LIST_HEADER)."""
    out = []
    for r in recs:
        end = secs(r.end_at) if r.end_at is not None else "..."
        rev = " reversed" if r.reversed else ""
        out.append(f"{r.number:>4} {secs(r.init_at):>14} {end:>14}  {r.outcome or 'in progress':<11} "
                   f"{r.attempts:>4}  {r.patch} {'patching' if r.target else 'unpatching'}{rev}")
    return out


# --- the SVG picture ---------------------------------------------------------------------
COLOR = {0: "#8fa3b8", 1: "#2f9e5a"}       # unpatched, patched
BLOCK_COLOR = {"R": "#e8590c", "S": "#c92a2a", "U": "#862e9c"}
EVENT_COLOR = {"start": "#1c7ed6", "reverse": "#f08c00", "signal": "#d6336c", "force": "#c92a2a",
               "cancel": "#495057", "complete": "#2b8a3e"}
ROW_H = 22
BAR_H = 14
LABEL_W = 230
PLOT_W = 760
TOP = 92
WHY_W = 290            # the column naming what held each task up


@record(frozen=True)
class Geometry:
    """Where the SVG puts things: the x of a time, the y of a row."""

    t0: int
    t1: int
    left: int = LABEL_W
    width: int = PLOT_W
    top: int = TOP

    def x(self, ns: int) -> float:
        dt = max(self.t1 - self.t0, 1)
        return self.left + (min(max(ns, self.t0), self.t1) - self.t0) * self.width / dt

    def row_y(self, i: int) -> int:
        """Top of row I's bar."""
        return self.top + i * ROW_H + (ROW_H - BAR_H) // 2


def _nice_ticks(t0: int, t1: int, n: int = 6) -> list[int]:
    """Round times between T0 and T1 for the axis."""
    dt = max(t1 - t0, 1)
    raw = dt / n
    step = 1
    while step * 10 <= raw:
        step *= 10
    for m in (1, 2, 5, 10):
        if step * m >= raw:
            step *= m
            break
    first = -(-t0 // step) * step
    return list(range(first, t1 + 1, step))


def _tick_label(ns: int, step: int) -> str:
    digits = 6
    for d in range(0, 7):
        if step % (NSEC_PER_SEC // 10 ** d) == 0:
            digits = d
            break
    return f"{ns / NSEC_PER_SEC:.{digits}f}"


def render_svg(rec: "TransitionRecord", now: int) -> str:
    """The picture as a standalone SVG document."""
    t0, t1 = span(rec, now)
    g = Geometry(t0, t1)
    rows = rec.rows()
    held = task_lines(rec)
    log = event_lines(rec)
    body_bottom = g.top + len(rows) * ROW_H
    notes_top = body_bottom + 66
    height = notes_top + 18 * (len(log) + len(held) + 2) + 20
    total_w = LABEL_W + PLOT_W + WHY_W
    el: list[str] = []
    add = el.append
    add(f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_w}" height="{height}" '
        f'viewBox="0 0 {total_w} {height}" font-family="DejaVu Sans Mono, monospace" '
        f'font-size="12" data-transition="{rec.number}">')
    add(f'<title>{escape(summary(rec))}</title>')
    add(f'<rect x="0" y="0" width="{total_w}" height="{height}" fill="#ffffff"/>')
    add(f'<text x="12" y="20" font-size="14" font-weight="bold">{escape(summary(rec))}</text>')
    # legend
    lx = 12
    for label, color in (("unpatched", COLOR[0]), ("patched", COLOR[1]),
                         ("running", BLOCK_COLOR["R"]), ("sleeping in a patched function",
                                                         BLOCK_COLOR["S"]),
                         ("unreliable stack", BLOCK_COLOR["U"])):
        add(f'<rect x="{lx}" y="30" width="12" height="12" fill="{color}"/>')
        add(f'<text x="{lx + 16}" y="40">{escape(label)}</text>')
        lx += 28 + 7 * len(label)
    # axis
    axis_y = g.top - 8
    add(f'<line x1="{g.left}" y1="{axis_y}" x2="{g.left + g.width}" y2="{axis_y}" stroke="#333"/>')
    ticks = _nice_ticks(t0, t1)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else max(t1 - t0, 1)
    for tk in ticks:
        x = g.x(tk)
        add(f'<line x1="{x:.1f}" y1="{axis_y - 4}" x2="{x:.1f}" y2="{body_bottom}" '
            f'stroke="#dee2e6" stroke-width="1"/>')
        add(f'<text x="{x:.1f}" y="{axis_y - 8}" text-anchor="middle" font-size="11">'
            f'{_tick_label(tk, step)} s</text>')
    # attempts: ticks on the axis
    for e in rec.events:
        if e.kind == "attempt":
            for i in range(e.count):
                when = e.first + (e.last - e.first) * i // max(e.count - 1, 1)
                x = g.x(when)
                add(f'<path class="attempt" d="M{x:.1f},{axis_y} l-4,-7 h8 z" fill="#495057">'
                    f'<title>attempt at {secs(when)} s</title></path>')
    # rows
    for i, t in enumerate(rows):
        y = g.row_y(i)
        if i % 2:
            add(f'<rect x="0" y="{g.top + i * ROW_H}" width="{total_w}" height="{ROW_H}" '
                f'fill="#f8f9fa"/>')
        add(f'<g class="task" data-pid="{t.pid}" data-comm={quoteattr(t.comm)} data-row="{i}">')
        add(f'<text class="label" x="12" y="{y + BAR_H - 3}">{t.pid} {escape(t.comm)}</text>')
        for seg in segments(t, t1):
            x0, x1 = g.x(seg.start), g.x(seg.end)
            w = max(x1 - x0, 1.0)
            word = STATE_WORD.get(seg.state, "undefined")
            add(f'<rect class="state" data-state="{word}" x="{x0:.1f}" y="{y}" width="{w:.1f}" '
                f'height="{BAR_H}" fill="{COLOR.get(seg.state, "#ced4da")}">'
                f'<title>{escape(t.comm)}:{t.pid} {word} from {secs(seg.start)} s ({escape(seg.how)})'
                f'</title></rect>')
        for run in t.blocked:
            c = blocker_char(run)
            x0, x1 = g.x(run.first), g.x(run.last)
            add(f'<rect class="blocked" data-why={quoteattr(run.why)} x="{x0 - 2:.1f}" '
                f'y="{y - 2}" width="{max(x1 - x0, 0) + 4:.1f}" height="{BAR_H + 4}" '
                f'fill="none" stroke="{BLOCK_COLOR[c]}" stroke-width="3">'
                f'<title>{escape(t.comm)}:{t.pid} {escape(run.why)} ({run.reporter}), '
                f'{run.count} attempts</title></rect>')
        if t.blocked:
            label = "; ".join(f"in {r.func}" if r.func else r.why.removeprefix("is ").removeprefix("has ")
                              for r in t.blocked)
            tries = sum(r.count for r in t.blocked)
            add(f'<text class="why" x="{g.left + g.width + 12}" y="{y + BAR_H - 3}" '
                f'fill="{BLOCK_COLOR[blocker_char(t.blocked[-1])]}" font-weight="bold">'
                f'{escape(label)} x{tries}</text>')
        add('</g>')
    # events: vertical lines over every row, their names below (stacked where they meet)
    placed: list[tuple[float, int]] = []
    for e in rec.events:
        color = EVENT_COLOR.get(e.kind)
        if color is None:
            continue
        x = g.x(e.first)
        level = 0
        while any(abs(px - x) < 8 * max(len(e.kind), 6) and lv == level for px, lv in placed):
            level += 1
        placed.append((x, level))
        add(f'<g class="event" data-kind="{e.kind}">'
            f'<line x1="{x:.1f}" y1="{g.top - 4}" x2="{x:.1f}" y2="{body_bottom}" stroke="{color}" '
            f'stroke-width="2" stroke-dasharray="5,3"/>'
            f'<text x="{x:.1f}" y="{body_bottom + 14 + 13 * level}" text-anchor="middle" '
            f'fill="{color}" font-size="11">{escape(e.kind)}</text><title>{escape(e.text)}</title></g>')
    # the log below
    y = notes_top
    for line in log:
        add(f'<text class="log" x="12" y="{y}">{escape(line)}</text>')
        y += 18
    if held:
        add(f'<text x="12" y="{y}" font-weight="bold">held up:</text>')
        y += 18
        for line in held:
            add(f'<text class="held" x="24" y="{y}">{escape(line)}</text>')
            y += 18
    add('</svg>')
    return "\n".join(el) + "\n"


def write_svgs(kernel: object, path: str, every: bool = False) -> list[str]:
    """Write KERNEL's last transition as the SVG file PATH (EVERY, and more than one: each
    remembered transition N also as PATH's stem + `-N.svg`); the files written, none if no
    transition is remembered."""
    from pathlib import Path

    history = getattr(getattr(kernel, "livepatch", None), "history", None)
    recs = list(history) if history is not None else []
    if not recs:
        return []
    now = kernel.clock.now  # type: ignore[attr-defined]
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for rec in (recs if every and len(recs) > 1 else []):
        p = target.with_name(f"{target.stem}-{rec.number}.svg")
        p.write_text(render_svg(rec, now))
        written.append(str(p))
    target.write_text(render_svg(recs[-1], now))
    written.append(str(target))
    return written
