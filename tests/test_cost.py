"""The virtual-time cost model (kernel/cost.py): the lines of one command get distinct,
plausible times, deterministically, and replayed transcripts land near the document's."""

from __future__ import annotations

import io
import statistics
from pathlib import Path

import pytest

from conftest import ROOT, needs_kernel
from kernel import cost

pytestmark = needs_kernel

SYS = "/sys/kernel/livepatch"
DEMO = "livepatch_callbacks_demo"
US = 1_000


def _records(lines: list[str]):
    from kernel.machine import Kernel
    from klpsh.shell import Shell

    k = Kernel.boot(clock_mode="virtual")
    try:
        sh = Shell(k, lambda _l: None, cwd=ROOT)
        for line in lines:
            sh.run_line(line)
        return [(r.ts_ns, r.text) for r in k.printk.records]
    finally:
        k.shutdown()


def _at(recs, text: str) -> int:
    return next(ts for ts, t in recs if t.endswith(text))


def test_lines_of_one_command_are_spread_as_the_document_shows() -> None:
    recs = _records(["insmod samples/livepatch/livepatch-callbacks-busymod.ko sleep_secs=30",
                     "sleep 2", "insmod samples/livepatch/livepatch-callbacks-demo.ko"])
    demo = [(ts, t) for ts, t in recs if ts >= 2_000_000_000]
    stamps = [ts for ts, _ in demo]
    assert len(demo) >= 6 and stamps == sorted(set(stamps)), demo   # distinct, in order
    # "enabling patch" reaches the console before klp_init_transition's pr_debug: ~0.5 ms
    enabling = _at(recs, f"enabling patch '{DEMO}'")
    gap = _at(recs, "initializing patching transition") - enabling
    line = next(r for r in _kernel_records(recs) if r.text.endswith(f"enabling patch '{DEMO}'"))
    assert 400 * US <= gap <= 700 * US and gap >= cost.console_ns(line)
    # a pr_debug line is only stored: the callback after it comes ~25 us later
    gap = _at(recs, "pre_patch_callback: vmlinux") - _at(recs, "initializing patching transition")
    assert 10 * US <= gap <= 50 * US
    # patching busymod_work_func registers its ftrace ops: ~3 ms more before the start
    gap = _at(recs, "starting patching transition") - _at(recs, "[MODULE_STATE_LIVE] Normal state")
    assert gap >= cost.COST_NS["ftrace_register"]
    # a module's init runs ~1 ms after insmod was typed (load_module, its sysfs)
    assert 900 * US <= _at(recs, "busymod: livepatch_callbacks_mod_init") <= 1_500 * US


def _kernel_records(recs):
    from kernel.printk import KERN_NOTICE, Record

    return [Record(0, ts, KERN_NOTICE, t) for ts, t in recs]


def test_the_model_is_deterministic() -> None:
    script = ["insmod samples/livepatch/livepatch-callbacks-demo.ko", "sleep 2",
              f"echo 0 > {SYS}/{DEMO}/enabled", "sleep 2", "rmmod livepatch_callbacks_demo"]
    assert _records(script) == _records(script)


def test_console_cost_by_level_and_length() -> None:
    from kernel.printk import KERN_DEBUG, KERN_INFO, Record

    short, long = (Record(0, 0, KERN_INFO, "x" * n) for n in (10, 110))
    assert cost.console_ns(Record(0, 0, KERN_DEBUG, "x" * 50)) == 0
    assert cost.console_ns(long) - cost.console_ns(short) == 100 * cost.CONSOLE_CHAR_NS


def test_boot_takes_no_time() -> None:
    from kernel.machine import Kernel

    k = Kernel.boot(clock_mode="virtual")
    try:
        assert k.clock.now == 0 and k.watchdog.costs
    finally:
        k.shutdown()


def test_replayed_transcripts_land_near_the_documents_times() -> None:
    """Before the model every line of a command had one time: the median |Δt| was 1.03 ms."""
    from klpsh import transcript as tr

    deltas = []
    for path in sorted((ROOT / "transcripts").glob("callbacks-test-*.txt")):
        pre, blocks, run = tr._replay_run(str(path))
        want = tr._relevant(pre + [ln for cmd, after in blocks for ln in [cmd] + after])
        got = tr._relevant(run.actual)
        assert [a.key() for a in want] == [b.key() for b in got]
        deltas += [abs(a.ts_ns - b.ts_ns) for a, b in zip(want, got)
                   if a.ts_ns is not None and b.ts_ns is not None]
    assert statistics.median(deltas) < 200 * US
    assert sum(d > 1_100 * US for d in deltas) <= 3     # Test 4's retry (3 lines) a wheel bucket late
    out = io.StringIO()
    assert tr.replay(["--tolerance", "0.002", str(ROOT / "transcripts" / "callbacks-test-1.txt")],
                     out) == 0, out.getvalue()
