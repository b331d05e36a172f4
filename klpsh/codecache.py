"""klpsh's own modules in one file of compiled code, beside their bytecode cache.

With the bytecode cache on, each of the ~150 modules a replay imports costs the import system a
search of its package directory, a stat, an open and a read of its .pyc (~30 us each). This
file holds the same code objects, each with the size and mtime of the source it was compiled
from: a submodule of `kernel` or `klpsh` whose source is unchanged and in its parent package's
directory is read from it with one pread; any other import (a changed source, a module not in
the file, another checkout) goes the usual way. A run that imported one of klpsh's modules the
usual way writes the file again at exit, from the .pyc files Python has just validated.

The file: MAGIC, Python's bytecode magic, the index's length (8 bytes, little-endian), the
index (marshal: name -> (source, is_package, mtime_ns, size, offset, length, cached)), then
each module's code as marshal wrote it in its .pyc (offsets from the start of the file).
"""

from __future__ import annotations

import marshal
import os
import sys
from importlib.machinery import ModuleSpec, SourceFileLoader
from importlib.util import MAGIC_NUMBER
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

    Entry = tuple[str, bool, int, int, int, int, "str | None"]  # source, package?, mtime_ns, size, offset, length, .pyc

__all__ = ["install", "BundleFinder", "bundle_path"]

MAGIC = b"klpshmod"
PACKAGES = frozenset({"kernel", "klpsh"})     # the top-level packages whose submodules it holds
NAME = f"klpsh-modules.{sys.implementation.cache_tag}.bin"   # (no module can have that name)
_HEADER = len(MAGIC) + len(MAGIC_NUMBER) + 8
_PYC_HEADER = 16                               # magic, flags, source mtime, source size



def bundle_path(package_dir: str) -> str:
    """Where the file of the checkout whose klpsh package is at PACKAGE_DIR lives: where its
    .pyc files do (under sys.pycache_prefix, or in its __pycache__)."""
    prefix = sys.pycache_prefix
    if prefix:
        return os.path.join(prefix, package_dir.lstrip(os.sep), NAME)
    return os.path.join(package_dir, "__pycache__", NAME)


class _Loader(SourceFileLoader):
    """The source loader of a module whose code the file holds: only get_code() differs
    (source, resources and the rest are the file's as usual)."""

    def __init__(self, fullname: str, path: str, code: bytes) -> None:
        super().__init__(fullname, path)
        self._code: bytes | None = code

    def get_code(self, fullname: str) -> Any:
        code, self._code = self._code, None
        if code is None or fullname != self.name:
            return super().get_code(fullname)
        return marshal.loads(code)


class BundleFinder:
    """The meta path finder of one file (first on sys.meta_path)."""

    def __init__(self, path: str, root: str, packages: frozenset[str] = PACKAGES) -> None:
        self.path = path
        self.root = root                       # the checkout: the directory holding klpsh/
        self.packages = packages
        self.index: dict[str, Entry] = {}
        self.fd = -1
        self.before = frozenset(sys.modules)   # imported already: never from the file
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return
        try:
            head = os.pread(fd, _HEADER, 0)
            n = int.from_bytes(head[-8:], "little")
            if len(head) != _HEADER or head[:-8] != MAGIC + MAGIC_NUMBER or n > 1 << 24:
                raise ValueError("not a bundle of this Python")
            index = marshal.loads(os.pread(fd, n, _HEADER))
            if not isinstance(index, dict):
                raise ValueError("bad index")
        except (OSError, ValueError, EOFError, TypeError):
            os.close(fd)
            return
        self.index, self.fd = index, fd

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        entry = self.index.get(fullname)
        if entry is None or path is None:
            return None
        try:
            origin, is_pkg, mtime_ns, size, offset, length, cached = entry
            where = os.path.dirname(origin)    # (a package's: the directory holding it)
            if (os.path.dirname(where) if is_pkg else where) not in path:
                return None                    # the parent package is another checkout's
            st = os.stat(origin)
            if st.st_mtime_ns != mtime_ns or st.st_size != size:
                return None
            code = os.pread(self.fd, length, offset)
        except (OSError, ValueError, TypeError):
            return None
        if len(code) != length:
            return None
        spec = ModuleSpec(fullname, _Loader(fullname, origin, code), origin=origin,
                          is_package=is_pkg)
        spec.has_location = True
        spec.cached = cached
        if is_pkg:
            spec.submodule_search_locations = [os.path.dirname(origin)]
        return spec

    # --- writing -------------------------------------------------------------------
    def update(self) -> bool:
        """Write the file again if a module of the checkout was imported the usual way this
        run (atexit): its entries kept, those modules' code read from their .pyc. True if
        written."""
        new: dict[str, tuple[Entry, bytes]] = {}
        for name, module in list(sys.modules.items()):
            if name.partition(".")[0] not in self.packages or "." not in name:
                continue
            spec = getattr(module, "__spec__", None)
            if spec is None or isinstance(spec.loader, _Loader) or name in self.before:
                continue
            found = _from_pyc(name, spec, self.root)
            if found is not None:
                new[name] = found
        if not new:
            return False
        blobs: list[tuple[str, Entry, bytes]] = []
        for name, entry in self.index.items():
            if name not in new and self.fd >= 0:
                try:
                    code = os.pread(self.fd, entry[5], entry[4])
                except (OSError, IndexError, TypeError):
                    continue
                if len(code) == entry[5]:
                    blobs.append((name, entry, code))
        blobs.extend((name, entry, code) for name, (entry, code) in new.items())
        return _write(self.path, blobs)


def _from_pyc(name: str, spec: ModuleSpec, root: str) -> tuple[Entry, bytes] | None:
    """NAME's entry and code from the .pyc its import just read or wrote, if that .pyc is of
    the source as it is now (timestamp-based, as Python writes it) and the module is the
    checkout's."""
    origin, cached = spec.origin, spec.cached
    if not origin or not cached or not origin.endswith(".py") or \
            not origin.startswith(root + os.sep):
        return None
    try:
        st = os.stat(origin)
        with open(cached, "rb") as f:
            data = f.read()
    except OSError:
        return None
    head = data[:_PYC_HEADER]
    if len(head) < _PYC_HEADER or head[:4] != MAGIC_NUMBER or head[4:8] != bytes(4) or \
            int.from_bytes(head[8:12], "little") != int(st.st_mtime) & 0xFFFF_FFFF or \
            int.from_bytes(head[12:16], "little") != st.st_size & 0xFFFF_FFFF:
        return None
    is_pkg = spec.submodule_search_locations is not None
    return (origin, is_pkg, st.st_mtime_ns, st.st_size, 0, len(data) - _PYC_HEADER, cached), \
        data[_PYC_HEADER:]


def _write(path: str, blobs: list[tuple[str, Entry, bytes]]) -> bool:
    """Write the file at PATH holding BLOBS (their offsets are set here), atomically."""
    def index_of(base: int) -> dict[str, Entry]:
        out, offset = {}, base
        for name, (origin, is_pkg, mtime_ns, size, _o, length, cached), _code in blobs:
            out[name] = (origin, is_pkg, mtime_ns, size, offset, length, cached)
            offset += length
        return out
    # The offsets depend on the index's own length: marshal's ints of the same magnitude
    # take the same room, so a second pass settles it.
    size = len(marshal.dumps(index_of(0)))
    data = marshal.dumps(index_of(_HEADER + size))
    if len(data) != size:
        size = len(data)
        data = marshal.dumps(index_of(_HEADER + size))
        if len(data) != size:
            return False
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "wb") as f:
            f.write(MAGIC + MAGIC_NUMBER + len(data).to_bytes(8, "little") + data)
            for _name, _entry, code in blobs:
                f.write(code)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False
    return True


def install(env: "os._Environ[str] | dict[str, str]" = os.environ) -> BundleFinder | None:
    """Read klpsh's modules from the file from now on, and write it at exit if this run
    imported some the usual way; None (nothing done) where no bytecode is written."""
    from klpsh.entry import NO_CACHE_ENV

    if sys.dont_write_bytecode or env.get(NO_CACHE_ENV):
        return None
    if any(isinstance(f, BundleFinder) for f in sys.meta_path):
        return None
    here = os.path.dirname(os.path.abspath(__file__))
    finder = BundleFinder(bundle_path(here), os.path.dirname(here))
    sys.meta_path.insert(0, finder)
    import atexit

    atexit.register(finder.update)
    return finder
