"""Shared helpers of the benchmarks: timing, child-process timing, the import floor, and the
verdict lines.

Every target of issue 13's table is one line

    FIGURE <what>: min X / median Y / max Z <unit> | floor min/median/max ... | target <= T  PASS|MISS

(the floor, `python -c 'import unicorn, elftools'`, measured in the same run, where the figure is
a time a command takes), other requirements one `<what>: PASS|MISS` line each, details indented.
A benchmark exits 0 if every target is met, 1 if one is missed, 2 if it could not run.
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


FLOOR_CODE = "import unicorn, elftools"


def floor_once(env: dict[str, str] | None = None) -> float:
    """Wall seconds of one `python -c 'import unicorn, elftools'` (this interpreter)."""
    s, proc = run_child([sys.executable, "-c", FLOOR_CODE], env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"the floor did not run: {proc.stderr.strip()[-200:]}")
    return s.wall


def interleaved(runs: int, measure_one: Callable[[], float],
                env: dict[str, str] | None = None) -> tuple[list[float], list[float]]:
    """RUNS of MEASURE_ONE, each beside one run of the floor (so both see the same load):
    (figures, floors)."""
    figures, floors = [], []
    for _ in range(runs):
        floors.append(floor_once(env))
        figures.append(measure_one())
    return figures, floors


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
        print(f"   python {sys.version.split()[0]}; {load_average()} at the start; "
              f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")

    def target(self, what: str, value: float, limit: float, detail: str = "") -> bool:
        """A figure with a time target (seconds): PASS if VALUE < LIMIT."""
        ok = value < limit
        self.checked += 1
        self.missed += not ok
        extra = f"  [{detail}]" if detail else ""
        print(f"{what}: {fmt_s(value)} (target < {fmt_s(limit)})  {'PASS' if ok else 'MISS'}{extra}")
        return ok

    def figure(self, what: str, values: Sequence[float], limit: float, unit: str = "s",
               floor: Sequence[float] | None = None, detail: str = "",
               command: bool = False) -> bool:
        """A target of the issue's table: min / median / max of VALUES against LIMIT (the median
        must be <= LIMIT), the floor measured in the same run beside it. UNIT: s (shown in ms
        below a second), MiB or x (a ratio)."""
        med = median(values)
        ok = med <= limit
        self.checked += 1
        self.missed += not ok
        show = _unit(unit, med)
        text = (f"FIGURE {what}: min {show(min(values))} / median {show(med)} / "
                f"max {show(max(values))}")
        if floor:
            fl = _unit("s", median(floor))
            text += f" | floor {fl(min(floor))} / {fl(median(floor))} / {fl(max(floor))}"
            if command:
                text += f" (x{med / median(floor):.2f})"
        text += f" | target <= {_unit(unit, limit)(limit)}  {'PASS' if ok else 'MISS'}"
        if detail:
            text += f"  [{detail}]"
        print(text)
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


def _unit(unit: str, scale: float) -> Callable[[float], str]:
    """How to print figures of UNIT whose largest is SCALE."""
    if unit == "s":
        if scale < 0.01:
            return lambda v: f"{v * 1e3:.3f} ms"
        if scale < 1:
            return lambda v: f"{v * 1e3:.1f} ms"
        return lambda v: f"{v:.3f} s"
    if unit == "MiB":
        return lambda v: f"{v:.1f} MiB"
    return lambda v: f"{v:.3f}{unit}"


def load_average() -> str:
    """The machine's load (1, 5, 15 min) as /proc/loadavg has it, with the CPU count."""
    try:
        with open("/proc/loadavg") as f:
            one, five, fifteen = f.read().split()[:3]
        return f"load average {one}, {five}, {fifteen} on {os.cpu_count()} cpu(s)"
    except OSError:
        return f"load average unknown on {os.cpu_count()} cpu(s)"


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
    """The environments of the issue's table, each with what its name says:
      - "cached": bytecode cached (a warm PYTHONPYCACHEPREFIX in TMP, what a default Python
        has after its first run);
      - "as set up": PYTHONDONTWRITEBYTECODE=1 and no bytecode cache at all (klpsh's own cache
        under ~/.cache turned off, KLPSH_NO_BYTECODE_CACHE=1): every start compiles klpsh.
    """
    base = {k: v for k, v in os.environ.items()
            if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX", "KLPSH_NO_BYTECODE_CACHE")}
    cached = dict(base, PYTHONPYCACHEPREFIX=os.path.join(tmp, "pycache"))
    subprocess.run(klpsh_command() + ["replay", str(TRANSCRIPTS / "callbacks-test-1.txt")],
                   env=cached, capture_output=True, cwd=ROOT)  # fills the cache
    as_set_up = dict(base, PYTHONDONTWRITEBYTECODE="1", KLPSH_NO_BYTECODE_CACHE="1")
    return [("cached", cached), ("as set up", as_set_up)]
