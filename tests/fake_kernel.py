"""A small stand-in for kernel.machine.Kernel, for testing the shell and tools' wording.

It has the same surface (init_module, delete_module, fs, printk, modules, run_for, ps) and a
handful of knobs to make the syscalls fail. A fake module image is b"\\x7fELF" + its name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

from kernel.errno import Errno, KernelError
from kernel.printk import KERN_INFO, Printk

ELF_MAGIC = b"\x7fELF"
NSEC_PER_SEC = 1_000_000_000


def fake_image(name: str) -> bytes:
    """The bytes of a fake module called NAME."""
    return ELF_MAGIC + name.encode()


@dataclass
class FakeModule:
    name: str
    state: str = "live"
    refcnt: int = 0
    holders: list[str] = field(default_factory=list)
    core_size: int = 16384
    params: dict[str, str] = field(default_factory=dict)


class FakeFs:
    """/sys/module/*, /proc/modules and a few writable attributes, computed from the modules."""

    def __init__(self, k: "FakeKernel") -> None:
        self.k = k
        self.files: dict[str, str | None] = {"/proc/version": "Linux version 4.19.0-klpsh\n"}  # None: a dir
        self.modes: dict[str, int] = {}          # path -> 0o444 etc. (default 0o644)
        self.store_errors: dict[str, Errno] = {}  # path -> errno a write raises
        self.writes: list[tuple[str, str, str]] = []

    def _tree(self) -> dict[str, str | None]:
        """Every path: file text, or None for a directory."""
        tree: dict[str, str | None] = {"/": None, "/sys": None, "/proc": None, "/sys/module": None}
        tree.update(self.files)
        for m in self.k.modules.values():
            base = f"/sys/module/{m.name}"
            tree[base] = None
            tree[f"{base}/initstate"] = m.state + "\n"
            tree[f"{base}/refcnt"] = f"{m.refcnt}\n"
            tree[f"{base}/holders"] = None
            for h in m.holders:
                tree[f"{base}/holders/{h}"] = None
            tree[f"{base}/parameters"] = None
            for p, v in m.params.items():
                tree[f"{base}/parameters/{p}"] = v + "\n"
        tree["/proc/modules"] = "".join(
            f"{m.name} {m.core_size} {m.refcnt} {''.join(h + ',' for h in m.holders) or '-'} "
            f"{m.state.capitalize()} 0x0000000000000000\n"
            for m in reversed(list(self.k.modules.values())))
        return tree

    def read(self, path: str, comm: str = "cat") -> str:
        tree = self._tree()
        if path not in tree:
            raise KernelError(Errno.ENOENT)
        text = tree[path]
        if text is None:
            raise KernelError(Errno.EISDIR)
        if self.modes.get(path, 0o644) & 0o444 == 0:
            raise KernelError(Errno.EACCES)
        return text

    def read_stream(self, path: str, comm: str = "cat", flags: int = 0):  # noqa: ANN201
        """The file as one read, as the real FsCalls.read_stream yields it."""
        yield self.read(path, comm).encode("latin-1")

    def write(self, path: str, data: str, comm: str = "bash", flags: int = 0) -> None:
        tree = self._tree()
        if path not in tree:
            raise KernelError(Errno.ENOENT)
        if tree[path] is None:
            raise KernelError(Errno.EISDIR)
        if self.modes.get(path, 0o644) & 0o222 == 0:
            raise KernelError(Errno.EACCES)
        if path in self.store_errors:
            raise KernelError(self.store_errors[path])
        self.writes.append((path, data, comm))
        parts = path.split("/")
        if len(parts) == 6 and parts[1:3] == ["sys", "module"] and parts[4] == "parameters":
            self.k.modules[parts[3]].params[parts[5]] = data.rstrip("\n")
        else:
            self.files[path] = data

    def listdir(self, path: str) -> list[str]:
        tree = self._tree()
        if path not in tree:
            raise KernelError(Errno.ENOENT)
        if tree[path] is not None:
            raise KernelError(Errno.ENOTDIR)
        prefix = path.rstrip("/") + "/"
        return sorted({p[len(prefix):].split("/")[0] for p in tree
                       if p.startswith(prefix) and p != prefix})

    def isdir(self, path: str) -> bool:
        tree = self._tree()
        return path in tree and tree[path] is None

    def exists(self, path: str) -> bool:
        return path in self._tree()

    def create_error(self, path: str) -> int:
        """The fake makes no files: a path that is not there is ENOENT."""
        return 0 if self.exists(path) else Errno.ENOENT

    def regular_or_new(self, path: str) -> bool:
        return False


class FakeKernel:
    """The Kernel interface the shell programs against, with scripted failures."""

    def __init__(self) -> None:
        self.now = 0
        self.printk = Printk(lambda: self.now)
        self.modules: dict[str, FakeModule] = {}
        self.fs = FakeFs(self)
        self.init_errors: dict[str, Errno] = {}    # module name -> errno init_module raises
        self.delete_errors: dict[str, Errno] = {}  # module name -> errno delete_module raises
        self.calls: list[tuple] = []
        self.timers: list[tuple[int, str]] = []    # (when, text to log)

    @property
    def clock(self) -> SimpleNamespace:
        return SimpleNamespace(now=self.now, pacer=None)  # virtual time only

    def log(self, text: str) -> None:
        self.printk.log(KERN_INFO, text)

    def init_module(self, image: bytes, args: str, comm: str = "insmod") -> None:
        self.calls.append(("init_module", image, args, comm))
        if not image.startswith(ELF_MAGIC):
            raise KernelError(Errno.ENOEXEC)
        name = image[len(ELF_MAGIC):].decode()
        if name in self.modules:
            raise KernelError(Errno.EEXIST)
        self.now += 1_000
        if name in self.init_errors:
            self.log(f"{name}: init failed")
            raise KernelError(self.init_errors[name])
        params = dict(a.split("=", 1) for a in args.split() if "=" in a)
        self.modules[name] = FakeModule(name, params=params)
        self.log(f"{name}: {name}_init")

    def delete_module(self, name: str, flags: int = 0, comm: str = "rmmod") -> None:
        self.calls.append(("delete_module", name, flags, comm))
        if name not in self.modules:
            raise KernelError(Errno.ENOENT)
        if name in self.delete_errors:
            raise KernelError(self.delete_errors[name])
        self.now += 1_000
        self.log(f"{name}: {name}_exit")
        del self.modules[name]

    def sleep_for(self, ns: int | None) -> str | None:
        self.run_for(300 * 10**9 if ns is None else ns)
        return None if ns is not None else "stopped after 300 s of machine time"

    def run_for(self, ns: int) -> None:
        end = self.now + ns
        for when, text in sorted(t for t in self.timers if t[0] <= end):
            self.now = max(self.now, when)
            self.log(text)
        self.timers = [t for t in self.timers if t[0] > end]
        self.now = end

    def ps(self) -> list[SimpleNamespace]:
        return [SimpleNamespace(pid=1, comm="systemd", state="S", patch_state=-1),
                SimpleNamespace(pid=42, comm="kworker/0:1", state="I", patch_state=0)]
