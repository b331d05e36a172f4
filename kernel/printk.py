"""printk: the ring buffer of records, console sinks and dynamic debug (kernel/printk/)."""

from __future__ import annotations

import fnmatch
from contextlib import contextmanager
from typing import Callable, Iterator, TypeVar

from kernel.record import field, record

T = TypeVar("T")

KERN_SOH = "\001"
LOGLEVEL_DEFAULT = 4  # MESSAGE_LOGLEVEL_DEFAULT: KERN_WARNING
LEVEL_NAMES = ("emerg", "alert", "crit", "err", "warn", "notice", "info", "debug")
(KERN_EMERG, KERN_ALERT, KERN_CRIT, KERN_ERR, KERN_WARNING, KERN_NOTICE, KERN_INFO,
 KERN_DEBUG) = range(8)
LOG_BUF_RECORDS = 1 << 14


@record(eq=False)
class Record:
    """One dmesg line: sequence number, timestamp (ns), level and text."""

    seq: int
    ts_ns: int
    level: int
    text: str
    facility: int = 0

    def format(self) -> str:
        """The console/dmesg form: `[%5lu.%06lu] text`."""
        sec, ns = divmod(self.ts_ns, 1_000_000_000)
        return f"[{sec:5d}.{ns // 1000:06d}] {self.text}"


def split_level(msg: str) -> tuple[int | None, bool, str]:
    """Strip KERN_* prefixes: (level or None, is KERN_CONT, text)."""
    level: int | None = None
    cont = False
    while len(msg) >= 2 and msg[0] == KERN_SOH:
        c = msg[1]
        if "0" <= c <= "7":
            level = int(c)
        elif c == "c":
            cont = True
        elif c != "d":
            break
        msg = msg[2:]
    return level, cont, msg


def _match(subject: str, pattern: str) -> bool:
    """fnmatch.fnmatchcase(SUBJECT, PATTERN); a pattern with no wildcard is not compiled."""
    if "*" in pattern or "?" in pattern or "[" in pattern:
        return fnmatch.fnmatchcase(subject, pattern)
    return subject == pattern


@record(eq=False)
class DynamicDebug:
    """Dynamic debug control: which pr_debug sites print (`file`, `func`, `module` rules)."""

    rules: list[tuple[str, str, bool]] = field(default_factory=list)

    def enabled(self, file: str, func: str, module: str = "") -> bool:
        on = False
        for kind, pattern, flag in self.rules:
            subject = {"file": file, "func": func, "module": module}.get(kind, "")
            if _match(subject, pattern):
                on = flag
        return on

    def control(self, query: str) -> None:
        """Apply one `<keyword> <pattern> [+-]p` query (/proc/dynamic_debug/control)."""
        words = query.split()
        if len(words) != 3 or words[0] not in ("file", "func", "module") or words[2] not in ("+p", "-p"):
            raise ValueError(query)
        self.rules.append((words[0], words[1], words[2] == "+p"))

    def show(self) -> str:
        return "".join(f"{k} {p} {'+' if f else '-'}p\n" for k, p, f in self.rules)


class Printk:
    """The log buffer: records in order, consoles called as each record is stored."""

    def __init__(self, now: Callable[[], int]) -> None:
        self._now = now
        self.records: list[Record] = []
        self.first_seq = 0
        self.next_seq = 0
        self.clear_seq = 0
        self.consoles: list[Callable[[Record], None]] = []
        self.dyndbg = DynamicDebug()
        self._partial: tuple[int, str, int] | None = None  # (level, text, ts) of an unterminated line
        self.once: set[str] = set()
        self._held: list[tuple[Callable[..., None], tuple]] | None = None
        self._deferred: list[tuple[Callable[..., None], tuple]] = []
        self.console_suspend = 0        # suspend_console() depth: records are stored, not shown
        self.cost: Callable[[Record], None] | None = None   # what its console write takes (cost.py)

    @contextmanager
    def console_suspended(self) -> Iterator[None]:
        """suspend_console()/resume_console(): while inside, records reach no console."""
        self.console_suspend += 1
        try:
            yield
        finally:
            self.console_suspend -= 1

    def safe_context(self, fn: Callable[[], T]) -> T:
        """Run FN with printk in its "safe" context (4.19 printk_safe: vprintk_store() runs
        under logbuf_lock): what FN logs is held back, then logged after the caller's own
        record, as the deferred flush of the per-CPU buffer does."""
        if self._held is not None:
            return fn()
        self._held = []
        try:
            return fn()
        finally:
            held, self._held = self._held, None
            self._deferred = held

    def flush_deferred(self) -> None:
        """Log what the last safe_context() held back (printk_safe_flush)."""
        held, self._deferred = self._deferred, []
        for method, args in held:
            method(*args)

    def printk(self, msg: str) -> None:
        """vprintk_emit(): one call, with a KERN_* prefix or a continuation. The lines of one
        call are one 4.19 record, which the console prints line by line under one timestamp;
        a continued line keeps the time of its first fragment (cont.ts_nsec). Only KERN_CONT
        continues an unterminated line (log_output()); any other call flushes it first."""
        if self._held is not None:
            self._held.append((self.printk, (msg,)))
            return
        level, cont, text = split_level(msg)
        ts = None
        if self._partial is not None:
            plevel, ptext, pts = self._partial
            if cont:
                text = ptext + text
                level, ts = plevel, pts
            else:
                self._partial = None
                self._store(plevel, ptext, pts)
        if level is None:
            level = LOGLEVEL_DEFAULT
        if ts is None:
            ts = self._now()
        lines = text.split("\n")
        *complete, rest = lines
        self._partial = None
        for line in complete:
            self._store(level, line, ts)
        if rest:
            self._partial = (level, rest, ts)

    def flush(self) -> None:
        """Store a pending unterminated line (the console does this on the next record)."""
        if self._partial is not None:
            level, text, ts = self._partial
            self._partial = None
            self._store(level, text, ts)

    def log(self, level: int, text: str) -> None:
        """Store one complete line at LEVEL (the host-side pr_* helpers)."""
        if self._held is not None:
            self._held.append((self.log, (level, text)))
            return
        self.flush()
        for line in text.rstrip("\n").split("\n"):
            self._store(level, line)

    def _store(self, level: int, text: str, ts: int | None = None) -> None:
        rec = Record(self.next_seq, self._now() if ts is None else ts, level, text)
        self.next_seq += 1
        self.records.append(rec)
        if len(self.records) > LOG_BUF_RECORDS:
            drop = len(self.records) - LOG_BUF_RECORDS
            del self.records[:drop]
            self.first_seq = self.records[0].seq
        if not self.console_suspend:
            for console in list(self.consoles):
                console(rec)
        if self.cost is not None:
            self.cost(rec)

    def since(self, seq: int) -> list[Record]:
        """Records with sequence number >= SEQ still in the buffer."""
        start = max(seq, self.first_seq) - self.first_seq
        return self.records[start:]

    def clear(self) -> None:
        """dmesg -C: forget everything logged so far."""
        self.flush()
        self.clear_seq = self.next_seq


class Logger:
    """pr_* for one kernel source file: pr_fmt prefix, dynamic debug identity."""

    def __init__(self, pk: Printk, prefix: str, file: str, module: str = "") -> None:
        self.pk, self.prefix, self.file, self.module = pk, prefix, file, module

    def _emit(self, level: int, msg: str) -> None:
        self.pk.log(level, self.prefix + msg)

    def emerg(self, msg: str) -> None: self._emit(KERN_EMERG, msg)
    def err(self, msg: str) -> None: self._emit(KERN_ERR, msg)
    def warn(self, msg: str) -> None: self._emit(KERN_WARNING, msg)
    def notice(self, msg: str) -> None: self._emit(KERN_NOTICE, msg)
    def info(self, msg: str) -> None: self._emit(KERN_INFO, msg)

    def debug(self, func: str, msg: str) -> None:
        """pr_debug: printed only where dynamic debug enables the call site."""
        if self.pk.dyndbg.enabled(self.file, func, self.module):
            self._emit(KERN_DEBUG, msg)

    def notice_once(self, key: str, msg: str) -> None:
        if key not in self.pk.once:
            self.pk.once.add(key)
            self.notice(msg)


DEFAULT_RATELIMIT_INTERVAL_JIFFIES = 5 * 1000     # 5 * HZ
DEFAULT_RATELIMIT_BURST = 10


@record(eq=False)
class RateLimit:
    """struct ratelimit_state of a pr_*_ratelimited() call site (lib/ratelimit.c's rules)."""

    interval: int = DEFAULT_RATELIMIT_INTERVAL_JIFFIES
    burst: int = DEFAULT_RATELIMIT_BURST
    begin: int | None = None
    printed: int = 0
    missed: int = 0

    def ok(self, printk: "Printk", jiffies: int, func: str) -> bool:
        """___ratelimit(): whether this call may print; a new window reports the missed."""
        if self.begin is None:
            self.begin = jiffies
        if jiffies > self.begin + self.interval:
            if self.missed:
                printk.log(KERN_WARNING, f"{func}: {self.missed} callbacks suppressed")
            self.begin, self.printed, self.missed = jiffies, 0, 0
        if self.burst > self.printed:
            self.printed += 1
            return True
        self.missed += 1
        return False
