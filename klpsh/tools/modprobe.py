"""modprobe [-r] NAME [PARAM=VALUE ...]: load or remove a module by name (kmod's tools/modprobe.c).

Modules are looked up by name in the bundled modules/ and the current directory; there is no
modules.dep, so no dependencies are pulled in.
"""

from __future__ import annotations

from kernel.errno import Errno, KernelError, strerror
from klpsh.tools import ToolContext, parse_options, tool
from klpsh.tools.kmod import O_NONBLOCK, LoadError, initstate, modname_normalize, read_module, refcnt

USAGE = "modprobe [-r] [--first-time] NAME [PARAM=VALUE ...]"
MODULES_DIR = "/lib/modules/4.19.0-klpsh"

# modprobe.c insmod(): the insert errors it words itself; the rest are strerror.
_INSERT_ERRORS = {
    Errno.EEXIST: "Module already in kernel",
    Errno.ENOENT: "Unknown symbol in module, or unknown parameter (see dmesg)",
}


@tool("modprobe", USAGE, "load (or with -r remove) a module by name")
def modprobe(ctx: ToolContext, args: list[str]) -> int:
    parsed = parse_options(ctx, "modprobe", args, "rfqvh", ("remove", "first-time", "force", "quiet",
                                                              "verbose", "help"))
    if parsed is None:
        return 1
    opts, rest = parsed
    flags = {o for o, _ in opts}
    if flags & {"-h", "--help"}:
        ctx.outln(f"Usage:\n\t{USAGE}")
        return 0
    if not rest:
        ctx.errln("modprobe: ERROR: missing parameters. See -h.")
        return 1
    first_time = "--first-time" in flags
    if flags & {"-r", "--remove"}:
        return max(_remove(ctx, name, first_time) for name in rest)
    return _insert(ctx, rest[0], " ".join(rest[1:]), first_time)


def _insert(ctx: ToolContext, alias: str, params: str, first_time: bool) -> int:
    path = ctx.find_module_file(alias)
    if path is None:
        ctx.errln(f"modprobe: FATAL: Module {alias} not found in directory {MODULES_DIR}")
        return 1
    name = modname_normalize(path.name)
    if initstate(ctx, name, "modprobe") in ("live", "coming", "builtin"):
        if not first_time:
            return 0
        ctx.errln(f"modprobe: ERROR: could not insert '{name}': {_INSERT_ERRORS[Errno.EEXIST]}")
        return 1
    try:
        image = read_module(ctx, str(path))
        ctx.kernel.init_module(image, params, comm="modprobe")
    except LoadError as e:
        ctx.errln(f"modprobe: ERROR: could not insert '{name}': {e.reason}")
        return 1
    except KernelError as e:
        if e.errno == Errno.EEXIST and not first_time:
            return 0
        reason = _INSERT_ERRORS.get(e.errno) or strerror(e.errno)
        ctx.errln(f"modprobe: ERROR: could not insert '{name}': {reason}")
        return 1
    return 0


def _remove(ctx: ToolContext, alias: str, first_time: bool) -> int:
    name = modname_normalize(alias)
    state = initstate(ctx, name, "modprobe")
    if state is None:
        if ctx.find_module_file(alias) is None:
            ctx.errln(f"modprobe: FATAL: Module {alias} not found.")
            return 1
        if first_time:
            ctx.errln(f"modprobe: FATAL: Module {name} is not in kernel.")
            return 1
        return 0
    if state == "builtin":
        ctx.errln(f"modprobe: FATAL: Module {name} is builtin.")
        return 1
    if (refcnt(ctx, name, "modprobe") or 0) > 0:
        ctx.errln(f"modprobe: FATAL: Module {name} is in use.")
        return 1
    try:
        ctx.kernel.delete_module(name, O_NONBLOCK, comm="modprobe")
    except KernelError as e:
        ctx.errln(f"modprobe: ERROR: could not remove '{name}': {strerror(e.errno)}")
        return 1
    return 0
