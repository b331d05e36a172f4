"""Start-up: `klpsh SCRIPT` to its first command's output, and `klpsh` to the REPL's first prompt.

Targets (DESIGN.md, Performance budget):
  - start-up to the first batch command's output: under 0.25 s;
  - batch and replay modes do not import prompt_toolkit;
  - to the REPL's first prompt: under 0.4 s (measured under pexpect when klpsh/repl.py exists;
    skipped with a message otherwise).
Each start is a new process; the time runs from spawning it to reading the line.

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

from _common import (ROOT, TRANSCRIPTS, Report, child_cpu, klpsh_command, main_guard, median,
                     start_modes)

BATCH_TARGET_S = 0.25
REPL_TARGET_S = 0.4
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


def batch_first_output(script: Path, env: dict[str, str]) -> tuple[float, float, float, str]:
    """Seconds from spawn to the first line after the command's echo; the whole run's wall and
    CPU seconds; that line."""
    c0 = child_cpu()
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
    return first, time.perf_counter() - t0, child_cpu() - c0, first_line


def imported_ui(args: list[str]) -> str:
    out = subprocess.run([sys.executable, "-c", _IMPORT_PROBE, *args], capture_output=True,
                         text=True, cwd=ROOT)
    lines = out.stdout.strip().splitlines()
    return lines[-1] if out.returncode == 0 and lines else f"probe failed: {out.stderr.strip()[-200:]}"


def repl_first_prompt(runs: int) -> list[float] | str:
    """Seconds from spawning `klpsh` on a pty to its first prompt, or why it cannot be measured."""
    if importlib.util.find_spec("klpsh.repl") is None:
        return "klpsh/repl.py does not exist yet"
    try:
        import pexpect
    except ImportError:
        return "pexpect is not installed (pip install -e '.[test]')"
    env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm", COLUMNS="120", LINES="40")
    cmd = klpsh_command()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        child = pexpect.spawn(cmd[0], cmd[1:] + ["--prompt", PROMPT_MARK + " "], env=env,
                              encoding="utf-8", timeout=15, dimensions=(40, 120))
        try:
            child.expect_exact(PROMPT_MARK)
            times.append(time.perf_counter() - t0)
            child.sendeof()
            child.expect(pexpect.EOF, timeout=5)
        except (pexpect.TIMEOUT, pexpect.EOF) as e:
            return f"no prompt {PROMPT_MARK!r} seen: {type(e).__name__}; output {child.before!r:.200}"
        finally:
            child.close(force=True)
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=9, help="starts per mode (default 9)")
    opts = ap.parse_args()
    rep = Report("start-up: klpsh to the first command's output / the first prompt")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        rep.info("note", "PYTHONDONTWRITEBYTECODE is set here: the project's modules are compiled on "
                         "every start; 'bytecode cached' is a default Python after its first run")

    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "first.klp"
        script.write_text(FIRST_COMMAND + "\n")
        for mode, env in start_modes(tmp):
            firsts, totals, cpus, line = [], [], [], ""
            for _ in range(opts.runs):
                first, total, cpu, line = batch_first_output(script, env)
                firsts.append(first)
                totals.append(total)
                cpus.append(cpu)
            rep.info(f"`klpsh SCRIPT` whole run ({FIRST_COMMAND}), {mode}",
                     f"wall median {median(totals) * 1e3:.1f} ms, cpu median {median(cpus) * 1e3:.1f} ms")
            rep.check(f"the first command printed its output, {mode}", all(f > 0 for f in firsts) and bool(line),
                      repr(line))
            rep.target(f"batch start-up to the first command's output, {mode}", median(firsts),
                       BATCH_TARGET_S, f"min {min(firsts) * 1e3:.1f} ms, max {max(firsts) * 1e3:.1f} ms")

        for mode, args in (("batch", [str(script)]),
                           ("replay", ["replay", str(TRANSCRIPTS / "callbacks-test-1.txt")])):
            ui = imported_ui(args)
            ok = not ui.startswith("probe failed") and "prompt_toolkit" not in ui
            rep.check(f"{mode} mode does not import prompt_toolkit", ok, f"UI modules imported: {ui}")

    repl = repl_first_prompt(opts.runs)
    if isinstance(repl, str):
        rep.skip("REPL start-up to the first prompt", repl)
    else:
        rep.target("REPL start-up to the first prompt (pexpect, pty)", median(repl), REPL_TARGET_S,
                   f"min {min(repl) * 1e3:.1f} ms, max {max(repl) * 1e3:.1f} ms")
    return rep.done()


if __name__ == "__main__":
    main_guard(main)
