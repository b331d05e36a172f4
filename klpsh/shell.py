"""The klpsh shell: parse one command line, run the tool, show kernel lines as they are logged.

Used by batch mode (scripts, stdin) and by the REPL. Output goes through one callback, a line at
a time, in the order things happen: kernel lines while the command runs, then the tool's output
and errors (tools word them like kmod/coreutils, and stderr shares the stream with stdout).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from kernel.errno import Errno, KernelError, strerror
from kernel.fs.syscalls import Interrupted, OpenError, WriteError
from kernel.panic import MachineDead
from kernel.record import field, record
from kernel.sched import SyscallAbandoned, TaskKilled
from klpsh.tools import BUNDLED_MODULES, ShellExit, ToolContext, Tools

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.printk import Record

Out = Callable[[str], None]

REDIRECTS = (">", ">>")
# Errors of open(2) on a redirection target; bash words them `bash: FILE: reason`.
_OPEN_ERRORS = frozenset({Errno.ENOENT, Errno.EACCES, Errno.EISDIR, Errno.ENOTDIR, Errno.EPERM})
STATUS_NOT_FOUND = 127
STATUS_USAGE = 2
STATUS_INTERRUPTED = 130   # 128 + SIGINT
# what still works on a machine that has panicked: the shell's own commands
KERNEL_FREE = frozenset({"help", "exit", "reboot", "clear"})


class ShellSyntaxError(Exception):
    """A line the shell cannot run (bad quoting, unsupported operators)."""


@record
class Command:
    """One parsed line: the words, an optional `> FILE` target, and the commands it is piped
    into (`dmesg | grep livepatch | tail -n 3`: argv is dmesg's, pipe holds grep's and tail's)."""

    argv: list[str]
    redirect: str | None = None
    pipe: list[list[str]] = field(default_factory=list)
    append: bool = False            # `>> FILE`: O_APPEND instead of O_TRUNC


# A line with no quoting, escape or comment splits as shlex splits it (posix, whitespace_split,
# punctuation_chars): at shlex's whitespace, and each run of punctuation is a token of its own.
_QUOTING = frozenset("'\"\\#")
_PLAIN_TOKEN = re.compile(r"[();<>|&]+|[^ \t\r\n();<>|&]+")


def _tokens(line: str) -> list[str]:
    """The words and operators of LINE, as shlex gives them (its lexer only where quoting,
    escapes or comments need it: it costs ten times as much)."""
    if _QUOTING.isdisjoint(line):
        return _PLAIN_TOKEN.findall(line)
    import shlex  # here: a plain line (most) does without it

    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError as e:
        raise ShellSyntaxError(str(e).lower()) from None


def parse(line: str) -> Command | None:
    """Split LINE like a simple sh: quoting, `#` comments, `|` pipes, `> FILE` (on the last
    command). None if it holds no command."""
    tokens = _tokens(line)
    stages: list[list[str]] = [[]]
    redirect: str | None = None
    append = False
    it = iter(tokens)
    for tok in it:
        if _is_operator(tok):
            if tok == "|":
                if not stages[-1] or redirect is not None:
                    raise ShellSyntaxError("syntax error near unexpected token `|'")
                stages.append([])
                continue
            if tok not in REDIRECTS:
                raise ShellSyntaxError(f"unsupported operator `{tok}' (one command a line, "
                                       "`|' pipes and `> FILE' redirection)")
            append = tok == ">>"
            redirect = next(it, None)
            if redirect is None or _is_operator(redirect):
                raise ShellSyntaxError(f"syntax error near unexpected token `{redirect or 'newline'}'")
        else:
            stages[-1].append(tok)
    if len(stages) > 1 and not stages[-1]:
        raise ShellSyntaxError("syntax error: unexpected end of file")
    argv = stages[0]
    if not argv:
        if redirect is not None:
            raise ShellSyntaxError("a redirection needs a command")
        return None
    return Command(argv, redirect, stages[1:], append)


def bundled_modules(kernel: object) -> Path:
    """Where `samples/livepatch/` and modprobe find the modules built for KERNEL's profile
    (modules/ for 4.19, modules/5.4/ for 5.4)."""
    profile = getattr(kernel, "profile", None)
    sub = getattr(profile, "modules_subdir", "")
    return BUNDLED_MODULES / sub if sub else BUNDLED_MODULES


def _is_operator(tok: str) -> bool:
    """A token of operator characters only (strip() leaves nothing of it: one C call, not a
    generator over its characters, for every word of every line)."""
    return bool(tok) and not tok.strip(_OPERATOR_CHARS)


_OPERATOR_CHARS = "();<>|&"


class Shell:
    """Runs command lines against one kernel; every line of output goes to OUT."""

    def __init__(self, kernel: "Kernel", out: Out, *, echo: bool = True, console: bool = True,
                 cwd: Path | None = None, modules_dir: Path | None = None,
                 interrupted: Callable[[], bool] | None = None) -> None:
        self.kernel = kernel
        self.out = out
        self.echo = echo
        self.console = console
        self.cwd = cwd or Path.cwd()
        self.modules_dir = modules_dir or bundled_modules(kernel)
        self.tools = Tools()
        self.interrupted = interrupted or (lambda: False)
        self.exit_status: int | None = None
        self.clear: Callable[[], None] = lambda: None   # `clear`: the REPL erases its screen
        self.on_reboot: list[Callable[["Kernel"], None]] = []   # told of the machine `reboot` boots

    def reboot(self) -> None:
        """`reboot`: power the machine off and boot a new one of the same kernel and clock."""
        from kernel.machine import Kernel
        old = self.kernel
        new = Kernel.boot(clock_mode=old.clock_mode, elf_cache=old.elf_cache, kernel=old.profile)
        new.interrupted = old.interrupted
        old.shutdown()
        self.kernel = new
        for tell in self.on_reboot:
            tell(new)

    def run_script(self, lines: Iterable[str]) -> int:
        """Run LINES in order until the end or `exit`; the status is 0 unless `exit N`."""
        for line in lines:
            self.run_line(line)
            if self.exit_status is not None:
                return self.exit_status
        return 0

    def run_line(self, line: str) -> int:
        """Run one command line and return its exit status. Never raises."""
        text = line.replace("\0", "").strip()   # as bash, ignore NUL bytes in the input
        if not text or text.startswith("#"):
            return 0
        if self.echo:
            self.out(f"% {text}")
        try:
            return self._run(text)
        except Exception as e:  # noqa: BLE001 - the shell must survive anything a tool does
            self._internal_error(e)
            return 1

    def _internal_error(self, e: Exception) -> None:
        """One line about a bug, no traceback; if even printing fails, stay quiet."""
        msg = f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
        try:
            self.out(f"klpsh: internal error: {msg}")
        except Exception:  # noqa: BLE001
            pass

    def _run(self, text: str) -> int:
        try:
            cmd = parse(text)
        except ShellSyntaxError as e:
            self.out(f"klpsh: {e}")
            return STATUS_USAGE
        if cmd is None:
            return 0
        specs = []
        for argv in [cmd.argv, *cmd.pipe]:
            spec = self.tools.get(argv[0])
            if spec is None:
                self.out(f"klpsh: {argv[0]}: command not found")
                return STATUS_NOT_FOUND
            specs.append(spec)
        dead = getattr(self.kernel, "panicked", None)
        if dead is not None:
            needy = [argv[0] for argv in [cmd.argv, *cmd.pipe] if argv[0] not in KERNEL_FREE]
            if needy or cmd.redirect is not None:
                self.out(MachineDead(dead).message())
                return 1
        if cmd.redirect is not None and (err := self.kernel.fs.create_error(cmd.redirect)):
            self.out(f"bash: {cmd.redirect}: {strerror(err)}")
            return 1
        stdout = _Lines(self.out)
        stdin: str | None = None
        status = 0
        self.kernel.interrupted = self.interrupted
        with _Showing(self, stdout):
            for i, (spec, argv) in enumerate(zip(specs, [cmd.argv, *cmd.pipe])):
                last = i == len(specs) - 1
                captured: list[str] = []
                to_pipe = not last or cmd.redirect is not None
                ctx = ToolContext(self.kernel, captured.append if to_pipe else stdout.write, stdout.write,
                                  cwd=self.cwd, modules_dir=self.modules_dir,
                                  interrupted=self.interrupted, stdin=stdin, clear=self.clear,
                                  piped=to_pipe, reboot=self.reboot)
                try:
                    with self._process(os.path.basename(argv[0])):
                        status = self._call(spec.func, ctx, argv)
                finally:
                    stdout.flush()
                stdin = "".join(captured)
                if self.exit_status is not None:
                    break
            if cmd.redirect is not None and (stdin or self.kernel.fs.regular_or_new(cmd.redirect)):
                status = self._write(cmd.argv[0] if not cmd.pipe else cmd.pipe[-1][0],
                                     cmd.redirect, stdin or "", cmd.append) or status
        return status

    def _call(self, func: Callable[[ToolContext, list[str]], int], ctx: ToolContext,
              argv: list[str]) -> int:
        """Run a tool; `exit` ends the shell, a stray kernel error gets strerror wording."""
        try:
            return func(ctx, argv[1:]) or 0
        except ShellExit as e:
            self.exit_status = e.code
            return e.code
        except KernelError as e:
            self.out(f"{argv[0]}: {strerror(e.errno)}")
            return 1
        except TaskKilled as e:  # the tool died in the kernel: bash reports the signal
            if e.text:
                self.out(e.text)
            return 128 + e.signo
        except SyscallAbandoned as e:  # the tool never came back from the kernel
            self.out(e.message())
            return STATUS_INTERRUPTED if e.why == "interrupted" else 1
        except Interrupted:         # Ctrl-C: the SIGINT ended the tool in its call, quietly
            return STATUS_INTERRUPTED
        except MachineDead as e:    # the kernel panicked under the tool
            self.out(e.message())
            return 1

    def _write(self, prog: str, path: str, data: str, append: bool = False) -> int:
        """The redirection: write the tool's output to PATH as one write(2), like echo does."""
        from kernel.fs.file import O_APPEND, O_CREAT, O_TRUNC, O_WRONLY
        writer = "bash" if prog == "echo" else prog
        flags = O_WRONLY | O_CREAT | (O_APPEND if append else O_TRUNC)
        try:
            # stdio's fflush(): after a short write, write what is left, until all or an error
            for _ in range(max(len(data), 1)):
                done = self.kernel.fs.write(path, data, comm=writer, flags=flags)
                if not isinstance(done, int) or not 0 < done < len(data):
                    break
                data = data[done:]
        except TaskKilled as e:
            if e.text:
                self.out(e.text)
            return 128 + e.signo
        except SyscallAbandoned as e:
            self.out(e.message())
            return STATUS_INTERRUPTED if e.why == "interrupted" else 1
        except MachineDead as e:
            self.out(e.message())
            return 1
        except KernelError as e:
            if isinstance(e, OpenError) or (e.errno in _OPEN_ERRORS and not isinstance(e, WriteError)):
                self.out(f"bash: {path}: {strerror(e.errno)}")
            else:
                who = "bash: echo" if prog == "echo" else prog
                self.out(f"{who}: write error: {strerror(e.errno)}")
            return 1
        return 0

    def _process(self, program: str) -> AbstractContextManager[object]:
        """The tool PROGRAM runs in one process of its own, forked at its first system call."""
        start = getattr(self.kernel, "command_process", None)
        return start(program) if start is not None else nullcontext()  # (a stand-in kernel
        # without processes)

    def _print_record(self, record: "Record") -> None:
        self.out(record.format())


class _Showing:
    """While a command runs: kernel lines are printed the moment they are logged (a console
    shell), and what the guest writes to the terminal (the tty of the shell's tasks) shows as
    the command's stdout. (A class, not a generator: it is entered for every command.)"""

    __slots__ = ("consoles", "print_record", "writers", "write")

    def __init__(self, shell: Shell, stdout: "_Lines") -> None:
        self.consoles = shell.kernel.printk.consoles if shell.console else None
        self.print_record = shell._print_record
        terminal = getattr(shell.kernel, "terminal", None)     # (a stand-in kernel has none)
        self.writers = terminal.writers if terminal is not None else None
        self.write = stdout.write

    def __enter__(self) -> None:
        if self.consoles is not None:
            self.consoles.append(self.print_record)
        if self.writers is not None:
            self.writers.append(self.write)

    def __exit__(self, *exc: object) -> None:
        try:
            if self.writers is not None:
                self.writers.remove(self.write)
        finally:
            if self.consoles is not None:
                self.consoles.remove(self.print_record)


class _Lines:
    """Turns a tool's raw stdout/stderr text into whole lines for OUT."""

    def __init__(self, out: Out) -> None:
        self.out = out
        self.pending = ""

    def write(self, text: str) -> None:
        *lines, self.pending = (self.pending + text).split("\n")
        for line in lines:
            self.out(line)

    def flush(self) -> None:
        """Show an unterminated last line (`echo -n`) as a line of its own."""
        if self.pending:
            line, self.pending = self.pending, ""
            self.out(line)
