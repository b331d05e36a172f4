"""cat [-u] [--nonblock] FILE...: print files of the machine's /sys, /proc and /dev
(coreutils cat: read(2) after read(2) of its 128 KiB buffer, each written out as it comes).

--nonblock (klpsh's own) opens each FILE with O_NONBLOCK, as `cat < FILE` after
`exec 3<>FILE; fcntl O_NONBLOCK` would; a read with no data then fails with EAGAIN.
A file that never ends is read until klpsh's bounds for one command are used up (or 1 MiB
has come), then cat stops with a klpsh: line saying so. Ctrl-C stops it between reads, or
sends SIGINT to a read that sleeps (an interruptible wait returns -ERESTARTSYS).
"""

from __future__ import annotations

from kernel.errno import KernelError, strerror
from kernel.fs.file import O_NONBLOCK, O_RDONLY
from kernel.fs.syscalls import StreamStopped
from klpsh.tools import ToolContext, parse_options, tool


@tool("cat", "cat [-u] [--nonblock] FILE...", "print a /sys, /proc or /dev file as it is read")
def cat(ctx: ToolContext, args: list[str]) -> int:
    parsed = parse_options(ctx, "cat", args, "u", ("nonblock",), hint=True)
    if parsed is None:
        return 1
    opts, args = parsed
    flags = O_RDONLY | (O_NONBLOCK if any(o == "--nonblock" for o, _ in opts) else 0)
    status = 0
    if not args or args == ["-"]:
        ctx.out(ctx.stdin or "")       # `... | cat`: copy the pipe
        return 0
    for path in args:
        if path == "-":
            ctx.out(ctx.stdin or "")
            continue
        try:
            for data in ctx.kernel.fs.read_stream(path, comm="cat", flags=flags):
                ctx.out(data.decode("latin-1"))
        except KernelError as e:
            ctx.errln(f"cat: {path}: {strerror(e.errno)}")
            status = 1
        except StreamStopped as e:
            if e.end.why == "interrupted":
                return 130                      # SIGINT: cat dies quietly, as bash shows it
            ctx.errln(e.end.message("cat", path))
            return 1
    return status
