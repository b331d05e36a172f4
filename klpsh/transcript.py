"""Transcripts: parse them, and `klpsh replay FILE...` to check them against a fresh machine.

A transcript is the batch shell's output format (and the format of the examples in
Documentation/livepatch/callbacks.txt):

    % insmod samples/livepatch/livepatch-callbacks-mod.ko      <- a command
    [   34.475708] livepatch_callbacks_mod: ...                 <- a kernel line with its timestamp
    insmod: ERROR: could not insert module ...                 <- tool output

Leading whitespace is allowed, `#` lines and blank lines are ignored.

Replay boots one machine per file and issues each command at the virtual time the transcript
implies (the first timestamp after it, minus 1 ms), so that timers, the 1 s transition retries and
busy workers interleave with the commands as in the transcript. Kernel lines logged between
commands are shown as they come. Lines are compared by text, in order; the timestamps only give the
largest deviation (`--tolerance SECONDS` makes them count).

Replay never loses its place: once-per-boot notices (ONCE_PER_BOOT) are boot history on either
side, a line the transcript lacks is passed over (only a line the next command owes moves that
command earlier), and the report names only the lines that differ. Prose copied along with a
section of the document is not transcript (see parse).
"""

from __future__ import annotations

import gc
import os
import re
import sys
from pathlib import Path
from typing import IO, Callable, Iterable, Union

from kernel.record import RecordTuple

CMD = "cmd"
KERNEL = "kernel"
OUTPUT = "out"

# What the kernel says once per boot (the first module to taint it, the first use of something):
# a transcript may or may not show it (its boot may have said it earlier), so replay treats every
# one of them alike: it is neither expected nor an error, on either side.
LIVEPATCH_TAINT = ": tainting kernel with TAINT_LIVEPATCH"         # add_taint_module(), livepatch
ONCE_PER_BOOT = (
    LIVEPATCH_TAINT + "$",
    r": loading out-of-tree module taints kernel\.$",                # TAINT_OOT_MODULE
    r": module license '.*' taints kernel\.$",                       # TAINT_PROPRIETARY_MODULE
    r"^Disabling lock debugging due to kernel taint$",               # the first taint of a boot
    r": module verification failed: signature and/or required key missing - tainting kernel$",
    r": module is from the staging directory, the quality is unknown, you have been warned\.$",
    r"^Please remove unsupported %. in format string$",               # format_decode() WARN_ONCE
)
# one pattern for them all, compiled (re's cache) where a line first has one of their literals
IGNORED = "|".join(f"(?:{p})" for p in ONCE_PER_BOOT)


def _literal(pattern: str) -> str:
    """A piece of text every match of PATTERN contains (its longest run of plain characters;
    none for a pattern with alternatives or classes): a cheap test before the search."""
    if "|" in pattern or "[" in pattern:
        return ""
    # the pieces re.split(r"\\.|.[*?{]|[.^$+()]", pattern) gives, without compiling it
    pieces, start, i = [], 0, 0
    while i < len(pattern):
        pair = pattern[i:i + 2]
        if len(pair) == 2 and (pair[0] == "\\" or pair[1] in "*?{"):
            cut = 2                         # an escape, or a character and its repeat
        elif pair[0] in ".^$+()":
            cut = 1
        else:
            i += 1
            continue
        pieces.append(pattern[start:i])
        i = start = i + cut
    pieces.append(pattern[start:])
    return max(pieces, key=len)


_IGNORED_LITERALS = tuple(_literal(p) for p in ONCE_PER_BOOT)


# Per-process cache of _ignored() by text: a replay tests each line several times (its block,
# the match, the report) and the transcripts of one run share most of their lines; cleared when
# it holds _IGNORED_SEEN_MAX texts.
_IGNORED_SEEN: dict[str, bool] = {}
_IGNORED_SEEN_MAX = 4096


def _ignored(text: str) -> bool:
    """TEXT is a once-per-boot notice (IGNORED), its literals tested first (each line of a
    replay is tested: the search alone costs 1.7 us a line)."""
    seen = _IGNORED_SEEN.get(text)
    if seen is None:
        if len(_IGNORED_SEEN) >= _IGNORED_SEEN_MAX:
            _IGNORED_SEEN.clear()
        seen = _IGNORED_SEEN[text] = (any(lit in text for lit in _IGNORED_LITERALS)
                                      and re.search(IGNORED, text) is not None)
    return seen

MS = 1_000_000
US = 1_000
NSEC_PER_SEC = 1_000_000_000
MAX_RESTARTS = 12
MAX_STEPS = 1_000_000
# After the last command, wait this long past the last timestamp for late kernel lines.
TAIL_SLACK = 1_000 * MS
# How far past a command's planned time replay waits for lines still expected before it.
LATE_SLACK = 2_000 * MS


class Line(RecordTuple):
    """One transcript line: a command, a kernel line (with its timestamp in ns) or tool output."""

    kind: str
    text: str
    ts_ns: int | None = None
    lineno: int = 0

    def key(self) -> str:
        """What comparison looks at: the command, or the text without timestamp."""
        return f"% {self.text}" if self.kind == CMD else self.text


def _ts_ns(sec: str, frac: str) -> int:
    """SEC.FRAC (decimal digits) in ns: one int() of the seconds and nine fraction digits."""
    return int(sec + (frac + "000000000")[:9])


def _after_space(rest: str) -> str | None:
    """REST less the one white space `\\s?` takes; None if a newline is left in it, where a
    line's `.*$` stops."""
    rest = rest[1:] if rest[:1].isspace() else rest
    return None if "\n" in rest else rest


def parse_line(raw: str, lineno: int = 0) -> Line | None:
    """Classify one line; None for blank and `#` lines."""
    line = raw.rstrip("\r\n")
    body = line.lstrip()
    first = body[:1]
    if not first or first == "#":
        return None
    if first == "%":                                        # `% COMMAND`
        text = _after_space(body[1:])
        if text is not None:
            return Line(CMD, text.strip(), None, lineno)
    elif first == "[":                                      # `[ SEC.FRAC] TEXT`
        close = body.find("]")
        sec, dot, frac = body[1:max(close, 0)].lstrip().partition(".")
        text = _after_space(body[close + 1:]) if dot and sec.isdecimal() and frac.isdecimal() else None
        if text is not None:
            return Line(KERNEL, text.rstrip(), _ts_ns(sec, frac), lineno)
    return Line(OUTPUT, line.rstrip(), None, lineno)


def _indent(raw: str) -> int:
    return len(raw) - len(raw.lstrip())


def parse(text: Union[str, Iterable[str]]) -> list[Line]:
    """Parse a transcript (a string or an iterable of lines).

    A section copied from the document keeps its prose: the document indents its examples
    (` % insmod ...`), so where the commands are indented, a line of tool output must be too;
    an unindented line (`Test 1`, `- load target module`, a paragraph) is prose, not output.
    """
    lines = list(text.splitlines() if isinstance(text, str) else text)
    out: list[Line] = []
    for n, raw in enumerate(lines, 1):
        parsed = parse_line(raw, n)
        if parsed is not None:
            out.append(parsed)
    cmd_indents = [_indent(lines[ln.lineno - 1]) for ln in out if ln.kind == CMD]
    floor = min(cmd_indents, default=0)
    if floor:
        out = [ln if ln.kind != OUTPUT else Line(OUTPUT, lines[ln.lineno - 1].rstrip()[floor:], None, ln.lineno)
               for ln in out if ln.kind != OUTPUT or _indent(lines[ln.lineno - 1]) >= floor]
    return out


def _relevant(lines: Iterable[Line]) -> list[Line]:
    return [ln for ln in lines if not (ln.kind != CMD and _ignored(ln.text))]


def _blocks(lines: list[Line]) -> tuple[list[Line], list[tuple[Line, list[Line]]]]:
    """Split into lines before the first command and (command, lines after it) pairs."""
    pre: list[Line] = []
    blocks: list[tuple[Line, list[Line]]] = []
    for ln in lines:
        if ln.kind == CMD:
            blocks.append((ln, []))
        elif blocks:
            blocks[-1][1].append(ln)
        else:
            pre.append(ln)
    return pre, blocks


def _waits(command: str) -> bool:
    """`sleep`: the lines after it were logged while it waited, not when it was typed."""
    words = command.split()
    return bool(words) and words[0] == "sleep"


_LOADS = ("insmod", "modprobe")
_COMING = "livepatch: applying patch '"      # ... 'PATCH' to loading module 'MODULE'


def _applies_to_coming(text: str) -> bool:
    """TEXT is klp_module_coming()'s `livepatch: applying patch 'P' to loading module 'M'`."""
    end = text.find("'", len(_COMING)) if text.startswith(_COMING) else -1
    return end >= 0 and text.startswith("' to loading module ", end)


def lead(command: str, after: list[Line]) -> int:
    """How long before its first line (in AFTER) COMMAND was typed: what the kernel's cost model
    (kernel/cost.py) says it takes to get there. A module load reaches its init after
    load_module() and its sysfs (the first line of a livepatch applied to the loading module
    comes before the sysfs); rmmod's first line is the module's exit function's; anything else
    enters the kernel with one system call."""
    import kernel.cost  # (not `from kernel.cost import`: that probes the module for __path__,
    c = kernel.cost.COST_NS  # an AttributeError made and dropped at every call)

    first = next((ln for ln in after if ln.ts_ns is not None), None)
    words = command.split()
    if words[:1] == ["rmmod"] or words[:2] == ["modprobe", "-r"]:
        return c["syscall"] + c["guest_call"]
    if not words or words[0] not in _LOADS:
        return c["syscall"]
    coming = c["syscall"] + c["load_module"]
    if first is not None and _applies_to_coming(first.text):
        return coming
    return coming + c["mod_sysfs_setup"] + c["guest_call"]


def _planned_times(blocks: list[tuple[Line, list[Line]]]) -> list[int | None]:
    """Issue time of each command: its first timestamp less its lead(), else after the last
    one seen. In a transcript typed on a rhythm (gaps between first lines, no `sleep` pacing
    it), a command plan() finds waiting for its lines is issued when plan() types it, so it
    blocks for them as it did (issued at its lines' time, the lines of what it waits for
    could come before it and the replay would boot again to issue it earlier).

    `sleep` is issued right after the previous command's output, like a command without lines.
    """
    leads = [lead(cmd.text, after) for cmd, after in blocks]
    each = _stamps(blocks)
    waits = [_waits(cmd.text) for cmd, _after in blocks]
    typed = not any(waits) and _gaps(blocks, each)
    steps = plan(blocks, leads, each) if typed else None
    times: list[int | None] = []
    last_ts: int | None = None
    for i, stamps in enumerate(each):
        if steps is not None and steps[i].waits:
            times.append(steps[i].at)
        elif stamps and not waits[i]:
            times.append(max(stamps[0] - leads[i], 0))
        elif last_ts is not None:
            times.append(last_ts + US)
        else:
            times.append(None)
        if stamps:
            last_ts = max(stamps)
    return times


# --- a transcript as a batch script ----------------------------------------------------------
# The document's commands were typed on a steady rhythm (one every ~2 s), and a command's own
# lines follow the moment it is typed, so a command is issued its lead() before its first line. Two
# cases need care, and both follow from the transcript alone:
# * a command that prints nothing (`rmmod` of a disabled patch) is typed on the rhythm, and never
#   before the lines the previous commands still owed (a transition completing) have been shown;
# * a command whose first line comes much later than the rhythm allows was *waiting* for it
#   (Test 9: `rmmod` of the busy module blocks in cancel_delayed_work_sync() until the 30 s worker
#   finishes). It is typed on the rhythm and blocks; the next gap counts from its last line.


class Step(RecordTuple):
    """When one command of a transcript is typed."""

    command: str
    at: int          # planned issue time (ns since boot)
    waits: bool      # typed before its lines are due: it blocks until they come


def _stamps(blocks: list[tuple[Line, list[Line]]]) -> list[list[int]]:
    """The timestamps of each command's lines, in order."""
    return [[ln.ts_ns for ln in after if ln.ts_ns is not None] for _cmd, after in blocks]


def _first_ts(after: list[Line]) -> int | None:
    return next((ln.ts_ns for ln in after if ln.ts_ns is not None), None)


def _last_ts(after: list[Line]) -> int | None:
    stamps = [ln.ts_ns for ln in after if ln.ts_ns is not None]
    return max(stamps) if stamps else None


def _gaps(blocks: list[tuple[Line, list[Line]]], stamps: list[list[int]] | None = None) -> list[int]:
    """The spacings of the first lines of consecutive commands that both have lines (STAMPS:
    their _stamps(), if known)."""
    firsts = [s[0] if s else None for s in (stamps if stamps is not None else _stamps(blocks))]
    return [b - a for a, b in zip(firsts, firsts[1:]) if a is not None and b is not None and b > a]


def rhythm(blocks: list[tuple[Line, list[Line]]], stamps: list[list[int]] | None = None) -> int:
    """The typing rhythm: median spacing of the first lines of consecutive commands (as
    statistics.median takes it, without replay paying 4 ms to import statistics)."""
    gaps = sorted(_gaps(blocks, stamps))
    if not gaps:
        return NSEC_PER_SEC
    mid = len(gaps) // 2
    return int(gaps[mid] if len(gaps) % 2 else (gaps[mid - 1] + gaps[mid]) / 2)


def plan(blocks: list[tuple[Line, list[Line]]], leads: list[int] | None = None,
         stamps: list[list[int]] | None = None) -> list[Step]:
    """When each command is typed (see above); LEADS: each command's lead(), STAMPS: the
    _stamps() of BLOCKS, if known."""
    each = stamps if stamps is not None else _stamps(blocks)
    beat = rhythm(blocks, each)
    steps: list[Step] = []
    shown: int | None = None     # the last timestamp of everything before this command
    for i, (cmd, after) in enumerate(blocks):
        mine = each[i]
        first = mine[0] if mine else None
        ahead = leads[i] if leads is not None else lead(cmd.text, after)
        slot = steps[-1].at + beat if steps else None
        if first is not None and (slot is None or first - ahead <= slot + beat // 2):
            at, waits = first - ahead, False
        else:
            at, waits = (slot if slot is not None else 0), first is not None
        if shown is not None:
            floor = shown + beat // 4
            at = max(at, min(floor, first - ahead) if first is not None else floor)
        steps.append(Step(cmd.text, at, waits))
        shown = max(mine) if mine else shown
    return steps


def to_script(lines: list[Line]) -> list[str]:
    """A transcript as a batch script: its commands with `sleep` for the gaps, and a last
    `sleep` for the lines still to come. `klpsh SCRIPT`, or typing it into the REPL, shows the
    transcript again."""
    _pre, blocks = _blocks(lines)
    out: list[str] = []
    clock = 0
    for step, (_cmd, after) in zip(plan(blocks), blocks):
        if step.at > clock:
            out.append(f"sleep {_seconds(step.at - clock)}")
            clock = step.at
        out.append(step.command)
        last = _last_ts(after)
        if step.waits and last is not None:
            clock = last  # it returned with its last line
    stamps = [ln.ts_ns for ln in lines if ln.ts_ns is not None]
    if stamps:
        out.append(f"sleep {_seconds(max(max(stamps) - clock, 0) + NSEC_PER_SEC)}")
    return out


def _seconds(ns: int) -> str:
    whole, frac = divmod(ns, NSEC_PER_SEC)
    return f"{whole}.{frac:09d}".rstrip("0").rstrip(".")


class _Restart(Exception):
    def __init__(self, index: int, when: int) -> None:
        super().__init__(index, when)
        self.index = index
        self.when = when


class _Run:
    """One replay attempt of one file on a fresh machine.

    What each command showed is matched against what the transcript has after it as a
    subsequence: a line the transcript does not have (an extra notice, a warning) is passed
    over, and only a line that belongs to the *next* command means that command was issued too
    late (replay then restarts with it earlier). So one unexpected line never moves the plan.
    """

    def __init__(self, kernel: object, blocks: list[tuple[Line, list[Line]]],
                 times: list[int | None], restarts: bool = True, pre: list[Line] | None = None) -> None:
        from klpsh.shell import Shell

        self.kernel = kernel
        self.blocks = blocks
        self.times = times
        self.restarts = restarts
        self.actual: list[Line] = []
        self.block_start = 0          # index in actual where the current command's lines start
        self.expected_block: list[Line] = _relevant(pre or [])
        self.expected_keys = [ln.key() for ln in self.expected_block]
        self.matched = 0              # how many of expected_block have been shown, in order
        self.scanned = 0              # the index in actual up to which lines were matched
        # kernel lines come to _console() as records, during commands too (not as the
        # shell's text, to be parsed back)
        self.shell = Shell(kernel, self._out, console=False)

    def _out(self, raw: str) -> None:
        parsed = parse_line(raw)
        if parsed is not None:
            self.actual.append(parsed)

    def _console(self, record: object) -> None:
        """A kernel line as parse_line() reads its console form `[%5lu.%06lu] text`."""
        ts: int = record.ts_ns  # type: ignore[attr-defined]
        self.actual.append(Line(KERNEL, record.text.rstrip(), ts - ts % US))  # type: ignore[attr-defined]

    def _start_block(self, after: list[Line]) -> None:
        self.block_start = self.scanned = len(self.actual)
        self.expected_block = _relevant(after)
        self.expected_keys = [ln.key() for ln in self.expected_block]
        self.matched = 0

    def run(self) -> list[Line]:
        k = self.kernel
        for i, (cmd, after) in enumerate(self.blocks):
            when = self.times[i]
            self._advance(max(when or 0, k.clock.now), next_index=i)  # type: ignore[attr-defined]
            self._start_block(after)
            consoles = k.printk.consoles  # type: ignore[attr-defined]
            consoles.append(self._console)
            try:
                self.shell.run_line(cmd.text)
            finally:
                consoles.remove(self._console)
            if self.shell.exit_status is not None:
                break
        # Lines the last command still owes (a transition completing, a worker finishing).
        stamps = [ln.ts_ns for _c, after in self.blocks for ln in after if ln.ts_ns is not None]
        limit = max(stamps) + TAIL_SLACK if stamps else k.clock.now  # type: ignore[attr-defined]
        consoles = k.printk.consoles  # type: ignore[attr-defined]
        consoles.append(self._console)
        try:
            for _ in range(MAX_STEPS):
                nxt = k.next_event_time()  # type: ignore[attr-defined]
                if not self._missing() or nxt is None or nxt > limit:
                    break
                k.run_until_time(max(nxt, k.clock.now))  # type: ignore[attr-defined]
        finally:
            consoles.remove(self._console)
        return self.actual

    def _advance(self, target: int, next_index: int | None) -> None:
        """Run events up to TARGET one at a time, showing kernel lines as they are logged.

        If a line shows up that belongs to the next command (and not to what the current one
        still owes), that command was planned too late: restart with it issued just before
        that line's event.
        """
        k = self.kernel
        consoles = k.printk.consoles  # type: ignore[attr-defined]
        consoles.append(self._console)
        try:
            steps = 0
            while steps < MAX_STEPS:
                steps += 1
                nxt = k.next_event_time()  # type: ignore[attr-defined]
                now = k.clock.now  # type: ignore[attr-defined]
                if nxt is None or nxt > target:
                    break
                before = len(self.actual)
                k.run_until_time(max(nxt, now))  # type: ignore[attr-defined]
                if self.restarts and next_index is not None and self._early(next_index, before):
                    new_ts = [ln.ts_ns for ln in self.actual[before:] if ln.ts_ns is not None]
                    when = (min(new_ts) if new_ts else nxt) - US
                    raise _Restart(next_index, when)
                if k.next_event_time() == nxt and k.clock.now == now and len(self.actual) == before:  # type: ignore[attr-defined]
                    break  # no progress; let run_until_time move the clock
            if target > k.clock.now:  # type: ignore[attr-defined]
                k.run_until_time(target)  # type: ignore[attr-defined]
            # Lines still expected before the command (the machine is a little slower than the
            # transcript): run on, event by event, until they are shown or LATE_SLACK passed.
            limit = target + LATE_SLACK
            while next_index is not None and self._missing() and steps < MAX_STEPS:
                steps += 1
                nxt = k.next_event_time()  # type: ignore[attr-defined]
                if nxt is None or nxt > limit:
                    break
                k.run_until_time(max(nxt, k.clock.now))  # type: ignore[attr-defined]
        finally:
            consoles.remove(self._console)

    def _match(self) -> list[Line]:
        """Advance the subsequence match over the lines shown since the last call (the
        current command's, but for the shell's echo of the command itself and what
        _relevant() leaves out); the lines that matched nothing still expected (extras)."""
        actual, keys = self.actual, self.expected_keys
        extras = []
        for i in range(self.scanned, len(actual)):
            ln = actual[i]
            if i == self.block_start and ln.kind == CMD:
                continue
            if ln.kind != CMD and _ignored(ln.text):
                continue
            key = ln.key()
            try:
                self.matched = keys.index(key, self.matched) + 1
            except ValueError:
                extras.append(ln)
        self.scanned = len(actual)
        return extras

    def _missing(self) -> bool:
        """Are lines of the current command still to come?"""
        self._match()
        return self.matched < len(self.expected_block)

    def _early(self, next_index: int, before: int) -> bool:
        """Did the lines just shown (from index BEFORE) include one the next command owes?"""
        extras = {ln.key() for ln in self._match()}
        if not extras:
            return False
        nxt = {ln.key() for ln in _relevant(self.blocks[next_index][1])}
        return bool(extras & nxt)


Out = Union[Callable[[str], None], IO[str]]


def _writer(out: Out | None) -> Callable[[str], None]:
    """A line printer for OUT (a stream, or a callable taking lines); a closed pipe goes quiet."""
    if out is None:
        out = sys.stdout
    if hasattr(out, "write"):
        from klpsh.cli import LineWriter
        return LineWriter(out)  # type: ignore[arg-type]
    return out  # type: ignore[return-value]


def _read(path: str) -> list[Line]:
    with open(path, encoding="utf-8", errors="replace") as f:
        return parse(f.read())


class ReplayError(Exception):
    """A transcript that can't be replayed at all; the message is the one line to show."""


def _load(path: str) -> list[Line]:
    """The lines of transcript PATH; ReplayError if it can't be read or holds no command."""
    try:
        lines = _read(path)
    except OSError as e:
        raise ReplayError(f"klpsh: replay: {path}: {e.strerror or e}") from None
    if not _blocks(lines)[1]:
        raise ReplayError(f"klpsh: replay: {path}: no commands in transcript")
    return lines


def _boot_history(machine: object, lines: list[Line]) -> None:
    """The transcript's boot said the TAINT_LIVEPATCH notice before it starts (it does not
    show it): the machine has said it too, so it does not spend console time on it then."""
    from kernel.module.main import TAINT_LIVEPATCH_ONCE

    if not any(ln.text.endswith(LIVEPATCH_TAINT) for ln in lines if ln.kind != CMD):
        machine.printk.once.add(TAINT_LIVEPATCH_ONCE)  # type: ignore[attr-defined]


def _replay_run(path: str, elf_cache: object = None, kernel: str | None = None,
                ) -> tuple[list[Line], list[tuple[Line, list[Line]]], "_Run"]:
    """Replay PATH on fresh machines until the command times fit: (pre, blocks, final run)."""
    pre, blocks = _blocks(_load(path))
    times = _planned_times(blocks)
    from kernel.machine import Kernel

    run: _Run | None = None
    restarts = True
    for attempt in range(MAX_RESTARTS + 2):
        try:
            machine = Kernel.boot(clock_mode="virtual", elf_cache=elf_cache, kernel=kernel)
        except Exception as e:  # noqa: BLE001 - a one-line error, never a traceback
            raise ReplayError(f"klpsh: replay: {path}: boot failed: {type(e).__name__}: {e}") from None
        _boot_history(machine, pre + [ln for cmd, after in blocks for ln in after])
        try:
            run = _Run(machine, blocks, times, restarts and attempt < MAX_RESTARTS, pre)
            run.run()
            break
        except _Restart as r:
            cur = times[r.index]
            if cur is not None and r.when >= cur:
                restarts = False  # moving it earlier does not help: replay as planned, show the diff
                continue
            times = list(times)
            times[r.index] = max(r.when, 0)
        except Exception as e:  # noqa: BLE001
            raise ReplayError(f"klpsh: replay: {path}: internal error: {type(e).__name__}: {e}") from None
        finally:
            machine.shutdown()  # the run keeps what it showed; the machine is done
            if run is not None:
                run.shell = None  # type: ignore[assignment]  (its output is the run's method)
    assert run is not None
    return pre, blocks, run


def _show(ln: Line) -> str:
    """A line as the transcript writes it."""
    if ln.kind == CMD:
        return f"% {ln.text}"
    if ln.ts_ns is not None:
        sec, ns = divmod(ln.ts_ns, NSEC_PER_SEC)
        return f"[{sec:5d}.{ns // 1000:06d}] {ln.text}"
    return ln.text


def differences(want: list[Line], got: list[Line], tolerance: float | None = None) -> list[str]:
    """What differs between the transcript (WANT) and the replay (GOT), one line each, naming
    the transcript's line: missing lines, extra lines, different lines and, with TOLERANCE
    (seconds), lines whose time is off by more than that. Empty when they agree."""
    report: list[str] = []
    a_keys, b_keys = [ln.key() for ln in want], [ln.key() for ln in got]
    if a_keys == b_keys:           # the usual case: one equal run (difflib not even imported)
        opcodes = [("equal", 0, len(want), 0, len(got))]
    else:
        import difflib

        opcodes = difflib.SequenceMatcher(a=a_keys, b=b_keys, autojunk=False).get_opcodes()
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            if tolerance is None:
                continue
            for a, b in zip(want[i1:i2], got[j1:j2]):
                if a.ts_ns is not None and b.ts_ns is not None and \
                        abs(b.ts_ns - a.ts_ns) > tolerance * NSEC_PER_SEC:
                    delta = (b.ts_ns - a.ts_ns) / NSEC_PER_SEC
                    report.append(f"  line {a.lineno}: {delta:+.6f} s off (tolerance {tolerance:g} s): "
                                  f"{_show(a)}  replay: {_show(b)[:15]}")
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(pairs):
            a, b = want[i1 + k], got[j1 + k]
            report.append(f"  line {a.lineno}: expected: {_show(a)}")
            report.append(f"  {' ' * len(str(a.lineno))}       got:      {_show(b)}")
        for a in want[i1 + pairs:i2]:
            report.append(f"  line {a.lineno}: missing: {_show(a)}")
        anchor = want[i1 - 1].lineno if i1 else 0
        for b in got[j1 + pairs:j2]:
            where = f"after line {anchor}" if anchor else "before line 1"
            report.append(f"  {where}: extra: {_show(b)}")
    return report


def replay_file(path: str, elf_cache: object = None, tolerance: float | None = None,
                kernel: str | None = None, timeline: str | None = None,
                ) -> tuple[bool, list[str], float | None]:
    """Replay one file on KERNEL ("4.19", the default, or "5.4"): (matched, report lines after
    the verdict, largest |Δt| in seconds).

    Lines are compared by text; with TOLERANCE (seconds) their times must also agree within it.
    TIMELINE (a directory): the run's transitions are drawn there as <name>.svg (the last) and
    <name>-N.svg (each).
    """
    try:
        pre, blocks, run = _replay_run(path, elf_cache, kernel)
    except ReplayError as e:
        return False, [str(e)], None
    if timeline is not None:
        from klpsh.timeline import write_svgs

        try:
            write_svgs(run.kernel, os.path.join(timeline, Path(path).stem + ".svg"), every=True)
        except OSError as e:
            return False, [f"klpsh: replay: {timeline}: {e.strerror or e}"], None
    want = _relevant(pre + [ln for cmd, after in blocks for ln in [cmd] + after])
    got = _relevant(run.actual)
    report = differences(want, got, tolerance)
    if report:
        return False, report, None
    devs = [abs(a.ts_ns - b.ts_ns) for a, b in zip(want, got)
            if a.ts_ns is not None and b.ts_ns is not None]
    return True, [], (max(devs) / 1e9 if devs else 0.0)


USAGE = ("usage: klpsh replay [--script] [--kernel 4.19|5.4] [--tolerance SECONDS] "
         "[--timeline DIR] FILE...")
KERNELS = ("4.19", "5.4")      # kernel/profile.py KERNEL_NAMES (not imported: start-up budget)


def _options(args: list[str]) -> tuple[dict[str, object], list[str]] | str:
    """--script, --kernel NAME, --tolerance SECONDS, --timeline DIR; the files. A string is an
    error."""
    opts: dict[str, object] = {"script": False, "tolerance": None, "timeline": None, "kernel": None}
    paths: list[str] = []
    it = iter(args)
    for a in it:
        name, eq, value = a.partition("=")
        if a == "--script":
            opts["script"] = True
        elif name in ("--tolerance", "--timeline", "--kernel"):
            value = value if eq else next(it, "")
            if not value:
                return f"klpsh replay: option '{name}' requires an argument"
            if name == "--tolerance":
                try:
                    tol = float(value)
                except ValueError:
                    tol = -1.0
                if not tol >= 0:
                    return f"klpsh replay: invalid tolerance '{value}' (seconds, e.g. 0.005)"
                opts["tolerance"] = tol
            elif name == "--kernel":
                if value not in KERNELS:
                    return (f"klpsh replay: invalid kernel '{value}' "
                            f"(choose from {', '.join(KERNELS)})")
                opts["kernel"] = value
            else:
                opts["timeline"] = value
        elif a.startswith("-") and a != "-":
            return USAGE
        else:
            paths.append(a)
    if not paths:
        return USAGE
    return opts, paths


def replay(paths: Iterable[str], out: Out | None = None) -> int:
    """`klpsh replay FILE...`: 0 iff every transcript replays exactly.

    `--script` prints each transcript as a batch script with its timing instead;
    `--kernel 5.4` boots that kernel instead of 4.19;
    `--tolerance SECONDS` also fails lines whose time is off by more than that (by default
    timestamps only give the largest deviation); `--timeline DIR` writes each file's last
    transition as DIR/<name>.svg.
    """
    write = _writer(out)
    parsed = _options(list(paths))
    if isinstance(parsed, str):
        write(parsed)
        return 2
    opts, files = parsed
    if opts["script"]:
        return _print_scripts(files, write)
    # A machine nobody holds is freed by reference counting (kernel/teardown.py), so the
    # cycle collector is off while the replays run (its young passes walked what they made:
    # ~2.7 ms of the nine); what they leave alive then joins the oldest generation in one move
    # (freeze, unfreeze: no pass over it when the collector is back on).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _replay_files(files, opts, write)
    finally:
        if collecting:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def _replay_files(files: list[str], opts: dict[str, object], write: Callable[[str], None]) -> int:
    """Replay FILES (one ElfCache for all), writing each verdict; 0 iff all matched."""
    try:
        from kernel.module.elf import ElfCache
        cache: object = ElfCache()
    except Exception:  # noqa: BLE001
        cache = None
    status = 0
    tolerance = opts["tolerance"]
    for path in files:
        try:
            ok, report, dev = replay_file(path, cache, tolerance,  # type: ignore[arg-type]
                                          opts["kernel"], opts["timeline"])  # type: ignore[arg-type]
        except Exception as e:  # noqa: BLE001
            ok, report, dev = False, [f"klpsh: replay: {path}: internal error: {type(e).__name__}: {e}"], None
        if ok:
            write(f"ok   {path} (max Δt {dev or 0.0:.6f} s)")
        else:
            status = 1
            errors = [ln for ln in report if ln.startswith("klpsh: ")]
            for ln in errors:
                write(ln)
            write(f"FAIL {path}")
            for ln in report:
                if ln not in errors:
                    write(ln)
    return status


def _print_scripts(paths: list[str], write: Callable[[str], None]) -> int:
    status = 0
    for path in paths:
        try:
            lines = _load(path)
        except ReplayError as e:
            write(str(e))
            status = 1
            continue
        write(f"# {path} as a script: its commands, with the gaps its timestamps imply")
        for line in to_script(lines):
            write(line)
    return status


def main(paths: Iterable[str]) -> int:
    """Entry point used by klpsh.cli for `klpsh replay`."""
    return replay(list(paths), sys.stdout)
