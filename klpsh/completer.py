"""Tab completion for the REPL: commands, module files, loaded modules, parameters, /sys and /proc.

Each command's arguments are completed by the function its entry in `ARGUMENTS` names, from the
live machine (loaded modules, the kernfs tree) and from the module files themselves (parameter
names and descriptions come from `.modinfo`, as `modinfo` shows them). Completing never runs the
machine: it reads kernel state, it does not call into it.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from kernel.errno import KernelError
from kernel.fs import Attr, Dir
from kernel.record import record
from klpsh.tools import SAMPLES_PREFIX, ToolContext, ToolSpec

if TYPE_CHECKING:
    from kernel.machine import Kernel

__all__ = ["KlpshCompleter", "ARGUMENTS"]

VFS_ROOTS = ("/sys/", "/proc/")
REDIRECTS = (">", ">>")


@record
class Line:
    """The line before the cursor, split: finished WORDS and the WORD being typed."""

    words: list[str]
    word: str

    @property
    def command(self) -> str:
        return self.words[0] if self.words else ""

    @property
    def args(self) -> list[str]:
        return self.words[1:]

    @property
    def after_redirect(self) -> bool:
        return bool(self.words) and self.words[-1] in REDIRECTS


def split_line(text: str) -> Line | None:
    """Split TEXT like the shell does; None inside a comment. Tolerates an open quote."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars="<>|&;()")
    lexer.whitespace_split = True
    lexer.commenters = ""
    words: list[str] = []
    try:
        words.extend(lexer)
    except ValueError:  # an unterminated quote: complete what follows it
        quote = max(text.rfind("'"), text.rfind('"'))
        before = split_line(text[:quote])
        return Line(before.words + ([before.word] if before.word else []) if before else [],
                    text[quote + 1:])
    if any(w.startswith("#") for w in words):
        return None
    if not text or text[-1].isspace() or (words and words[-1] in REDIRECTS and text.endswith(">")):
        return Line(words, "")
    return Line(words[:-1], words[-1] if words else "")


class Context:
    """What completers read: the machine, the tools, and where module files are found."""

    def __init__(self, kernel: "Kernel", tools: dict[str, ToolSpec], cwd: Path,
                 modules_dir: Path) -> None:
        self.kernel = kernel
        self.tools = tools
        self.files = ToolContext(kernel, lambda _: None, lambda _: None, cwd=cwd,
                                 modules_dir=modules_dir)
        self._modinfo: dict[tuple[Path, int], list[tuple[str, str]]] = {}

    def modinfo(self, path: Path | None) -> list[tuple[str, str]]:
        """The .modinfo pairs of module file PATH ([] if unreadable), cached by mtime."""
        if path is None:
            return []
        try:
            key = (path, path.stat().st_mtime_ns)
        except OSError:
            return []
        if key not in self._modinfo:
            # imported on first use: the REPL's first prompt does without it
            from klpsh.tools.modinfo import ModinfoError, read_modinfo
            try:
                self._modinfo[key] = read_modinfo(path.read_bytes())
            except (ModinfoError, OSError):
                self._modinfo[key] = []
        return self._modinfo[key]


ArgCompleter = Callable[[Context, Line], Iterable[Completion]]


def _replace(word: str, text: str, display: str | None = None, meta: str = "") -> Completion:
    return Completion(text, start_position=-len(word), display=display, display_meta=meta)


# --- commands and options --------------------------------------------------------------
def complete_commands(ctx: Context, word: str) -> Iterator[Completion]:
    for name in sorted(ctx.tools):
        if name.startswith(word):
            yield _replace(word, name, meta=ctx.tools[name].summary)


OPTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "rmmod": (("-f", "force: remove even if the module is in use"),),
    "modprobe": (("-r", "remove the module instead of loading it"),
                 ("--first-time", "fail if the module is already (un)loaded")),
    "dmesg": (("-c", "print the log, then clear it"), ("-C", "clear the log")),
    "modinfo": (("-F", "print only this field"), ("-a", "author"), ("-d", "description"),
                ("-l", "license"), ("-p", "parameters"), ("-n", "filename"),
                ("-0", "use \\0 instead of \\n"), ("-m", "argument is a module name")),
    "echo": (("-n", "no trailing newline"), ("-e", "interpret backslash escapes")),
    "timeline": (("-l", "list the transitions remembered"), ("-w", "width of the bars (columns)"),
                 ("-o", "write the picture as SVG to this file")),
}


def _options(command: str, word: str) -> Iterator[Completion]:
    for opt, meta in OPTIONS.get(command, ()):
        if opt.startswith(word):
            yield _replace(word, opt, meta=meta)


def _positional(line: Line) -> list[str]:
    """The arguments that are not options."""
    return [a for a in line.args if not a.startswith("-")]


# --- host files ----------------------------------------------------------------------------
def _host_paths(ctx: Context, word: str, suffixes: tuple[str, ...]) -> Iterator[Completion]:
    """Directories and files ending in SUFFIXES under the shell's cwd, plus samples/livepatch/."""
    head, _, tail = word.rpartition("/")
    base = Path(os.path.expanduser(head or ".")) if head or not word.startswith("/") else Path("/")
    if not base.is_absolute():
        base = ctx.files.cwd / base
    prefix = f"{head}/" if head or word.startswith("/") else ""
    seen: set[str] = set()
    try:
        entries = sorted(os.scandir(base), key=lambda e: e.name)
    except OSError:
        entries = []
    for entry in entries:
        if not entry.name.startswith(tail) or (entry.name.startswith(".") and not tail.startswith(".")):
            continue
        is_dir = entry.is_dir()
        if not is_dir and not entry.name.endswith(suffixes):
            continue
        text = prefix + entry.name + ("/" if is_dir else "")
        seen.add(text)
        yield _replace(word, text, display=entry.name + ("/" if is_dir else ""))
    yield from (c for c in _bundled(ctx, word, suffixes) if c.text not in seen)


def _bundled(ctx: Context, word: str, suffixes: tuple[str, ...]) -> Iterator[Completion]:
    """`samples/livepatch/X`: the modules that ship with klpsh, as the document names them."""
    if SAMPLES_PREFIX.startswith(word) and word != SAMPLES_PREFIX:
        for part in ("samples/", SAMPLES_PREFIX):
            if part.startswith(word) and len(part) > len(word):
                yield _replace(word, part, meta="bundled sample modules")
                return
    if not word.startswith(SAMPLES_PREFIX):
        return
    tail = word[len(SAMPLES_PREFIX):]
    modules_dir = ctx.files.modules_dir
    for f in sorted(modules_dir.glob("*")) if modules_dir.is_dir() else ():
        if f.name.startswith(tail) and f.name.endswith(suffixes):
            yield _replace(word, SAMPLES_PREFIX + f.name, display=f.name,
                           meta=_description(ctx, f))


def _description(ctx: Context, path: Path) -> str:
    return next((v for k, v in ctx.modinfo(path) if k == "description"), "")


# --- modules and their parameters ------------------------------------------------------------
def _module_names(ctx: Context) -> list[Path]:
    """Module files modprobe can find by name: bundled ones, then the cwd's."""
    found: dict[str, Path] = {}
    for d in (ctx.files.modules_dir, ctx.files.cwd):
        if d.is_dir():
            for f in sorted(d.glob("*.ko")):
                found.setdefault(f.stem.replace("-", "_"), f)
    return list(found.values())


def _params(ctx: Context, path: Path | None, line: Line) -> Iterator[Completion]:
    """`name=` for each parameter of module file PATH, described as modinfo does."""
    word = line.word
    if "=" in word:
        return
    given = {a.split("=", 1)[0] for a in line.args if "=" in a}
    descs: dict[str, list[str]] = {}
    for key, value in ctx.modinfo(path):
        if key in ("parm", "parmtype"):
            name, _, rest = value.partition(":")
            descs.setdefault(name, ["", ""])[0 if key == "parm" else 1] = rest
    for name, (desc, typ) in descs.items():
        if name.startswith(word) and name not in given:
            meta = f"{desc} ({typ})" if typ else desc
            yield _replace(word, f"{name}=", display=name, meta=meta)


def complete_insmod(ctx: Context, line: Line) -> Iterator[Completion]:
    files = _positional(line)
    if not files:
        yield from _host_paths(ctx, line.word, (".ko",))
    else:
        yield from _params(ctx, ctx.files.resolve_path(files[0]), line)


def complete_modprobe(ctx: Context, line: Line) -> Iterator[Completion]:
    if line.word.startswith("-"):
        yield from _options("modprobe", line.word)
        return
    names = _positional(line)
    if any(a in ("-r", "--remove") for a in line.args):
        yield from complete_loaded(ctx, line)
    elif not names:
        for f in _module_names(ctx):
            name = f.stem.replace("-", "_")
            if name.startswith(line.word.replace("-", "_")):
                yield _replace(line.word, name, meta=_description(ctx, f))
    else:
        yield from _params(ctx, ctx.files.find_module_file(names[0]), line)


def complete_loaded(ctx: Context, line: Line) -> Iterator[Completion]:
    """Names of loaded modules, with their state and users."""
    if line.word.startswith("-"):
        yield from _options(line.command, line.word)
        return
    given = set(_positional(line))
    for name, mod in sorted(ctx.kernel.modules.items()):
        if name.startswith(line.word) and name not in given:
            users = sorted(getattr(mod, "holders", ()) or ())
            state = getattr(getattr(mod, "state", None), "name", "").lower()
            meta = state + (f", used by {', '.join(users)}" if users else "")
            yield _replace(line.word, name, meta=meta)


def complete_modinfo(ctx: Context, line: Line) -> Iterator[Completion]:
    if line.word.startswith("-"):
        yield from _options("modinfo", line.word)
        return
    yield from _host_paths(ctx, line.word, (".ko",))
    if "/" not in line.word:
        for f in _module_names(ctx):
            name = f.stem.replace("-", "_")
            if name.startswith(line.word.replace("-", "_")):
                yield _replace(line.word, name, meta=_description(ctx, f))


# --- /sys and /proc ------------------------------------------------------------------------
def _mode(attr: Attr) -> str:
    """rw, ro or wo, as the attribute's mode lets root open it."""
    readable, writable = bool(attr.mode & 0o444), bool(attr.mode & 0o222)
    return {(True, True): "rw", (True, False): "ro", (False, True): "wo"}.get((readable, writable), "")


def _kernfs(ctx: Context, word: str, want: Callable[[Dir | Attr], bool]) -> Iterator[Completion]:
    """Entries of the machine's /sys and /proc below WORD's directory that WANT accepts."""
    if not word.startswith("/"):
        for root in VFS_ROOTS:
            if root.startswith("/" + word) or root.startswith(word):
                yield _replace(word, root, meta="the machine's " + root.strip("/") + "fs")
        return
    head, _, tail = word.rpartition("/")
    try:
        node = ctx.kernel.vfs.lookup(head or "/")
    except KernelError:
        return
    if not isinstance(node, Dir):
        return
    for name in ctx.kernel.vfs.listdir(head or "/"):
        child = node.entries().get(name)
        if child is None or not name.startswith(tail) or not want(child):
            continue
        if isinstance(child, Dir):
            yield _replace(word, f"{head}/{name}/", display=f"{name}/")
        else:
            yield _replace(word, f"{head}/{name}", display=name, meta=_mode(child))


def _readable(node: Dir | Attr) -> bool:
    return isinstance(node, Dir) or bool(node.mode & 0o444)


def _writable(node: Dir | Attr) -> bool:
    return isinstance(node, Dir) or bool(node.mode & 0o222)


def complete_cat(ctx: Context, line: Line) -> Iterator[Completion]:
    return _kernfs(ctx, line.word, _readable)


def complete_ls(ctx: Context, line: Line) -> Iterator[Completion]:
    return _kernfs(ctx, line.word, lambda n: isinstance(n, Dir))


def complete_help(ctx: Context, line: Line) -> Iterator[Completion]:
    return complete_commands(ctx, line.word)


def complete_echo(ctx: Context, line: Line) -> Iterator[Completion]:
    return _options("echo", line.word) if line.word.startswith("-") else iter(())


def complete_dmesg(ctx: Context, line: Line) -> Iterator[Completion]:
    return _options("dmesg", line.word)


def complete_timeline(ctx: Context, line: Line) -> Iterator[Completion]:
    """The transitions remembered: by number (newest first) and by patch name."""
    if line.word.startswith("-"):
        yield from _options("timeline", line.word)
        return
    history = getattr(getattr(ctx.kernel, "livepatch", None), "history", None)
    recs = list(history) if history is not None else []
    names: set[str] = set()
    for rec in reversed(recs):
        number = str(rec.number)
        what = f"{rec.patch} {'patching' if rec.target else 'unpatching'}, {rec.outcome or 'in progress'}"
        if number.startswith(line.word):
            yield _replace(line.word, number, meta=what)
        if rec.patch.startswith(line.word) and rec.patch not in names:
            names.add(rec.patch)
            yield _replace(line.word, rec.patch, meta=f"its last transition ({number})")


def complete_build(ctx: Context, line: Line) -> Iterator[Completion]:
    return _host_paths(ctx, line.word, (".c",))


ARGUMENTS: dict[str, ArgCompleter] = {
    "insmod": complete_insmod,
    "modprobe": complete_modprobe,
    "rmmod": complete_loaded,
    "modinfo": complete_modinfo,
    "cat": complete_cat,
    "ls": complete_ls,
    "echo": complete_echo,
    "dmesg": complete_dmesg,
    "help": complete_help,
    "build": complete_build,
    "timeline": complete_timeline,
}


class KlpshCompleter(Completer):
    """prompt_toolkit completer over one machine and the shell's tools."""

    def __init__(self, kernel: "Kernel", tools: dict[str, ToolSpec], cwd: Path,
                 modules_dir: Path) -> None:
        self.ctx = Context(kernel, tools, cwd, modules_dir)

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterator[Completion]:
        line = split_line(document.text_before_cursor)
        if line is None:
            return
        try:
            if not line.words:
                yield from complete_commands(self.ctx, line.word)
            elif line.after_redirect:
                yield from _kernfs(self.ctx, line.word, _writable)
            else:
                complete = ARGUMENTS.get(line.command)
                if complete is not None:
                    yield from complete(self.ctx, line)
        except (OSError, KernelError, ValueError):
            return  # a completion that can't be computed is no completion, never a crash
