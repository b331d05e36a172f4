"""uname [-asnrvmpio]: the machine's utsname (coreutils uname)."""

from __future__ import annotations

from klpsh.tools import ToolContext, parse_options, tool

# (option, long option, field of struct new_utsname or a fixed value); coreutils' -a order.
_FIELDS = (("-s", "--kernel-name", "sysname"), ("-n", "--nodename", "nodename"),
           ("-r", "--kernel-release", "release"), ("-v", "--kernel-version", "version"),
           ("-m", "--machine", "machine"), ("-p", "--processor", None),
           ("-i", "--hardware-platform", None), ("-o", "--operating-system", "GNU/Linux"))


@tool("uname", "uname [-asnrvmo]", "print the kernel's name, release, version and machine")
def uname(ctx: ToolContext, args: list[str]) -> int:
    longs = ("all", *(f[1][2:] for f in _FIELDS), "help")
    parsed = parse_options(ctx, "uname", args, "asnrvmpio", longs, hint=True)
    if parsed is None:
        return 1
    opts, rest = parsed
    if rest:
        ctx.errln(f"uname: extra operand ‘{rest[0]}’")
        ctx.errln("Try 'uname --help' for more information.")
        return 1
    asked = {o for o, _ in opts}
    uts = ctx.kernel.utsname()
    every = bool(asked & {"-a", "--all"})
    words = []
    for short, long, field in _FIELDS:
        wanted = every or short in asked or long in asked or (not asked and short == "-s")
        if not wanted:
            continue
        if field is None:           # -p, -i: "unknown" when asked for, left out of -a
            if not every:
                words.append("unknown")
        elif field == "GNU/Linux":
            words.append(field)
        else:
            words.append(getattr(uts, field))
    ctx.outln(" ".join(words))
    return 0
