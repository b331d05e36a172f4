"""Start-up: `klpsh SCRIPT` to its first command's output, and `klpsh` on a pty to its first prompt.

Targets (issue 13): batch start to the first output <= 150 ms with bytecode cached, <= 200 ms as
set up (PYTHONDONTWRITEBYTECODE=1, no bytecode cache); REPL start to the first prompt (pty)
<= 250 ms cached. Also: batch and replay modes do not import prompt_toolkit. Each start is a new
process, timed from spawning it to reading the line, each beside one run of the floor.

    .venv/bin/python bench/bench_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import (ROOT, TRANSCRIPTS, Report, child_cpu, interleaved, klpsh_command, main_guard,
                     median, start_modes)

BATCH_TARGET_S = {"cached": 0.150, "as set up": 0.200}
REPL_TARGET_S = 0.250
FIRST_COMMAND = "cat /proc/cmdline"
PROMPT_MARK = "klpsh-bench>"

# Run in a child: the mode's code path, then say which UI libraries got imported.
_IMPORT_PROBE = r"""
import io, sys, contextlib
from klpsh.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    main(sys.argv[1:])
print(",".join(sorted({m.split(".")[0] for m in sys.modules} & {"prompt_toolkit", "pygments"})) or "-")
"""


def batch_first_output(script: Path, env: dict[str, str]) -> tuple[float, str]:
    """Seconds from spawn to the first line after the command's echo, and that line."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(klpsh_command() + [str(script)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, bufsize=1, env=env)
    assert proc.stdout is not None
    first, first_line, echoed = -1.0, "", False
    for line in proc.stdout:
        if not echoed:
            echoed = line.startswith("% ")
            continue
        if first < 0:
            first, first_line = time.perf_counter() - t0, line.rstrip("\n")
    proc.wait()
    return first, first_line


def imported_ui(args: list[str]) -> str:
    out = subprocess.run([sys.executable, "-c", _IMPORT_PROBE, *args], capture_output=True,
                         text=True, cwd=ROOT)
    lines = out.stdout.strip().splitlines()
    return lines[-1] if out.returncode == 0 and lines else f"probe failed: {out.stderr.strip()[-200:]}"


def repl_first_prompt(env: dict[str, str]) -> float:
    """Seconds from spawning `klpsh` on a pty to its first prompt."""
    import pexpect
    env = dict(env, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm", COLUMNS="120", LINES="40")
    cmd = klpsh_command()
    t0 = time.perf_counter()
    child = pexpect.spawn(cmd[0], cmd[1:] + ["--prompt", PROMPT_MARK + " "], env=env,
                          encoding="utf-8", timeout=15, dimensions=(40, 120))
    try:
        child.expect_exact(PROMPT_MARK)
        took = time.perf_counter() - t0
        child.sendeof()
        child.expect(pexpect.EOF, timeout=5)
        return took
    finally:
        child.close(force=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=9, help="starts per mode (default 9)")
    opts = ap.parse_args()
    rep = Report("start-up: klpsh to the first command's output / the first prompt")

    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "first.klp"
        script.write_text(FIRST_COMMAND + "\n")
        modes = start_modes(tmp)
        for mode, env in modes:
            lines: list[str] = []
            cpus: list[float] = []

            def one() -> float:
                c0 = child_cpu()
                first, line = batch_first_output(script, env)
                cpus.append(child_cpu() - c0)      # the whole run (it ends right after)
                lines.append(line)
                return first
            firsts, floors = interleaved(opts.runs, one, env)
            rep.check(f"the first command printed its output, {mode}",
                      all(f > 0 for f in firsts) and all(lines), repr(lines[-1]))
            rep.figure(f"batch start to first output, {mode}", firsts, BATCH_TARGET_S[mode],
                       floor=floors, command=True,
                       detail=f"cpu median of the whole run {median(cpus) * 1e3:.0f} ms")

        for mode, args in (("batch", [str(script)]),
                           ("replay", ["replay", str(TRANSCRIPTS / "callbacks-test-1.txt")])):
            ui = imported_ui(args)
            ok = not ui.startswith("probe failed") and "prompt_toolkit" not in ui
            rep.check(f"{mode} mode does not import prompt_toolkit", ok, f"UI modules imported: {ui}")

        if importlib.util.find_spec("pexpect") is None:
            rep.skip("REPL start to first prompt", "pexpect is not installed (pip install -e '.[test]')")
        else:
            cached = dict(modes)["cached"]
            repl_first_prompt(cached)                      # compiles the UI modules into the cache
            prompts, floors = interleaved(opts.runs, lambda: repl_first_prompt(cached), cached)
            rep.figure("REPL start to first prompt (pty), cached", prompts, REPL_TARGET_S,
                       floor=floors, command=True)
    return rep.done()


if __name__ == "__main__":
    os.chdir(ROOT)
    main_guard(main)
