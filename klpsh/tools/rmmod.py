"""rmmod [-f] NAME|FILE ...: unload modules, checking first as kmod's tools/rmmod.c does."""

from __future__ import annotations

from kernel.errno import KernelError, strerror
from klpsh.tools import ToolContext, host_exists, parse_options, tool
from klpsh.tools.kmod import (O_NONBLOCK, O_TRUNC, holders, initstate, modname_normalize,
                              path_to_modname, refcnt)

USAGE = "rmmod [-f] NAME|FILE ..."


@tool("rmmod", USAGE, "remove a module from the kernel")
def rmmod(ctx: ToolContext, args: list[str]) -> int:
    parsed = parse_options(ctx, "rmmod", args, "fsvVh", ("force", "syslog", "verbose", "version", "help"))
    if parsed is None:
        return 1
    opts, names = parsed
    flags = {o for o, _ in opts}
    if flags & {"-h", "--help"}:
        ctx.outln(f"Usage:\n\t{USAGE}")
        return 0
    if not names:
        ctx.errln("rmmod: ERROR: missing module name.")
        return 1
    force = bool(flags & {"-f", "--force"})
    failed = sum(_remove_one(ctx, arg, force) for arg in names)
    return 1 if failed else 0


def module_name(ctx: ToolContext, arg: str) -> str:
    """kmod: an existing file names its module by its path, anything else is a module name."""
    if host_exists(ctx.resolve_path(arg)):
        return path_to_modname(arg)
    return modname_normalize(arg)


def _remove_one(ctx: ToolContext, arg: str, force: bool) -> int:
    """Remove one module; 1 on failure (after printing kmod's error), 0 on success."""
    name = module_name(ctx, arg)
    if not force and not _check_inuse(ctx, name):
        return 1
    flags = O_NONBLOCK | (O_TRUNC if force else 0)
    try:
        ctx.kernel.delete_module(name, flags, comm="rmmod")
    except KernelError as e:
        ctx.errln(f"rmmod: ERROR: could not remove module {arg}: {strerror(e.errno)}")
        return 1
    return 0


def _check_inuse(ctx: ToolContext, name: str) -> bool:
    """check_module_inuse(): True if NAME may be removed, else print why not."""
    state = initstate(ctx, name, "rmmod")
    if state == "builtin":
        ctx.errln(f"rmmod: ERROR: Module {name} is builtin.")
        return False
    if state is None:
        ctx.errln(f"rmmod: ERROR: Module {name} is not currently loaded")
        return False
    users = holders(ctx, name)
    if users:
        ctx.errln(f"rmmod: ERROR: Module {name} is in use by: {' '.join(users)}")
        return False
    count = refcnt(ctx, name, "rmmod")
    if count is None:
        ctx.errln("rmmod: ERROR: Module unloading is not supported")
    elif count > 0:
        ctx.errln(f"rmmod: ERROR: Module {name} is in use")
        return False
    return True
