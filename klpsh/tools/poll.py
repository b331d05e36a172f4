"""poll [--nonblock] [-w] [-e EVENTS] FILE [TIMEOUT]: open FILE, poll(2) it once, print what
came back as strace shows a poll (klpsh's own tool, for a driver's f_op->poll).

EVENTS is a comma list of in, pri, out, rdnorm, rdband, wrnorm, wrband, msg, rdhup (or a
number); the default is in (in,out with -w, which opens FILE read-write). TIMEOUT is in
milliseconds (default -1: wait until the file is ready, a signal or Ctrl-C, within the
shell's bounds for one command); 0 polls without waiting.
"""

from __future__ import annotations

from kernel.errno import KernelError, strerror
from kernel.fs.file import O_NONBLOCK, O_RDONLY, O_RDWR
from kernel.fs.select import POLL_NAMES, POLLIN, POLLOUT, poll_text
from klpsh.tools import ToolContext, parse_options, tool

USAGE = "Usage: poll [--nonblock] [-w] [-e EVENTS] FILE [TIMEOUT_MS]"
_EVENTS = {name[4:].lower(): bit for name, bit in POLL_NAMES}


def parse_events(text: str) -> int | None:
    """The mask a comma list of event names (or a number) stands for; None if bad."""
    mask = 0
    for word in text.split(","):
        word = word.strip().lower()
        if word.startswith("poll"):
            word = word[4:]
        if word in _EVENTS:
            mask |= _EVENTS[word]
            continue
        try:
            mask |= int(word, 0)
        except ValueError:
            return None
    return mask if 0 <= mask <= 0xFFFF else None


@tool("poll", "poll [--nonblock] [-w] [-e EVENTS] FILE [TIMEOUT_MS]",
      "poll(2) a /dev, /proc or /sys file once and print the events it reports")
def poll(ctx: ToolContext, args: list[str]) -> int:
    parsed = parse_options(ctx, "poll", args, "we:", ("nonblock",), hint=True)
    if parsed is None:
        return 2
    opts, args = parsed
    if len(args) not in (1, 2):
        ctx.errln(USAGE)
        return 2
    write = any(o == "-w" for o, _ in opts)
    events = POLLIN | (POLLOUT if write else 0)
    for o, v in opts:
        if o == "-e":
            got = parse_events(v)
            if got is None:
                ctx.errln(f"poll: invalid events: '{v}'")
                return 2
            events = got
    try:
        timeout = int(args[1]) if len(args) == 2 else -1
    except ValueError:
        ctx.errln(f"poll: invalid timeout: '{args[1]}'")
        return 2
    path = args[0]
    flags = (O_RDWR if write else O_RDONLY) | \
        (O_NONBLOCK if any(o == "--nonblock" for o, _ in opts) else 0)
    try:
        revents = ctx.kernel.fs.poll(path, events, timeout, flags=flags)
    except KernelError as e:
        ctx.errln(f"poll: {path}: {strerror(e.errno)}")
        return 1
    head = f"poll([{{{path}, events={poll_text(events)}}}], 1, {timeout})"
    if not revents:
        ctx.outln(f"{head} = 0 (Timeout)")
        return 1
    ctx.outln(f"{head} = 1 ([{{{path}, revents={poll_text(revents)}}}])")
    return 0
