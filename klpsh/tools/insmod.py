"""insmod FILE [PARAM=VALUE ...]: load a module file into the kernel (kmod's tools/insmod.c)."""

from __future__ import annotations

from kernel.errno import KernelError
from klpsh.tools import ToolContext, parse_options, tool
from klpsh.tools.kmod import LoadError, mod_strerror, read_module

USAGE = "insmod FILE [PARAM=VALUE ...]"
_HELP = (
    "Usage:",
    "\tinsmod [options] filename [args]",
    "Options:",
    "\t-V, --version     show version",
    "\t-h, --help        show this help",
)


@tool("insmod", USAGE, "insert a module file into the kernel")
def insmod(ctx: ToolContext, args: list[str]) -> int:
    parsed = parse_options(ctx, "insmod", args, "psfVh", ("version", "help"))
    if parsed is None:
        return 1
    opts, rest = parsed
    flags = {o for o, _ in opts}
    if flags & {"-h", "--help"}:
        for line in _HELP:
            ctx.outln(line)
        return 0
    if flags & {"-V", "--version"}:
        ctx.outln("kmod version 25")
        return 0
    if not rest:
        ctx.errln("insmod: ERROR: missing filename.")
        return 1
    filename, params = rest[0], " ".join(rest[1:])
    if filename == "-":
        ctx.errln("insmod: ERROR: this tool does not support loading from stdin!")
        return 1
    return _insert(ctx, filename, params)


def _insert(ctx: ToolContext, filename: str, params: str) -> int:
    try:
        image = read_module(ctx, filename)
        ctx.kernel.init_module(image, params, comm="insmod")
    except LoadError as e:
        ctx.errln(f"insmod: ERROR: could not {e.stage} module {filename}: {e.reason}")
        return 1
    except KernelError as e:
        ctx.errln(f"insmod: ERROR: could not insert module {filename}: {mod_strerror(e.errno)}")
        return 1
    return 0
