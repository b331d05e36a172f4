"""Pictures of transitions: what the livepatch core records (kernel/livepatch/history.py), the
`timeline` command's terminal picture, and the SVG (`klpsh --timeline`, `klpsh replay
--timeline`), rendered by a real browser (headless Chromium) and checked by what it shows."""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from conftest import ROOT, needs_kernel

pytestmark = needs_kernel

SYS = "/sys/kernel/livepatch"
DEMO, BUSY = "livepatch_callbacks_demo", "livepatch_callbacks_busymod"
CHROMIUM = Path("/usr/bin/chromium")
S = 1_000_000_000


class Sh:
    """A booted machine and the batch shell on it; `run` returns what a line printed."""

    def __init__(self) -> None:
        from kernel.machine import Kernel
        from klpsh.shell import Shell

        self.k = Kernel.boot(clock_mode="virtual")
        self.out: list[str] = []
        self.shell = Shell(self.k, self.out.append, cwd=ROOT)

    def run(self, line: str) -> list[str]:
        start = len(self.out)
        self.shell.run_line(line)
        got = self.out[start + 1:]
        assert not any("Traceback" in t or "internal error" in t for t in got), got
        return got


def _stalled(sh: Sh) -> None:
    """busymod's worker asleep in busymod_work_func while the demo patches; signal, then force."""
    sh.run("insmod samples/livepatch/livepatch-callbacks-busymod.ko sleep_secs=30")
    sh.run("sleep 1")
    sh.run("insmod samples/livepatch/livepatch-callbacks-demo.ko")
    sh.run("sleep 3")
    sh.run(f"echo 1 > {SYS}/{DEMO}/signal")
    sh.run("sleep 2")
    sh.run(f"echo 1 > {SYS}/{DEMO}/force")
    sh.run("sleep 2")


@pytest.fixture(scope="module")
def stalled():
    sh = Sh()
    _stalled(sh)
    yield sh
    sh.k.shutdown()


def _worker(rec):
    (track,) = [t for t in rec.rows() if t.blocked and t.comm.startswith("kworker/")]
    return track


def test_the_core_records_attempts_reasons_signal_force_and_completion(stalled) -> None:
    rec = stalled.k.livepatch.history.find(None)
    assert rec.patch == DEMO and rec.outcome == "complete" and rec.number == 1
    kinds = [e.kind for e in rec.events if e.kind != "attempt"]
    assert kinds == ["init", "start", "signal", "force", "complete"]
    worker = _worker(rec)
    # every failed attempt for the same reason is one run, with its count and first/last times
    (run,) = worker.blocked
    assert run.reporter == "klp_check_stack" and run.func == "busymod_work_func"
    assert run.count >= 4 and run.last - run.first >= 3 * S
    assert run.count == sum(e.count for e in rec.events if e.kind == "attempt") - 1  # all but the last
    # unpatched from init until force put it in the patched state
    force = next(e for e in rec.events if e.kind == "force")
    assert worker.states[0][1:] == (0, "init") and worker.states[-1] == (force.first, 1, "force")
    assert worker.state_at(force.first - 1) == 0 and worker.state_at(force.first) == 1
    # tasks that switched at the first attempt
    systemd = next(t for t in rec.rows() if t.comm == "systemd")
    first_attempt = next(e for e in rec.events if e.kind == "attempt").first
    assert systemd.states == [(rec.init_at, 0, "init"), (first_attempt, 1, "switch attempt")]
    # consecutive attempts that left the same tasks pending are one event
    assert len([e for e in rec.events if e.kind == "attempt"]) <= 4


def test_memory_stays_bounded() -> None:
    from kernel.livepatch import history as h
    from kernel.sched import Task, TaskKind

    clock = [0]
    hist = h.TransitionHistory(lambda: clock[0])
    tasks = [Task(pid, f"t{pid}", TaskKind.KTHREAD) for pid in range(1, 50)]
    for n in range(h.KEEP_TRANSITIONS + 5):
        hist.init("p", 1, tasks)
        if 0 < n < h.KEEP_TRANSITIONS + 4:       # the first and the last are long: the rest are
            hist.event("complete")               # counted past, forgotten in between
            continue
        for i in range(3000):                    # the same result again and again: one run each
            clock[0] += S
            for t in tasks:
                hist.attempt_failed(t, "klp_check_stack", "is sleeping on function f")
            hist.attempted(len(tasks))
        rec = hist.current
        assert all(len(t.blocked) == 1 and t.blocked[0].count == 3000 for t in rec.tasks.values())
        assert sum(e.kind == "attempt" for e in rec.events) == 1
        for i in range(3000):                    # a different reason every time: capped
            clock[0] += S
            hist.attempt_failed(tasks[0], "klp_check_stack", f"is sleeping on function f{i}")
        assert len(rec.tasks[(1, -1)].blocked) < h.MAX_RECORDS and rec.dropped > 0
        hist.event("complete")
    assert len(hist.records) == h.KEEP_TRANSITIONS
    assert hist.find("1") is None and hist.find(str(hist.count)) is hist.records[-1]


def test_timeline_draws_the_last_transition_in_the_terminal(stalled) -> None:
    out = stalled.run("timeline -w 40")
    assert out[0].startswith(f"transition 1: '{DEMO}' patching: complete, ")
    rows = {m[2]: m[3] for m in (re.match(r"^ *(\d+) (\S+) +(.{40})$", ln) for ln in out) if m}
    worker = next(v for k, v in rows.items() if k.startswith("kworker/0:1"))
    # held up (S) from the first attempt until force: then patched (#) to the end
    assert re.fullmatch(r"S+\.*#+", worker), worker
    assert set(rows["systemd"]) == {"#"}
    events = next(ln for ln in out if ln.startswith("events"))
    assert ">" in events and "!" in events and "F" in events and "|" in events
    assert events.index(">") < events.index("!") < events.index("F") < events.index("|")
    text = "\n".join(out)
    assert re.search(r"signal: signaling remaining tasks: kworker/0:1:\d+", text)
    assert re.search(r"kworker/0:1\S*:\d+ is sleeping on function busymod_work_func "
                     r"\(klp_check_stack\): \d+ attempts", text)
    assert re.search(r"kworker/0:1\S*:\d+ patched at \[ *\d+\.\d{6}\] \(force\)", text)


def test_timeline_by_number_by_patch_and_list() -> None:
    sh = Sh()
    try:
        assert sh.run("timeline") == ["timeline: no transition yet"]
        sh.run("insmod samples/livepatch/livepatch-callbacks-demo.ko")
        sh.run("sleep 2")
        sh.run(f"echo 0 > {SYS}/{DEMO}/enabled")
        sh.run("sleep 2")
        assert sh.run("timeline")[0].startswith(f"transition 2: '{DEMO}' unpatching: complete")
        assert sh.run("timeline 1")[0].startswith(f"transition 1: '{DEMO}' patching: complete")
        assert sh.run("timeline livepatch-callbacks-demo")[0].startswith("transition 2:")
        listing = sh.run("timeline -l")
        assert listing[0].split() == ["N", "START", "END", "OUTCOME", "TRIES", "PATCH"]
        assert [ln.split()[0] for ln in listing[1:]] == ["1", "2"]
        assert listing[2].split()[3:] == ["complete", "2", DEMO, "unpatching"]
        assert sh.run("timeline 7") == ["timeline: no transition '7'"]
        assert sh.run("timeline nosuch") == ["timeline: no transition 'nosuch'"]
        assert sh.run("timeline -w x") == ["timeline: invalid width 'x' (10 to 1000 columns)"]
        assert sh.run("timeline -q")[0] == "timeline: invalid option -- 'q'"
        assert sh.run("timeline 1 2") == ["timeline: too many arguments"]
    finally:
        sh.k.shutdown()


def test_reverse_shows_tasks_going_back() -> None:
    sh = Sh()
    try:
        sh.run("insmod samples/livepatch/livepatch-callbacks-busymod.ko sleep_secs=30")
        sh.run("insmod samples/livepatch/livepatch-callbacks-demo.ko")
        sh.run("sleep 2")
        sh.run(f"echo 0 > {SYS}/{DEMO}/enabled")
        sh.run("sleep 2")
        rec = sh.k.livepatch.history.find(None)
        assert rec.reversed and rec.outcome == "complete"
        rev = next(e for e in rec.events if e.kind == "reverse")
        # a task that had switched to patched goes back to unpatched after the reverse
        back = [t for t in rec.rows() if [s for _, s, _ in t.states] == [0, 1, 0]]
        assert back and all(t.states[2][0] >= rev.first for t in back)
        out = sh.run("timeline")
        assert "(reversed)" in out[0] and "<" in next(ln for ln in out if ln.startswith("events"))
    finally:
        sh.k.shutdown()


# --- SVG, in a browser ----------------------------------------------------------------------

def _png_pixels(data: bytes) -> tuple[int, int, list[bytes], int]:
    """(width, height, rows of raw pixels, bytes per pixel) of an 8-bit RGB/RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    assert ihdr is not None
    w, h, depth, ctype, _, _, interlace = ihdr
    assert depth == 8 and ctype in (2, 6) and not interlace
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, rows, bpp


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    profile.mkdir()
    return subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--hide-scrollbars", "--force-device-scale-factor=1",
         f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=120, cwd=tmp_path)


@pytest.fixture(scope="module")
def svg(stalled, tmp_path_factory):
    from klpsh.timeline import write_svgs

    d = tmp_path_factory.mktemp("svg")
    (path,) = write_svgs(stalled.k, str(d / "t.svg"))
    return Path(path)


browser = pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"),
                             reason="Debian's chromium is not installed (.ci/run installs it)")


@browser
def test_the_browser_shows_every_task_row_and_the_labels(stalled, svg, tmp_path) -> None:
    done = _chromium(tmp_path, "--dump-dom", svg.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    rec = stalled.k.livepatch.history.find(None)
    rows = re.findall(r'<g class="task" data-pid="(\d+)" data-comm="([^"]+)"', dom)
    assert [(int(p), c) for p, c in rows] == [(t.pid, t.comm) for t in rec.rows()]
    labels = re.findall(r'<text class="label"[^>]*>([^<]*)</text>', dom)
    assert f"{_worker(rec).pid} {_worker(rec).comm}" in labels and "1 systemd" in labels
    assert re.search(r'<text class="why"[^>]*>in busymod_work_func x\d+</text>', dom)
    for kind in ("start", "signal", "force", "complete"):
        assert f'data-kind="{kind}"' in dom


@browser
def test_the_browser_paints_the_state_bars_where_the_data_says(stalled, svg, tmp_path) -> None:
    from klpsh import timeline as tl

    m = re.search(r'<svg [^>]*width="(\d+)" height="(\d+)"', svg.read_text())
    width, height = int(m[1]), int(m[2])
    png = tmp_path / "t.png"
    done = _chromium(tmp_path, f"--window-size={width},{height}", f"--screenshot={png}", svg.as_uri())
    assert done.returncode == 0 and png.exists(), done.stderr[-2000:]
    w, h, pixels, bpp = _png_pixels(png.read_bytes())
    assert (w, h) == (width, height)

    def rgb(x: float, y: float) -> str:
        i = int(x) * bpp
        return "#%02x%02x%02x" % tuple(pixels[int(y)][i:i + 3])

    rec = stalled.k.livepatch.history.find(None)
    t0, t1 = tl.span(rec, stalled.k.clock.now)
    g = tl.Geometry(t0, t1)
    rows = rec.rows()
    worker = _worker(rec)
    wi = rows.index(worker)
    force = next(e for e in rec.events if e.kind == "force").first
    mid = g.row_y(wi) + tl.BAR_H / 2
    assert rgb(g.x((t0 + force) // 2), mid) == tl.COLOR[0]       # unpatched while held up
    assert rgb(g.x((force + t1) // 2), mid) == tl.COLOR[1]       # patched once forced
    si = next(i for i, t in enumerate(rows) if t.comm == "systemd")
    assert rgb(g.x((t0 + t1) // 2), g.row_y(si) + tl.BAR_H / 2) == tl.COLOR[1]
    # the outline of the held-up run: its colour on the row's edge inside the run, not after it
    (run,) = worker.blocked
    edge = g.row_y(wi) - 2
    assert rgb(g.x((run.first + run.last) // 2), edge) == tl.BLOCK_COLOR["S"]
    assert rgb(g.x((force + t1) // 2), edge) != tl.BLOCK_COLOR["S"]
    # the label column names the function
    why_x = g.left + g.width + 12
    assert any(rgb(x, mid - 2) == tl.BLOCK_COLOR["S"] for x in range(why_x, why_x + 120))


def test_batch_and_replay_write_svg_files(tmp_path) -> None:
    script = tmp_path / "s.klp"
    script.write_text("insmod samples/livepatch/livepatch-callbacks-demo.ko\nsleep 2\n"
                      f"echo 0 > {SYS}/{DEMO}/enabled\nsleep 2\n")
    out = tmp_path / "pics" / "t.svg"
    done = subprocess.run([sys.executable, "-m", "klpsh", str(script), "--timeline", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.parent.iterdir()) == ["t-1.svg", "t-2.svg", "t.svg"]
    assert out.read_text() == (out.parent / "t-2.svg").read_text()
    assert "unpatching: complete" in out.read_text()
    nothing = subprocess.run([sys.executable, "-m", "klpsh", "-", "--timeline", str(tmp_path / "n.svg")],
                             input="ls\n", capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert nothing.returncode == 1 and "no livepatch transition to draw" in nothing.stderr
    d = tmp_path / "replayed"
    done = subprocess.run([sys.executable, "-m", "klpsh", "replay", "--timeline", str(d),
                           "transcripts/callbacks-test-1.txt"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0 and done.stdout.startswith("ok"), done.stdout
    assert sorted(p.name for p in d.iterdir()) == ["callbacks-test-1-1.svg", "callbacks-test-1-2.svg",
                                                   "callbacks-test-1.svg"]


def test_batch_without_timeline_imports_no_drawing_code() -> None:
    code = ("import sys; from klpsh.cli import run_batch; import io; "
            "run_batch(['insmod samples/livepatch/livepatch-callbacks-demo.ko', 'sleep 2', "
            "'timeline -l'], 'virtual', io.StringIO()); print('klpsh.timeline' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert done.stdout.split() == ["True"]           # `timeline -l` asked for it
    code = code.replace(", 'timeline -l'", "")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert done.stdout.split() == ["False"]
