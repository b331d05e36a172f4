"""Shared helpers of the benchmarks: timing, child-process timing, and the verdict lines.

Every benchmark prints its figures as

    <what>: <figure> (target < <limit>)  PASS|MISS

plus informational lines without a verdict, and exits 0 if every target is met, 1 if one is
missed, 2 if the benchmark itself could not run.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

ROOT = Path(__file__).resolve().parent.parent
TRANSCRIPTS = ROOT / "transcripts"
MODULES = ROOT / "modules"


def klpsh_command() -> list[str]:
    """The installed `klpsh` of this interpreter's environment (fresh install: .venv/bin/klpsh)."""
    script = Path(sys.executable).parent / "klpsh"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "klpsh"]


@dataclass
class Sample:
    """One measured run: wall and CPU seconds (CPU of this process, all threads)."""

    wall: float
    cpu: float


def measure(fn: Callable[[], object]) -> Sample:
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    return Sample(time.perf_counter() - w0, time.process_time() - c0)


def child_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run_child(argv: Sequence[str], **kw: object) -> tuple[Sample, subprocess.CompletedProcess]:
    """Run a child process to the end; wall time and its CPU time (user + system)."""
    c0, w0 = child_cpu(), time.perf_counter()
    proc = subprocess.run(list(argv), capture_output=True, text=True, **kw)  # type: ignore[call-overload]
    return Sample(time.perf_counter() - w0, child_cpu() - c0), proc


def median(xs: Sequence[float]) -> float:
    return statistics.median(xs)


def fmt_s(v: float) -> str:
    """Seconds in the most readable unit."""
    if v < 0.01:
        return f"{v * 1e3:.3f} ms"
    if v < 1:
        return f"{v * 1e3:.1f} ms"
    return f"{v:.3f} s"


@dataclass
class Report:
    """Collects figures and verdicts of one benchmark and prints them."""

    title: str
    missed: int = 0
    checked: int = 0
    lines: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        print(f"== {self.title}")
        print(f"   python {sys.version.split()[0]} on {os.cpu_count()} cpu(s); figures are medians unless said")

    def target(self, what: str, value: float, limit: float, detail: str = "") -> bool:
        """A figure with a time target (seconds): PASS if VALUE < LIMIT."""
        ok = value < limit
        self.checked += 1
        self.missed += not ok
        extra = f"  [{detail}]" if detail else ""
        print(f"{what}: {fmt_s(value)} (target < {fmt_s(limit)})  {'PASS' if ok else 'MISS'}{extra}")
        return ok

    def check(self, what: str, ok: bool, detail: str = "") -> bool:
        """A yes/no requirement."""
        self.checked += 1
        self.missed += not ok
        extra = f"  [{detail}]" if detail else ""
        print(f"{what}: {'PASS' if ok else 'MISS'}{extra}")
        return ok

    def info(self, what: str, text: str) -> None:
        print(f"   {what}: {text}")

    def samples(self, what: str, xs: Sequence[Sample]) -> None:
        """Wall and CPU of repeated runs: median, min, max."""
        walls = [s.wall for s in xs]
        cpus = [s.cpu for s in xs]
        self.info(what, f"wall median {fmt_s(median(walls))} (min {fmt_s(min(walls))}, "
                        f"max {fmt_s(max(walls))}); cpu median {fmt_s(median(cpus))}; n={len(xs)}")

    def skip(self, what: str, why: str) -> None:
        print(f"{what}: SKIP ({why})")

    def done(self) -> int:
        print(f"== {self.title}: {self.checked - self.missed}/{self.checked} targets met")
        return 1 if self.missed else 0


def rss_mb() -> float:
    """Current resident set size of this process in MiB (Linux /proc)."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / (1 << 20)
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main_guard(fn: Callable[[], int]) -> None:
    """Run a benchmark's main; an unexpected error prints its traceback and exits 2."""
    try:
        sys.exit(fn())
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception:  # noqa: BLE001 - a benchmark that cannot run says why, in full
        traceback.print_exc()
        print("bench error: the benchmark could not run", file=sys.stderr)
        sys.exit(2)


def power_off(kernel: object) -> None:
    """End a machine's task threads (Kernel.shutdown), where this version has it."""
    shutdown = getattr(kernel, "shutdown", None)
    if shutdown is not None:
        shutdown()


def start_modes(tmp: str) -> list[tuple[str, dict[str, str]]]:
    """Environments to start klpsh in: as this environment is set up, and, where that forbids
    bytecode caching (PYTHONDONTWRITEBYTECODE), also with a warm bytecode cache in TMP (what a
    default Python does after the first run)."""
    env = dict(os.environ)
    modes = [("as set up here", env)]
    if env.get("PYTHONDONTWRITEBYTECODE"):
        cached = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
        cached["PYTHONPYCACHEPREFIX"] = tmp
        subprocess.run(klpsh_command() + ["replay", str(TRANSCRIPTS / "callbacks-test-1.txt")],
                       env=cached, capture_output=True, cwd=ROOT)  # fills the cache
        modes.append(("bytecode cached", cached))
    return modes
