"""Userspace tools of the klpsh shell: one module per tool, registered by name."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from kernel.machine import Kernel

from kernel.record import RecordTuple, field, record


def _bundled_modules() -> Path:
    """modules/ of the source checkout, else the copy a wheel installs under share/klpsh."""
    checkout = Path(__file__).resolve().parent.parent.parent / "modules"
    installed = Path(sys.prefix) / "share" / "klpsh" / "modules"
    return checkout if checkout.is_dir() or not installed.is_dir() else installed


BUNDLED_MODULES = _bundled_modules()
SAMPLES_PREFIX = "samples/livepatch/"


@record(eq=False)
class ToolContext:
    """What a tool sees: the machine, its output streams and where to look for files.

    `out` and `err` take raw text as write(2) to stdout/stderr would (a line ends with "\\n");
    `outln`/`errln` add the newline.
    """

    kernel: "Kernel"
    out: Callable[[str], None]
    err: Callable[[str], None]
    cwd: Path = field(default_factory=Path.cwd)
    modules_dir: Path = BUNDLED_MODULES
    interrupted: Callable[[], bool] = lambda: False  # the user pressed Ctrl-C (REPL)
    stdin: str | None = None        # what the command before it in a pipe wrote, if piped into
    clear: Callable[[], None] = lambda: None        # erase the terminal (the REPL's screen)
    piped: bool = False             # stdout goes to a pipe or a file, not the terminal
    reboot: Callable[[], None] = lambda: None       # `reboot`: the shell boots a new machine

    def outln(self, line: str) -> None:
        """Print LINE and a newline on the tool's stdout."""
        self.out(line + "\n")

    def errln(self, line: str) -> None:
        """Print LINE and a newline on the tool's stderr."""
        self.err(line + "\n")

    def inputs(self, prog: str, files: list[str]) -> tuple[list[tuple[str, str]], int]:
        """The texts a filter reads: FILES of the machine (or `-`), else its stdin; with the
        status 2 (grep) / 1 (others) already worded for files that can't be read."""
        from kernel.errno import KernelError, strerror

        if not files:
            return [("(standard input)", self.stdin or "")], 0
        got: list[tuple[str, str]] = []
        status = 0
        for name in files:
            if name == "-":
                got.append(("(standard input)", self.stdin or ""))
                continue
            try:
                got.append((name, self.kernel.fs.read(name, comm=prog)))
            except KernelError as e:
                self.errln(f"{prog}: {name}: {strerror(e.errno)}")
                status = 2 if prog == "grep" else 1
        return got, status

    def resolve_path(self, name: str) -> Path:
        """A host path; `samples/livepatch/X` falls back to the bundled module X."""
        host = host_path(self.cwd, name)     # (an absolute NAME is itself)
        if host_exists(host) or not name.startswith(SAMPLES_PREFIX):
            return host
        return host_path(self.modules_dir, name[len(SAMPLES_PREFIX):])

    def find_module_file(self, name: str) -> Path | None:
        """Find module NAME (dashes and underscores alike) as modprobe would: modules/, then cwd."""
        stem = name[:-3] if name.endswith(".ko") else name
        want = stem.replace("-", "_")
        for d in (self.modules_dir, self.cwd):
            if not d.is_dir():
                continue
            for f in sorted(d.glob("*.ko")):
                if f.stem.replace("-", "_") == want:
                    return f
        return None


# Per-process cache of host_path(): a Path parses its parts when made (~30k instructions,
# a tenth of an insmod's own work), and commands name the same few files; cleared when full.
_HOST_PATHS: dict[tuple[Path, str], Path] = {}
_HOST_PATHS_MAX = 256


def host_path(base: Path, name: str) -> Path:
    """Path(BASE, NAME), the same object each time."""
    key = (base, name)
    path = _HOST_PATHS.get(key)
    if path is None:
        if len(_HOST_PATHS) >= _HOST_PATHS_MAX:
            _HOST_PATHS.clear()
        path = _HOST_PATHS[key] = Path(base, name)
    return path


def host_exists(path: Path) -> bool:
    """Whether PATH names a host file; a name the host refuses to look up (too long, a NUL)
    names none, as stat(2) failing with ENAMETOOLONG says (os.path.exists: Path.exists()
    less its Python frames)."""
    return os.path.exists(path)


Tool = Callable[[ToolContext, list[str]], int]


class ToolSpec(RecordTuple):
    """A registered shell tool: its name, function, usage line and one-line summary."""

    name: str
    func: Tool
    usage: str
    summary: str


REGISTRY: dict[str, ToolSpec] = {}

# The module of klpsh.tools that registers each tool (imported when the tool is first looked up,
# so a start imports only the tools it runs; tests/test_tools.py holds this to the @tool calls).
TOOL_MODULES: dict[str, str] = {
    "insmod": "insmod", "rmmod": "rmmod", "modprobe": "modprobe", "lsmod": "lsmod",
    "modinfo": "modinfo", "dmesg": "dmesg", "echo": "echo", "cat": "cat", "ls": "ls",
    "sleep": "sleep", "ps": "ps", "help": "help", "exit": "exit", "head": "filters",
    "tail": "filters", "grep": "filters", "wc": "filters", "uname": "uname", "clear": "clear",
    "timeline": "timeline", "ioctl": "ioctl", "reboot": "reboot", "kill": "kill",
    "mknod": "mknod", "rm": "mknod", "irq": "irq", "poll": "poll",
}


class ShellExit(Exception):
    """Raised by the `exit` tool: the shell stops with status CODE."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def tool(name: str, usage: str, summary: str) -> Callable[[Tool], Tool]:
    """Register a tool under NAME with a usage line and a one-line summary for `help`."""
    def deco(func: Tool) -> Tool:
        REGISTRY[name] = ToolSpec(name, func, usage, summary)
        return func
    return deco


def load_tools() -> dict[str, ToolSpec]:
    """Import every tool module once so that their @tool decorators run (every module of this
    package: one TOOL_MODULES does not name yet too)."""
    import pkgutil  # here: the usual lookups go by TOOL_MODULES

    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"klpsh.tools.{info.name}")
    return REGISTRY


class Tools(Mapping[str, ToolSpec]):
    """The shell's commands by name: TOOL_MODULES' tools, each module imported on the first
    lookup of one of its tools, and whatever else @tool registered."""

    def __getitem__(self, name: str) -> ToolSpec:
        spec = REGISTRY.get(name)
        if spec is None and name in TOOL_MODULES:
            importlib.import_module(f"klpsh.tools.{TOOL_MODULES[name]}")
            spec = REGISTRY.get(name)
        if spec is None:               # a tool the table does not name yet: look in them all
            spec = load_tools().get(name)
        if spec is None:
            raise KeyError(name)
        return spec

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*TOOL_MODULES, *REGISTRY]))

    def __len__(self) -> int:
        return len(TOOL_MODULES.keys() | REGISTRY.keys())


Options = list[tuple[str, str]]


def parse_options(ctx: ToolContext, prog: str, args: list[str], shortopts: str,
                  longopts: tuple[str, ...] = (), hint: bool = False) -> tuple[Options, list[str]] | None:
    """GNU getopt over ARGS; on a bad option print getopt's message (and coreutils' hint), None."""
    if not any(a[:1] == "-" and a != "-" for a in args):
        return [], list(args)      # what gnu_getopt returns: no option, no "--" (getopt unimported)
    import getopt

    try:
        return getopt.gnu_getopt(args, shortopts, list(longopts))
    except getopt.GetoptError as e:
        opt = e.opt
        if len(opt) == 1:
            what = (f"option requires an argument -- '{opt}'" if "requires argument" in e.msg
                    else f"invalid option -- '{opt}'")
        else:
            what = f"unrecognized option '--{opt}'"
        ctx.errln(f"{prog}: {what}")
        if hint:
            ctx.errln(f"Try '{prog} --help' for more information.")
        return None
