"""The `klpsh` command: REPL on a terminal, batch on a script or stdin, `build`, `replay`.

Batch and replay never import prompt_toolkit (start-up budget); the REPL is imported lazily.
Where the environment forbids writing bytecode next to the sources (PYTHONDONTWRITEBYTECODE),
the command keeps it in the user's cache directory instead, so only its first start compiles
(klpsh.entry, the console script's entry, turns that on before this module is imported).
"""

from __future__ import annotations

import atexit
import importlib
import os
import sys
from collections.abc import Iterable
from types import ModuleType, SimpleNamespace
from typing import TYPE_CHECKING, TextIO

from klpsh.entry import NO_CACHE_ENV, bytecode_cache  # noqa: F401 - the command's names too

if TYPE_CHECKING:
    import argparse

    from kernel.machine import Kernel

CLOCKS = ("real", "virtual")
KERNELS = ("4.19", "5.4")      # kernel/profile.py KERNEL_NAMES (not imported: start-up budget)
SUBCOMMANDS = ("build", "make", "replay")
STATUS_USAGE = 2
STATUS_NO_SCRIPT = 127


def _parser() -> "argparse.ArgumentParser":
    import argparse  # here: `klpsh replay` and the other subcommands do without it

    p = argparse.ArgumentParser(
        prog="klpsh",
        description="A shell over a simulated Linux kernel (4.19 or 5.4) that loads and runs "
                    "real .ko modules.",
        epilog="Also: `klpsh build [DIR | SRC.c...]` compiles modules (a directory by its Kbuild or "
               "Makefile); `klpsh make [-C KDIR] [M=DIR] [modules|clean]` does it as make would; "
               "`klpsh replay FILE...` replays transcripts and compares them (both take --kernel).")
    p.add_argument("script", nargs="?", metavar="SCRIPT",
                   help="run the commands in SCRIPT ('-' for stdin) and exit")
    p.add_argument("--clock", choices=CLOCKS,
                   help="'real': machine time follows the wall clock (default in the REPL); "
                        "'virtual': it moves only with sleep and blocking commands (default in batch)")
    p.add_argument("--prompt", default="% ", help="the REPL's prompt (default: '%% ')")
    p.add_argument("--timeline", metavar="FILE.svg",
                   help="batch: when the script ends, draw its last livepatch transition as an "
                        "SVG picture in FILE.svg (FILE-N.svg for each transition N)")
    p.add_argument("--kernel", choices=KERNELS, default=KERNELS[0],
                   help="the kernel to boot: 4.19 (default) or 5.4 (the 5.1+ livepatch API: "
                        "enable-only, atomic replace, automatic signals)")
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `klpsh` console script and `python -m klpsh` (ARGV None: the
    process's own arguments, and bytecode_cache() applies)."""
    if argv is None:
        bytecode_cache()
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        if args[:1] and args[0] in SUBCOMMANDS:
            return _subcommand(args[0], args[1:])
        return _run(_options(args))
    except SystemExit as e:  # argparse, or a subcommand's own sys.exit
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # noqa: BLE001 - no traceback reaches the user
        print(f"klpsh: internal error: {type(e).__name__}: {e}", file=sys.stderr)
        return 1


def _options(args: list[str]) -> "argparse.Namespace | SimpleNamespace":
    """The options in ARGS. `klpsh SCRIPT` and a bare `klpsh` (nothing that looks like an
    option) get _parser()'s defaults without argparse, whose import is ~2 ms of a batch start;
    tests/test_cli.py holds the two equal."""
    if len(args) <= 1 and not (args and args[0].startswith("-")):
        return SimpleNamespace(script=args[0] if args else None, clock=None, prompt="% ",
                               timeline=None, kernel=KERNELS[0])
    return _parser().parse_args(args)


def _run(opts: "argparse.Namespace | SimpleNamespace") -> int:
    if opts.script not in (None, "-"):
        return _run_file(opts.script, opts.clock or "virtual", opts.kernel, opts.timeline)
    if opts.script is None and sys.stdin.isatty() and opts.timeline is None:
        repl = _optional_module("klpsh.repl")
        if repl is not None:
            return int(repl.run(clock=opts.clock or "real", prompt=opts.prompt, kernel=opts.kernel))
    return run_batch(_stdin_lines(), opts.clock or "virtual", kernel=opts.kernel,
                     timeline=opts.timeline)


def _stdin_lines() -> Iterable[str]:
    """Standard input as lines of text whatever its bytes: invalid UTF-8 becomes U+FFFD, as
    a script file's does, instead of ending the run."""
    buf = getattr(sys.stdin, "buffer", None)
    if buf is None:
        return sys.stdin
    import io
    return io.TextIOWrapper(buf, encoding="utf-8", errors="replace")


def _run_file(path: str, clock: str, kernel: str | None = None, timeline: str | None = None) -> int:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.readlines()
    except OSError as e:
        print(f"klpsh: {path}: {e.strerror}", file=sys.stderr)
        return STATUS_NO_SCRIPT
    return run_batch(lines, clock, kernel=kernel, timeline=timeline)


def run_batch(lines: Iterable[str], clock: str = "virtual", stream: TextIO | None = None,
              kernel: str | None = None, timeline: str | None = None) -> int:
    """Boot a machine (KERNEL: "4.19", the default, or "5.4") and run LINES through the shell,
    writing the transcript to STREAM; with TIMELINE, draw its transitions there as SVG."""
    out = LineWriter(stream or sys.stdout)
    try:
        from klpsh.shell import Shell

        machine = boot(clock, kernel)
    except Exception as e:  # noqa: BLE001 - no traceback reaches the user
        out(f"klpsh: internal error: {type(e).__name__}: {e}")
        return 1
    shell = None
    try:
        shell = Shell(machine, out)
        status = shell.run_script(lines)
        if timeline is not None:
            status = _draw(shell.kernel, timeline) or status
        return status
    finally:
        if shell is not None:
            machine = shell.kernel          # `reboot` may have booted another
        getattr(machine, "shutdown", lambda: None)()  # end its task threads (a stand-in kernel has none)


def _draw(machine: "Kernel", path: str) -> int:
    """--timeline: the script's transitions as SVG (only now is the drawing code imported)."""
    from klpsh.timeline import write_svgs

    try:
        if not write_svgs(machine, path, every=True):
            print("klpsh: --timeline: no livepatch transition to draw", file=sys.stderr)
            return 1
    except OSError as e:
        print(f"klpsh: {path}: {e.strerror or e}", file=sys.stderr)
        return 1
    return 0


def boot(clock: str, kernel: str | None = None) -> "Kernel":
    """A freshly booted machine (imports the kernel, and so unicorn, only when needed)."""
    from kernel.machine import Kernel

    return Kernel.boot(clock_mode=clock, kernel=kernel)


class LineWriter:
    """Writes one line at a time and flushes, so a pipe sees lines as they happen.

    A closed pipe (`klpsh script | head`) silences further output instead of raising inside
    kernel code.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.broken = False

    def __call__(self, line: str) -> None:
        if self.broken:
            return
        try:
            self.stream.write(line + "\n")
            self.stream.flush()
        except BrokenPipeError:
            self.broken = True
            _silence(self.stream)


def _silence(stream: TextIO) -> None:
    """Point a broken stdout at /dev/null so that Python's exit-time flush stays quiet."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError, AttributeError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def _subcommand(name: str, args: list[str]) -> int:
    """`klpsh build ...` -> kernel.kbuild.main, `klpsh make ...` -> kernel.kbuild.make_main;
    `klpsh replay ...` -> klpsh.transcript.main."""
    target, entry = {"build": ("kernel.kbuild", "main"), "make": ("kernel.kbuild", "make_main"),
                     "replay": ("klpsh.transcript", "main")}[name]
    module = _optional_module(target)
    if module is None:
        print(f"klpsh: {name}: not available in this version", file=sys.stderr)
        return STATUS_USAGE
    return int(getattr(module, entry)(args))


def _optional_module(name: str) -> ModuleType | None:
    """Import NAME, or None if that module itself does not exist (yet)."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as e:
        if e.name != name:
            raise
        return None


def leave_now(status: int) -> int:
    """End the process with STATUS without the interpreter's finalization, which would free
    every object the command made one by one (its machines, engines, modules: ~25 ms of a
    replay's ~150) only for the operating system to take the memory back anyway. The output
    is flushed and the atexit handlers run first, as at a normal exit; where that cannot be
    done safely (a stream that will not flush, another thread still running) STATUS is
    returned for the usual exit."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return status
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return status
    atexit._run_exitfuncs()
    os._exit(status if isinstance(status, int) else 1)


if __name__ == "__main__":
    sys.exit(main())
