"""The `klpsh` console script and `python -m klpsh`: turn the bytecode cache on, then import
the command (klpsh.cli and all it imports are then read from the cache; only this module and
the package's __init__ are compiled on every start)."""

from __future__ import annotations

import os
import sys

NO_CACHE_ENV = "KLPSH_NO_BYTECODE_CACHE"   # set (non-empty): compile every start, write nothing


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
    """Run the command on the process's own arguments, the bytecode cache set up first."""
    bytecode_cache()
    from klpsh.cli import main as command

    return command()
