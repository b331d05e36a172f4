"""The interactive shell: a prompt_toolkit session over one machine.

Completion (klpsh.completer), history with Ctrl-R search, highlighting of what is typed and of
kernel lines (klpsh.highlight), a bottom toolbar (klpsh.toolbar), and a live console: kernel lines
appear the moment they are logged, above the prompt while it is shown, without garbling the line
being typed. `--clock real` lets machine time follow the wall clock while the prompt waits;
`--clock virtual` moves it only with `sleep` and blocking commands.

Everything runs on one thread, the event loop's: commands run between prompts, and in real-time
mode a ticker drives the machine while the prompt is up. Kernel code that logs from a task's host
thread only queues the line; the loop prints it.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from prompt_toolkit import PromptSession
from prompt_toolkit.application import create_app_session, run_in_terminal
from prompt_toolkit.filters import is_searching
from prompt_toolkit.formatted_text import FormattedText, StyleAndTextTuples
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.key_binding.bindings.mouse import load_mouse_bindings, typical_mouse_events
from prompt_toolkit.keys import Keys
from prompt_toolkit.lexers import PygmentsLexer
from prompt_toolkit.output import ColorDepth, Output
from prompt_toolkit.output.plain_text import PlainTextOutput
from prompt_toolkit.search import accept_search
from prompt_toolkit.shortcuts import print_formatted_text
from prompt_toolkit.styles import BaseStyle, Style, merge_styles, style_from_pygments_cls
from prompt_toolkit.utils import is_dumb_terminal

from kernel.record import record
from klpsh.completer import KlpshCompleter
from klpsh.highlight import LEVEL_CLASSES, KlpshLexer, KlpshStyle
from klpsh.shell import Shell
from klpsh.toolbar import toolbar_fragments

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.printk import Record

__all__ = ["run", "Repl", "Terminal", "history_path"]

_DOC_PROMPT = re.compile(r"^\s*%\s+")
_TOOL_ERROR = re.compile(r"\bERROR\b|: (?:write )?error\b|: command not found$|: No such file|"
                         r"Invalid argument$|Operation not permitted$")
TICK = 0.05            # real-time mode: how often the waiting prompt lets the machine catch up (s)
TOOLBAR_REFRESH = 0.5  # how often the toolbar redraws (s)

# What the REPL adds to the lexers' colours: prompt, toolbar, and printk levels as util-linux
# dmesg --color shows them (errors and worse red, warnings bold yellow).
UI_STYLE = {
    # a colour (the terminal's own) makes prompt_toolkit draw the prompt's trailing space, so
    # the prompt's text is in the output stream as it reads: expect("% ") matches
    "prompt": "bold fg:ansidefault",
    "output.error": "#ff5f5f",
    "bottom-toolbar": "reverse",
    "bottom-toolbar.busy": "reverse bold #ffaf00",
    "bottom-toolbar.blocked": "reverse #ff8787",
    LEVEL_CLASSES[0]: "bold reverse #ff5f5f",
    LEVEL_CLASSES[1]: "bold reverse #ff5f5f",
    LEVEL_CLASSES[2]: "bold #ff5f5f",
    LEVEL_CLASSES[3]: "#ff5f5f",
    LEVEL_CLASSES[4]: "bold #ffaf5f",
}


@record(frozen=True)
class Terminal:
    """What the output can do: DUMB terminals get plain lines, COLOR may be turned off."""

    dumb: bool
    color: bool

    @classmethod
    def detect(cls, env: Mapping[str, str], stdout: TextIO) -> "Terminal":
        dumb = is_dumb_terminal(env.get("TERM", "")) or not _isatty(stdout)
        return cls(dumb=dumb, color=not dumb and not env.get("NO_COLOR"))


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def history_path(env: Mapping[str, str]) -> Path:
    """$XDG_STATE_HOME/klpsh/history, by default ~/.local/state/klpsh/history."""
    state = env.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(state) / "klpsh" / "history"


def _history(env: Mapping[str, str]) -> History:
    path = history_path(env)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(exist_ok=True)
    except OSError:
        return InMemoryHistory()  # a read-only home: history for this session only
    return FileHistory(str(path))


def key_bindings() -> KeyBindings:
    """What the REPL adds to prompt_toolkit's Emacs bindings."""
    kb = KeyBindings()

    @kb.add("enter", filter=is_searching)
    def _(event: KeyPressEvent) -> None:
        """Enter in a Ctrl-R search runs the line found, as bash does."""
        accept_search()
        event.current_buffer.validate_and_handle()

    mouse = load_mouse_bindings().get_bindings_for_keys((Keys.Vt100MouseEvent,))[0].handler

    @kb.add(Keys.Vt100MouseEvent)
    def _mouse(event: KeyPressEvent) -> object:
        """prompt_toolkit's parser takes any `ESC [ digits;... m/M` for a mouse report and its
        handler fails on one that is not (`ESC [ 0 m` typed or pasted): only a well-formed
        report reaches it; the rest is dropped, as a terminal drops an unknown sequence."""
        if is_mouse_report(event.data):
            return mouse(event)
        return None

    return kb


_SGR_MOUSE = re.compile(r"\x1b\[<?\d+;\d+;\d+[mM]\Z")


def is_mouse_report(data: str) -> bool:
    """A mouse report as terminals send them: `ESC [ M b x y` (b a known event), or three
    numbers in the urxvt (`ESC [ b;x;y M`) or xterm SGR (`ESC [ < b;x;y M/m`) form."""
    if data[2:3] == "M":
        return len(data) == 6 and ord(data[3]) in typical_mouse_events
    return _SGR_MOUSE.match(data) is not None


def _plain_output(stdout: TextIO) -> Any:
    """An app session whose output writes text only: a dumb terminal gets no escape sequences
    (prompt_toolkit still picks its dumb prompt, as no output is passed to the session)."""
    return create_app_session(output=PlainTextOutput(stdout))


def build_style(terminal: Terminal) -> BaseStyle:
    if not terminal.color:
        return Style.from_dict({"bottom-toolbar": "reverse", "prompt": "fg:ansidefault"})
    return merge_styles([style_from_pygments_cls(KlpshStyle), Style.from_dict(UI_STYLE)])


_KERNEL_LINE = re.compile(r"^\s*\[\s*\d+\.\d+\]")


def document_commands(text: str) -> list[str]:
    """The command lines of what was typed or pasted, the document's `% ` prompt dropped. A
    block copied from the document keeps its output (` [   54.607948] ...`) and maybe prose:
    kernel lines are output, never commands; where the `% ` lines are indented (as the
    document's examples are), a line indented less is prose (as klpsh.transcript reads it)."""
    lines = text.splitlines() or [""]
    indents = [len(ln) - len(ln.lstrip()) for ln in lines if _DOC_PROMPT.match(ln)]
    floor = min(indents, default=0)
    out = []
    for ln in lines:
        if _KERNEL_LINE.match(ln):
            continue
        if floor and not _DOC_PROMPT.match(ln) and len(ln) - len(ln.lstrip()) < floor:
            continue
        out.append(_DOC_PROMPT.sub("", ln, count=1))
    return out


class LiveConsole:
    """Where kernel lines and tool output go: straight out between prompts; above the prompt,
    through the event loop, while it is shown."""

    def __init__(self, repl: "Repl") -> None:
        self.repl = repl
        self._lock = threading.Lock()
        self._pending: list[tuple[str, int | None, bool]] = []  # (text, printk level, is kernel)
        self._flush_scheduled = False

    def record(self, rec: "Record") -> None:
        """The printk console: one logged record."""
        self._emit(rec.format(), rec.level, True)

    def line(self, text: str) -> None:
        """One line of a tool's output."""
        self._emit(text, None, False)

    def _emit(self, text: str, level: int | None, kernel: bool) -> None:
        with self._lock:
            self._pending.append((text, level, kernel))
            loop = self.repl.prompting
            if loop is None:
                schedule = False
            elif self._flush_scheduled:
                return
            else:
                schedule = self._flush_scheduled = True
        if loop is None:
            self.drain()
        elif schedule:
            loop.call_soon_threadsafe(self._flush_above_prompt)

    def _flush_above_prompt(self) -> None:
        with self._lock:
            self._flush_scheduled = False
        if self.repl.prompting is None:
            self.drain()
        elif self.repl.terminal.dumb:
            self._dumb_above_prompt()
        else:
            run_in_terminal(self.drain, in_executor=False)

    def _dumb_above_prompt(self) -> None:
        """A dumb terminal can't move the cursor: end the prompt's line, print, show it again."""
        buf = self.repl.session.default_buffer
        lines = self._take()
        if not lines:
            return
        out = self.repl.stdout
        out.write("\n" + "".join(text + "\n" for text, _, _ in lines))
        out.write(self.repl.prompt + buf.document.text)
        out.flush()

    def _take(self) -> list[tuple[str, int | None, bool]]:
        with self._lock:
            lines, self._pending = self._pending, []
        return lines

    def drain(self) -> None:
        """Print every pending line now."""
        lines = self._take()
        if not lines:
            return
        repl = self.repl
        repl.end_caret_line()
        if not repl.terminal.color:
            repl.stdout.write("".join(text + "\n" for text, _, _ in lines))
            repl.stdout.flush()
            return
        fragments: StyleAndTextTuples = []
        for text, level, kernel in lines:
            fragments.extend(self._fragments(text, level, kernel))
            fragments.append(("", "\n"))
        print_formatted_text(FormattedText(fragments), end="", style=repl.style, output=repl.output,
                             include_default_pygments_style=False)

    def _fragments(self, text: str, level: int | None, kernel: bool) -> StyleAndTextTuples:
        """A line is coloured as one unit (by its printk level, or as a tool's error), never
        split by escapes: `expect("patching complete")` matches it on any terminal."""
        if level is not None and 0 <= level < len(LEVEL_CLASSES):
            return [(f"class:{LEVEL_CLASSES[level]}", text)]
        if not kernel and _TOOL_ERROR.search(text):
            return [("class:output.error", text)]
        return [("", text)]


class Repl:
    """One interactive session: the machine, its shell, the prompt and the live console."""

    def __init__(self, kernel: "Kernel", prompt: str = "% ", *, input: Input | None = None,
                 output: Output | None = None, env: Mapping[str, str] | None = None,
                 stdout: TextIO | None = None, history: History | None = None,
                 cwd: Path | None = None) -> None:
        self.kernel = kernel
        self.prompt = prompt
        self.env = os.environ if env is None else env
        self.stdout = stdout or sys.stdout
        self.terminal = Terminal.detect(self.env, self.stdout) if output is None else \
            Terminal(dumb=False, color=not self.env.get("NO_COLOR"))
        self.style = build_style(self.terminal)
        self.console = LiveConsole(self)
        self._interrupted = False
        self._caret = False
        self.prompting: asyncio.AbstractEventLoop | None = None  # the loop, while the prompt is up
        self.shell = Shell(kernel, self.console.line, echo=False, console=False, cwd=cwd,
                           interrupted=lambda: self._interrupted)
        self.shell.clear = self._clear_screen
        self.completer = KlpshCompleter(kernel, self.shell.tools, self.shell.cwd,
                                        self.shell.modules_dir)
        with _plain_output(self.stdout) if output is None and self.terminal.dumb else nullcontext():
            self.session = self._session(input, output, history)
        self.output = self.session.output
        # The toolbar needs the terminal to answer cursor-position requests (CPR). One that
        # doesn't (pexpect, some pipes) just gets no toolbar, not prompt_toolkit's warning.
        self.session.app.renderer.cpr_not_supported_callback = None
        kernel.printk.consoles.append(self.console.record)
        self.shell.on_reboot.append(self._rebooted)

    def _rebooted(self, kernel: "Kernel") -> None:
        """`reboot` booted KERNEL: the toolbar, completion and live console follow it."""
        self.kernel = kernel
        self.completer.ctx = type(self.completer.ctx)(kernel, self.shell.tools, self.shell.cwd,
                                                      self.shell.modules_dir)
        kernel.printk.consoles.append(self.console.record)

    def _session(self, input: Input | None, output: Output | None,
                 history: History | None) -> "PromptSession[str]":
        return PromptSession(
            input=input, output=output,
            history=history if history is not None else _history(self.env),
            completer=self.completer, complete_while_typing=False,
            lexer=PygmentsLexer(KlpshLexer) if self.terminal.color else None,
            style=self.style, include_default_pygments_style=False,
            bottom_toolbar=(lambda: toolbar_fragments(self.kernel)) if not self.terminal.dumb else None,
            refresh_interval=TOOLBAR_REFRESH if self._live_toolbar() else None,
            color_depth=None if self.terminal.color else ColorDepth.DEPTH_1_BIT,
            key_bindings=key_bindings(), enable_history_search=False, mouse_support=False)

    def _clear_screen(self) -> None:
        """`clear`: erase the screen and home the cursor (a dumb terminal has no screen)."""
        if self.terminal.dumb:
            return
        self.output.erase_screen()
        self.output.cursor_goto(0, 0)
        self.output.flush()

    def _live_toolbar(self) -> bool:
        """Redraw the toolbar by itself only where time moves by itself."""
        return not self.terminal.dumb and self.kernel.clock.pacer is not None

    def run(self) -> int:
        """Read and run commands until `exit` or Ctrl-D; the exit status."""
        loop = asyncio.new_event_loop()
        try:
            return loop.run_until_complete(self.main())
        finally:
            loop.close()

    async def main(self) -> int:
        self.console.line(self.banner())
        ticker = asyncio.ensure_future(self._follow_wall_clock()) if self.kernel.clock.pacer else None
        try:
            # Between prompts (the terminal cooked again) a Ctrl-C is a SIGINT: one that comes
            # after Enter and before the command starts must raise the flag, not a traceback.
            with self._ctrl_c_flags():
                while self.shell.exit_status is None:
                    try:
                        text = await self._prompt()
                    except KeyboardInterrupt:
                        continue  # Ctrl-C: the line is dropped, a new prompt follows
                    except EOFError:
                        break     # Ctrl-D on an empty line
                    self.execute(text)
        finally:
            if ticker is not None:
                ticker.cancel()
        return self.shell.exit_status or 0

    async def _prompt(self) -> str:
        self._interrupted = False     # a Ctrl-C from here on is for the next command
        self.prompting = asyncio.get_running_loop()
        try:
            with self._raw_before_prompt():
                return await self.session.prompt_async([("class:prompt", self.prompt)])
        finally:
            self.prompting = None

    def _raw_before_prompt(self) -> Any:
        """Raw mode from before the prompt is written until prompt_toolkit is all done.

        Before: prompt_toolkit's dumb prompt writes the prompt before it puts the terminal in
        raw mode: a line typed the moment the prompt shows (pexpect, a fast typist on a loaded
        machine) was then echoed by the terminal as well as by the prompt, as a line of its own.
        After: any prompt leaves raw mode, so that Ctrl-C is a SIGINT again, before it waits for
        its background tasks and only then gives SIGINT back to us; a Ctrl-C typed right after
        Enter went to prompt_toolkit's finished application and was lost, and the command ran
        on. Cooked mode after the prompt has returned sends that Ctrl-C to _on_sigint."""
        return self.session.input.raw_mode()

    def banner(self) -> str:
        clock = "real-time" if self.kernel.clock.pacer is not None else "virtual"
        return (f"klpsh: simulated Linux {self.kernel.release}, {clock} clock; "
                "`help` lists the commands, Ctrl-D leaves.")

    def execute(self, text: str) -> int:
        """Run what was entered now (the prompt is not shown meanwhile): one command a line, as
        a paste may hold several; a block pasted from the document runs its `% ` commands and
        passes over its output lines (see document_commands)."""
        self.console.drain()
        status = 0
        with self._ctrl_c_flags(reset=False):
            for line in document_commands(text):
                if self.shell.exit_status is not None or self._interrupted:
                    break
                self._guarded(self.kernel.catch_up)
                status = self.shell.run_line(line)
        self.console.drain()
        self.end_caret_line()
        return status

    @contextmanager
    def _ctrl_c_flags(self, reset: bool = True) -> Iterator[None]:
        """While a command runs, Ctrl-C (SIGINT) only raises a flag the tools look at: an
        exception in the middle of kernel code would leave the machine half-way."""
        if reset:
            self._interrupted = False
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = signal.signal(signal.SIGINT, self._on_sigint)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)

    def _on_sigint(self, signum: int, frame: object) -> None:
        self._interrupted = True
        self._caret = True   # the terminal echoed ^C where the cursor was

    def end_caret_line(self) -> None:
        """After a Ctrl-C the terminal echoed `^C`: what comes next starts on a fresh line."""
        if self._caret:
            self._caret = False
            self.stdout.write("\n")
            self.stdout.flush()

    async def _follow_wall_clock(self) -> None:
        """Real-time mode: while the prompt waits, the machine keeps up with the wall clock."""
        while True:
            await asyncio.sleep(TICK)
            if not self._guarded(self.kernel.catch_up):
                return

    def _guarded(self, fn: Any) -> bool:
        """Run FN; a bug in it is reported in one line, never as a traceback."""
        try:
            fn()
            return True
        except Exception as e:  # noqa: BLE001 - the REPL must survive the machine
            self.console.line(f"klpsh: internal error: {type(e).__name__}: {e}")
            return False


def run(clock: str = "real", prompt: str = "% ", kernel: str | None = None) -> int:
    """`klpsh` on a terminal: boot a machine (KERNEL "4.19" or "5.4") and talk to it."""
    from klpsh.cli import boot

    try:
        machine = boot(clock, kernel)
    except Exception as e:  # noqa: BLE001 - no traceback reaches the user
        print(f"klpsh: internal error: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    return Repl(machine, prompt).run()
