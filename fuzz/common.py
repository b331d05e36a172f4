"""What a fuzz run counts: internal errors, hangs, rule violations, each with a few samples."""

from __future__ import annotations

import re
import signal
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.module.elf import ElfCache

# A Python kernel function that failed is reported as a BUG at its own .py line: a klpsh bug.
HOST_BUG = re.compile(r"kernel BUG at (\S+\.py):(\d+)!")
SHELL_BUG = ("klpsh: internal error", "Traceback (most recent call last)")
HANG_S = 60.0          # wall time one case may take before it counts as a hang
SAMPLES = 5


class Hang(BaseException):
    """A case ran past HANG_S of wall time (a BaseException: kernel code never catches it)."""


@dataclass
class Findings:
    """Tallies of one target's run."""

    target: str
    cases: int = 0
    internal: int = 0
    hangs: int = 0
    violations: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    samples: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def note(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1

    def _sample(self, what: str) -> None:
        if len(self.samples) < SAMPLES:
            self.samples.append(what)

    def internal_error(self, what: str) -> None:
        self.internal += 1
        self._sample(f"internal error: {what}")

    def hang(self, what: str) -> None:
        self.hangs += 1
        self._sample(f"hang: {what}")

    def violation(self, what: str) -> None:
        self.violations += 1
        self._sample(f"rule violation: {what}")

    @property
    def clean(self) -> bool:
        return not (self.internal or self.hangs or self.violations)

    def summary(self) -> str:
        return (f"{self.target}: {self.cases} cases, {self.internal} internal errors, "
                f"{self.hangs} hangs, {self.violations} rule violations ({self.seconds:.1f} s)")


def host_bugs(lines: list[str]) -> list[str]:
    """The `kernel BUG at FILE.py:LINE!` lines among kernel lines."""
    return [m[0] for m in map(HOST_BUG.search, lines) if m]


def shell_bugs(lines: list[str]) -> list[str]:
    return [line for line in lines if any(b in line for b in SHELL_BUG)]


@contextmanager
def deadline(seconds: float = HANG_S) -> Iterator[None]:
    """Raise Hang in the running case once SECONDS of wall time have passed (main thread)."""
    def _alarm(_sig: int, _frame: object) -> None:
        raise Hang(f"over {seconds:.0f} s")
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


class Timer:
    def __init__(self, f: Findings) -> None:
        self.f = f

    def __enter__(self) -> "Timer":
        self.t0 = time.monotonic()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.f.seconds += time.monotonic() - self.t0


def watched_boot(elf_cache: "ElfCache | None" = None) -> "Kernel":
    """A fresh machine whose kernel lines are also kept in k.fuzz_lines, for host_bugs()."""
    from kernel.machine import Kernel
    k = Kernel.boot(elf_cache=elf_cache)
    k.fuzz_lines = []   # type: ignore[attr-defined]
    k.printk.consoles.append(lambda r: k.fuzz_lines.append(r.text))   # type: ignore[attr-defined]
    return k


def power_off(k: "Kernel") -> None:
    """Shut K down, whatever state a case left it in."""
    try:
        k.shutdown()
    except Exception:  # noqa: BLE001 - a machine a hang left mid-call may not unwind cleanly
        pass


class Case:
    """One case on machine K, counted alike by every target: under a deadline, a hang, a panic
    (the machine is dead: a fresh one is needed), an unexpected Python exception (a klpsh bug)
    and the `kernel BUG at FILE.py` lines it logged. The target's own outcomes are caught in
    the body; it sets .fresh when the machine must be replaced."""

    def __init__(self, findings: Findings, k: "Kernel", what: str) -> None:
        self.findings, self.k, self.what = findings, k, what
        self.fresh = False

    def __enter__(self) -> "Case":
        self.start = len(self.k.fuzz_lines)   # type: ignore[attr-defined]
        self.findings.cases += 1
        self._deadline = deadline()
        self._deadline.__enter__()
        return self

    def __exit__(self, typ: type[BaseException] | None, e: BaseException | None,
                 _tb: object) -> bool:
        from kernel.panic import MachineDead
        self._deadline.__exit__(None, None, None)
        if typ is not None and issubclass(typ, MachineDead):   # panic(), or an Oops where 4.19 panics
            self.findings.note("panicked")
        elif typ is not None and issubclass(typ, Hang):
            self.findings.hang(self.what)
        elif typ is not None and issubclass(typ, Exception):   # what the fuzzer is looking for
            self.findings.internal_error(f"{self.what}: {typ.__name__}: {e}")
        elif typ is not None:
            return False                                       # KeyboardInterrupt and the like
        self.fresh |= typ is not None
        for bug in host_bugs(self.k.fuzz_lines[self.start:]):   # type: ignore[attr-defined]
            self.findings.internal_error(f"{self.what}: {bug}")
        return True
