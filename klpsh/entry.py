"""The `klpsh` console script and `python -m klpsh`: turn the bytecode cache on, then import
the command (klpsh.cli and all it imports are then read from the cache; only this module and
the package's __init__ are compiled on every start: this one holds no more than must run
before the cache is on)."""

from __future__ import annotations

import gc
import os
import sys

NO_CACHE_ENV = "KLPSH_NO_BYTECODE_CACHE"   # set (non-empty): compile every start, write nothing
# The command's start allocates its long-lived objects (modules, classes, the booted machine)
# in one burst: at the default first threshold (700) the collector runs ~50 times and its
# middle generation walks them again and again (~7 ms of a replay); at this one, ~6 times.
GC_THRESHOLD = (5000, 10, 10)


def bytecode_cache(env: "os._Environ[str] | dict[str, str]" = os.environ) -> str | None:
    """If bytecode may not be written beside the sources and no other place is set, keep it
    under $XDG_CACHE_HOME/klpsh/pycache (sys.pycache_prefix) for the modules imported from
    now on; returns that directory, or None if nothing changed. Stale entries are recompiled
    as usual (source mtime and size, per interpreter version); an unwritable directory only
    means compiling again."""
    if not sys.dont_write_bytecode or sys.pycache_prefix or env.get(NO_CACHE_ENV):
        return None
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None
    sys.pycache_prefix = os.path.join(base, "klpsh", "pycache")
    sys.dont_write_bytecode = False
    return sys.pycache_prefix


def main() -> int:
    """Run the command on the process's own arguments, the bytecode cache set up first; then
    leave (klpsh.cli.leave_now())."""
    bytecode_cache()
    gc.set_threshold(*GC_THRESHOLD)
    if not sys.dont_write_bytecode and not os.environ.get(NO_CACHE_ENV):
        from klpsh.codecache import install     # (where bytecode is written)

        install()
    from klpsh.cli import leave_now, main as command

    return leave_now(command())
