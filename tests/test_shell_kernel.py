"""The batch shell on the real kernel: issue 2's "Done when" scenario and kmod wording end to end."""

from __future__ import annotations

import re
from pathlib import Path

from klpsh.shell import Shell

REPO = Path(__file__).resolve().parent.parent
NSEC_PER_SEC = 1_000_000_000
JIFFY_NS = 4_000_000  # the worker may start a few ticks (HZ=1000) after init
# msleep(5000) is a timer 5000 jiffies out: the timer wheel rounds it up to its 512-jiffy level.
WHEEL_SLACK_NS = 512_000_000
LINE = re.compile(r"\[ *(\d+)\.(\d{6})\] (.*)")
# Once-per-boot notices that a loader may print for out-of-tree modules; not part of the scenario.
TAINT_NOTICE = re.compile(r".*: (loading out-of-tree module taints kernel\.|module verification failed.*"
                          r"|tainting kernel with TAINT_LIVEPATCH)")


def _run(lines: list[str]) -> tuple[list[str], "object"]:
    from kernel.machine import Kernel

    k = Kernel.boot(clock_mode="virtual")
    out: list[str] = []
    Shell(k, out.append, cwd=REPO).run_script(lines)
    return [ln for ln in out if not TAINT_NOTICE.fullmatch(LINE.sub(r"\3", ln))], k


def _split(out: list[str]) -> list[tuple[int | None, str]]:
    """(timestamp in ns or None, text) for each output line."""
    result: list[tuple[int | None, str]] = []
    for ln in out:
        m = LINE.fullmatch(ln)
        result.append((int(m[1]) * NSEC_PER_SEC + int(m[2]) * 1000, m[3]) if m else (None, ln))
    return result


def test_busymod_done_when() -> None:
    out, k = _run([
        "insmod samples/livepatch/livepatch-callbacks-busymod.ko sleep_secs=5",
        "sleep 6",
        "cat /sys/module/livepatch_callbacks_busymod/parameters/sleep_secs",
        "rmmod livepatch_callbacks_busymod",
    ])
    got = _split(out)
    assert [text for _, text in got] == [
        "% insmod samples/livepatch/livepatch-callbacks-busymod.ko sleep_secs=5",
        "livepatch_callbacks_busymod: livepatch_callbacks_mod_init",
        "livepatch_callbacks_busymod: busymod_work_func, sleeping 5 seconds ...",
        "% sleep 6",
        "livepatch_callbacks_busymod: busymod_work_func exit",
        "% cat /sys/module/livepatch_callbacks_busymod/parameters/sleep_secs",
        "5",
        "% rmmod livepatch_callbacks_busymod",
        "livepatch_callbacks_busymod: livepatch_callbacks_mod_exit",
    ]
    t_init, t_work, t_exit, t_rmmod = (t for t, _ in got if t is not None)
    assert t_init is not None and t_work is not None and t_exit is not None and t_rmmod is not None
    assert 0 <= t_work - t_init <= JIFFY_NS, "the work starts right after init"
    assert 5 * NSEC_PER_SEC <= t_exit - t_work <= 5 * NSEC_PER_SEC + WHEEL_SLACK_NS, "msleep(5000)"
    assert t_rmmod >= t_init + 6 * NSEC_PER_SEC, "rmmod runs after the 6 s sleep"
    assert "livepatch_callbacks_busymod" not in k.modules


def test_rmmod_blocks_until_the_worker_is_done() -> None:
    out, _ = _run([
        "insmod samples/livepatch/livepatch-callbacks-busymod.ko sleep_secs=30",
        "sleep 1",
        "rmmod samples/livepatch/livepatch-callbacks-busymod.ko",
    ])
    got = _split(out)
    texts = [text for _, text in got]
    assert texts[-3:] == ["% rmmod samples/livepatch/livepatch-callbacks-busymod.ko",
                          "livepatch_callbacks_busymod: busymod_work_func exit",
                          "livepatch_callbacks_busymod: livepatch_callbacks_mod_exit"]
    t_work = next(t for t, text in got if text.endswith("sleeping 30 seconds ..."))
    t_done = got[-2][0]
    assert t_work is not None and t_done is not None and t_done - t_work >= 30 * NSEC_PER_SEC


def test_kmod_wording_on_the_real_kernel(tmp_path: Path) -> None:
    (tmp_path / "junk.ko").write_bytes(b"\x7fELF" + bytes(60))
    out, _ = _run([
        f"insmod {tmp_path}/junk.ko",
        "insmod samples/livepatch/livepatch-callbacks-busymod.ko",
        "insmod samples/livepatch/livepatch-callbacks-busymod.ko",
        "modprobe livepatch-callbacks-busymod",
        "lsmod",
        "echo 2 > /sys/module/livepatch_callbacks_busymod/parameters/sleep_secs",
        "cat /sys/module/livepatch_callbacks_busymod/parameters/sleep_secs",
        "echo x > /sys/module/livepatch_callbacks_busymod/parameters/sleep_secs",
        "sleep 1",
        "rmmod livepatch_callbacks_busymod",
        "rmmod livepatch_callbacks_busymod",
    ])
    texts = [text for _, text in _split(out)]
    for expected in [
        f"insmod: ERROR: could not insert module {tmp_path}/junk.ko: Invalid module format",
        "insmod: ERROR: could not insert module samples/livepatch/livepatch-callbacks-busymod.ko: File exists",
        "2",
        "bash: echo: write error: Invalid argument",
        "rmmod: ERROR: Module livepatch_callbacks_busymod is not currently loaded",
    ]:
        assert expected in texts
    lsmod = texts.index("Module                  Size  Used by")
    assert re.fullmatch(r"livepatch_callbacks_busymod +\d+  0", texts[lsmod + 1])
    modprobe = texts.index("% modprobe livepatch-callbacks-busymod")
    assert texts[modprobe + 1] == "% lsmod", "modprobe of a loaded module is silent"


def test_readme_tour_prints_the_documents_test_1() -> None:
    readme = (REPO / "README.md").read_text()
    script = readme.split("cat > test1.klp <<'EOF'\n", 1)[1].split("    EOF\n", 1)[0]
    out, _ = _run([ln.strip() for ln in script.splitlines()])
    demo, mod = "livepatch_callbacks_demo", "livepatch_callbacks_mod"
    live = f"{mod} -> [MODULE_STATE_LIVE] Normal state"
    assert [text for _, text in _split(out) if not text.startswith("% sleep")] == [
        "% insmod samples/livepatch/livepatch-callbacks-mod.ko",
        f"{mod}: {mod}_init",
        "% insmod samples/livepatch/livepatch-callbacks-demo.ko",
        f"livepatch: enabling patch '{demo}'",
        f"livepatch: '{demo}': initializing patching transition",
        f"{demo}: pre_patch_callback: vmlinux",
        f"{demo}: pre_patch_callback: {live}",
        f"livepatch: '{demo}': starting patching transition",
        f"livepatch: '{demo}': completing patching transition",
        f"{demo}: post_patch_callback: vmlinux",
        f"{demo}: post_patch_callback: {live}",
        f"livepatch: '{demo}': patching complete",
        f"% echo 0 > /sys/kernel/livepatch/{demo}/enabled",
        f"livepatch: '{demo}': initializing unpatching transition",
        f"{demo}: pre_unpatch_callback: vmlinux",
        f"{demo}: pre_unpatch_callback: {live}",
        f"livepatch: '{demo}': starting unpatching transition",
        f"livepatch: '{demo}': completing unpatching transition",
        f"{demo}: post_unpatch_callback: vmlinux",
        f"{demo}: post_unpatch_callback: {live}",
        f"livepatch: '{demo}': unpatching complete",
        "% rmmod samples/livepatch/livepatch-callbacks-mod.ko",
        f"{mod}: {mod}_exit",
        "% rmmod samples/livepatch/livepatch-callbacks-demo.ko",
    ]
