"""A small kernfs: directories and attributes with show/store, for /sys and /proc."""

from __future__ import annotations

import posixpath
from typing import Callable

from kernel.errno import Errno, KernelError
from kernel.record import field, record


@record(eq=False)
class Attr:
    """A file: mode bits decide who may open it; show/store produce and consume text."""

    mode: int
    show: Callable[[], str] | None = None
    store: Callable[[str], None] | None = None
    dac_override: bool = False      # procfs: root may open it whatever its mode

    def power_off(self) -> None:
        """Let go of the code over the file's owner (often the machine): kernel/teardown.py."""
        self.show = self.store = None


@record(eq=False)
class Symlink:
    """A symbolic link: the path it holds, relative to its directory or absolute. SIZE is
    what stat() says (sysfs and debugfs links: 0; None: the target's length)."""

    target: str
    mode: int = 0o120777
    size: int | None = None

    def power_off(self) -> None:
        """A path holds nothing (kernel/teardown.py)."""

    def __post_init__(self) -> None:
        if self.size is None:
            self.size = len(self.target.encode("latin-1", "replace"))


MAXSYMLINKS = 40


@record(eq=False)
class Dir:
    """A directory with fixed children and, optionally, computed ones (e.g. /proc/<pid>)."""

    children: dict[str, "Dir | Attr | Symlink"] = field(default_factory=dict)
    dynamic: Callable[[], dict[str, "Dir | Attr"]] | None = None

    def power_off(self) -> None:
        """Let go of the computed entries' code, and every child of its own (kernel/teardown.py)."""
        self.dynamic = None
        for node in self.children.values():
            node.power_off()

    def entries(self) -> dict[str, "Dir | Attr | Symlink"]:
        if self.dynamic is None:
            return self.children
        return {**self.children, **self.dynamic()}

    def mkdir(self, path: str) -> "Dir":
        """Create (or find) the directory PATH below this one."""
        d = self
        for part in path.strip("/").split("/"):
            if not part:
                continue
            nxt = d.children.get(part)
            if not isinstance(nxt, Dir):
                nxt = d.children[part] = Dir()
            d = nxt
        return d

    def remove(self, name: str) -> None:
        self.children.pop(name, None)


@record(eq=False)
class TmpfsDir(Dir):
    """A directory of the in-memory file system (kernel/fs/tmpfs.py): new regular files may
    be made in it."""

    mode: int = 0o755


class Vfs:
    """Path walking plus the permission rules kernfs applies at open()."""

    def __init__(self) -> None:
        self.root: Dir = TmpfsDir()

    def lookup(self, path: str, follow: bool = True) -> Dir | Attr:
        """The node at PATH; symbolic links on the way are followed, the last one only when
        FOLLOW (then a Symlink may come back)."""
        return self._walk(path, follow, [0])  # type: ignore[return-value]

    def _walk(self, path: str, follow: bool, links: list[int]) -> "Dir | Attr | Symlink":
        parts = path.strip("/").split("/")
        if "" in parts or "." in parts or ".." in parts:    # (else normpath() changes nothing)
            parts = [p for p in posixpath.normpath("/" + path.strip("/")).split("/") if p]
        node: Dir | Attr | Symlink = self.root
        last = len(parts) - 1
        for i, part in enumerate(parts):
            if not isinstance(node, Dir):
                raise KernelError(Errno.ENOTDIR)
            if node.dynamic is None:
                nxt = node.children.get(part)
            else:                               # entries(): a computed name hides a fixed one
                nxt = node.dynamic().get(part)
                if nxt is None:
                    nxt = node.children.get(part)
            if nxt is None:
                raise KernelError(Errno.ENOENT)
            if isinstance(nxt, Symlink) and (follow or i < last):
                rest = parts[i + 1:]
                links[0] += 1
                if links[0] > MAXSYMLINKS:
                    raise KernelError(Errno.ELOOP)
                base = "/" + "/".join(parts[:i])
                target = nxt.target if nxt.target.startswith("/") else base + "/" + nxt.target
                return self._walk("/".join([target, *rest]), follow, links)
            node = nxt
        return node

    def exists(self, path: str) -> bool:
        try:
            self.lookup(path)
            return True
        except KernelError:
            return False

    def isdir(self, path: str) -> bool:
        try:
            return isinstance(self.lookup(path), Dir)
        except KernelError:
            return False

    def listdir(self, path: str) -> list[str]:
        node = self.lookup(path)
        if not isinstance(node, Dir):
            raise KernelError(Errno.ENOTDIR)
        return sorted(node.entries(), key=_natural)

    def open_read(self, path: str) -> Callable[[], str]:
        node = self.lookup(path)
        if isinstance(node, Dir):
            raise KernelError(Errno.EISDIR)
        if (not node.mode & 0o444 and not node.dac_override) or node.show is None:
            raise KernelError(Errno.EACCES)
        return node.show

    def open_write(self, path: str) -> Callable[[str], None]:
        node = self.lookup(path)
        if isinstance(node, Dir):
            raise KernelError(Errno.EISDIR)
        if (not node.mode & 0o222 and not node.dac_override) or node.store is None:
            raise KernelError(Errno.EACCES)
        return node.store


def _natural(name: str) -> tuple:
    return (0, int(name), "") if name.isdigit() else (1, 0, name)
