"""The file system calls the shell's tools make: open/read/write/lseek/ioctl/close on
/proc, /sys and /dev, each a system call of a user task (the tool's process, or the shell
itself for a redirection), as the task would make it.

Files with guest file operations (kernel.fs.file.FileNode) are opened as a struct file and
read a call at a time; kernfs attributes (show/store text) are read whole, as sysfs does.
"""

from __future__ import annotations

import itertools
import posixpath
from collections.abc import Iterator
from typing import TYPE_CHECKING, Callable, TypeVar

from kernel import cost
from kernel.errno import Errno, KernelError, RawReturn
from kernel.fs import Attr, Dir
from kernel.fs.file import O_CREAT, O_EXCL, O_NONBLOCK, O_RDONLY, O_TRUNC, O_WRONLY, FileNode, OpenFile
from kernel.record import RecordTuple
from kernel.sched import SyscallAbandoned, TaskKilled, TaskKind, TaskState, WaitBound

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.sched import Task

T = TypeVar("T")
SIGINT = 2
READ_CHUNK = 128 * 1024           # coreutils cat's buffer (io_blksize: 128 KiB)
STREAM_LIMIT = 1 << 20            # a file that never ends: its reader is stopped after this much
SHELL_MODE = 0o644                # a redirection's new file: 0666 & ~umask 022


class StreamEnd(RecordTuple):
    """Why a streamed read stopped before end of file ('bytes', 'time', 'cpu', 'events',
    'interrupted'), and how much it had read."""

    why: str
    nbytes: int
    limit: int = STREAM_LIMIT

    def message(self, prog: str, path: str) -> str:
        """What the shell says about a read it cut short."""
        from kernel.sched import WAIT_CPU_NS, WAIT_EVENTS, WAIT_LIMIT_NS
        from kernel.time import NSEC_PER_SEC
        reason = {
            "bytes": f"{_size(self.limit)} read and the file has not ended",
            "time": f"{WAIT_LIMIT_NS // NSEC_PER_SEC} s of machine time and the file has not ended",
            "cpu": f"{WAIT_CPU_NS // NSEC_PER_SEC} s of CPU time and the file has not ended",
            "events": f"{WAIT_EVENTS} timer events and the file has not ended",
            "interrupted": "interrupted",
        }.get(self.why, self.why)
        return f"klpsh: {prog}: {path}: stopped after {self.nbytes} bytes ({reason})"


def _size(n: int) -> str:
    """1 MiB, 64 KiB, 100 bytes: the limit a stream reached, in words."""
    for unit, shift in (("MiB", 20), ("KiB", 10)):
        if n >= 1 << shift and n % (1 << shift) == 0:
            return f"{n >> shift} {unit}"
    return f"{n} bytes"


class Process:
    """A user process of the shell (or the shell itself): its system calls and open files."""

    def __init__(self, k: "Kernel", comm: str, in_shell: bool = False) -> None:
        self.k = k
        self.comm = comm
        self.in_shell = in_shell
        self.task: "Task" = k.shell if in_shell else k.user_task(comm)
        # the command's own process exits when the command ends, not with this use of it
        self.owned = not in_shell and (k.command is None or self.task is not k.command.task)
        self.files: list[OpenFile] = []
        self.lost = False                # a call never returned: the task stays in the kernel
        self.dead = False                # the task was killed in a call (an Oops)

    def call(self, fn: Callable[[], T], interruptible: bool = True) -> T:
        """One system call FN in this process's task."""
        if self.dead or self.lost:
            raise KernelError(Errno.ESRCH)
        def call() -> T:
            try:
                return fn()
            finally:
                if self.lost:           # the shell stopped waiting: exit_files() at the end
                    self._release_all()
        try:
            return self.k.syscall(self.comm, call, in_shell=self.in_shell, task=self.task,
                                  interruptible=interruptible)
        except SyscallAbandoned as e:
            if e.why == "interrupted" and self._sigint():
                raise Interrupted(self.task) from None
            self.lost = True
            raise
        except TaskKilled:
            self.dead = not self.in_shell
            raise

    def _release_all(self) -> None:
        """Close every file still open, in the current task (a late call's do_exit)."""
        files, self.files = self.files, []
        for f in files:
            try:
                f.release()
            except (KernelError, TaskKilled):
                pass

    def _sigint(self) -> bool:
        """Ctrl-C while the call sleeps: SIGINT to the task, as the terminal sends it; True
        once the call has returned (an interruptible sleep gives -ERESTARTSYS) and the task,
        killed by the signal, has exited."""
        from kernel.signal import send_signal
        task = self.task
        if self.in_shell or task.state is not TaskState.INTERRUPTIBLE or task.parked:
            return False
        send_signal(self.k, task, SIGINT, group=True)
        bound = self.k.wait_bound()
        bound.interrupted = lambda: False
        if not self.k.sched.run_until(lambda: task._thread is None, bound=bound):
            return False
        self.dead = True                # gone: the abandoned call's end exited the task;
        return True                     # its files are closed by exit() (exit_files)

    def open(self, node: FileNode, flags: int) -> OpenFile:
        f = self.call(lambda: OpenFile(self.k, node, flags).open())
        self.files.append(f)
        return f

    def close(self, f: OpenFile) -> None:
        """close(2) (or exit's): f_op->release, which Ctrl-C does not cut short."""
        if f in self.files:
            self.files.remove(f)
            self.call(f.release, interruptible=False)

    def exit(self) -> None:
        """do_exit(): the files still open are closed (by the exiting task; for a task an
        Oops killed, by its do_exit: here a task standing in for it), then it is gone."""
        if self.lost:
            return
        if self.dead:
            files, self.files = self.files, []
            for f in files:
                try:
                    self.k.syscall(self.comm, f.release, interruptible=False)
                except (KernelError, TaskKilled, SyscallAbandoned):
                    pass
            return
        try:
            for f in list(self.files):
                self.close(f)
        finally:
            if self.owned and not self.lost and not self.dead:
                self.k.sched.exit_task(self.task)

    def __enter__(self) -> "Process":
        return self

    def __exit__(self, *exc: object) -> None:
        self.exit()


class FsCalls:
    """The machine's file system calls, by path."""

    def __init__(self, k: "Kernel") -> None:
        self.k = k
        self._ino = itertools.count(1000)
        self.stream_limit = STREAM_LIMIT     # what one streamed read of a file may bring
        self.files: dict[int, OpenFile] = {}       # every open struct file, by its address
        self.kernel_files: set[int] = set()        # those filp_open() gave kernel code
        self.polls: dict = {}                      # poll table address -> its PollWqueues (select.py)
        self.user_ranges: dict[int, int] = {}      # user memory: the buffers calls hand in

    # --- user memory ---------------------------------------------------------------------
    def user_alloc(self, size: int) -> int:
        """A buffer of user memory (what a process's read or write hands the kernel); under
        USER_DS only these pass access_ok(), as only user addresses do on x86-64."""
        addr = self.k.heap.alloc(size)
        self.user_ranges[addr] = size
        return addr

    def user_free(self, addr: int) -> None:
        if self.user_ranges.pop(addr, None) is not None:
            self.k.heap.free(addr)

    def is_user(self, addr: int, size: int) -> bool:
        """ADDR..ADDR+SIZE lies in one user buffer."""
        for base, n in self.user_ranges.items():
            if base <= addr and addr + size <= base + n:
                return True
        return False

    def next_ino(self) -> int:
        """get_next_ino(): a new inode number."""
        return next(self._ino)

    # --- lookups -------------------------------------------------------------------------
    def lookup(self, path: str) -> Dir | Attr:
        return self.k.vfs.lookup(path)

    def listdir(self, path: str) -> list[str]:
        return self.k.vfs.listdir(path)

    def isdir(self, path: str) -> bool:
        return self.k.vfs.isdir(path)

    def exists(self, path: str) -> bool:
        return self.k.vfs.exists(path)

    def lookup_create(self, path: str, flags: int, mode: int) -> Dir | Attr:
        """The node at PATH; with O_CREAT a regular file is made if none is there (in a
        directory that takes them: tmpfs), EEXIST with O_EXCL if one is."""
        from kernel.fs.tmpfs import create
        try:
            node = self.lookup(path)
        except KernelError as e:
            if e.errno != Errno.ENOENT or not flags & O_CREAT:
                raise
            parent_path, _, name = posixpath.normpath("/" + path.strip("/")).rpartition("/")
            parent = self.lookup(parent_path or "/")
            if not isinstance(parent, Dir):
                raise KernelError(Errno.ENOTDIR) from None
            if path.endswith("/"):
                raise KernelError(Errno.EISDIR) from None
            return create(self.k, parent, name, mode)
        if flags & O_CREAT and flags & O_EXCL:
            raise KernelError(Errno.EEXIST)
        return node

    def create_error(self, path: str) -> int:
        """0 if PATH exists or a redirection may make it (its directory is tmpfs); else the
        errno the open would fail with (ENOENT: no such directory, or one of proc, sysfs or
        /dev, which make no files)."""
        from kernel.fs.tmpfs import creatable
        if self.exists(path):
            return 0
        parent = posixpath.dirname(posixpath.normpath("/" + path.strip("/")))
        try:
            node = self.lookup(parent)
        except KernelError as e:
            return e.errno
        if not isinstance(node, Dir):
            return Errno.ENOTDIR
        return 0 if creatable(node) and not path.endswith("/") else Errno.ENOENT

    def regular_or_new(self, path: str) -> bool:
        """A redirection with nothing to write still opens PATH when that makes or truncates
        a regular file (a sysfs or device file sees no call)."""
        from kernel.fs.tmpfs import RegFile
        try:
            return isinstance(self.lookup(path), RegFile)
        except KernelError:
            return True

    def _file_node(self, path: str, want_write: bool, flags: int = 0) -> Dir | Attr:
        node = self.lookup_create(path, flags, SHELL_MODE) if want_write else self.lookup(path)
        if isinstance(node, Dir):
            raise KernelError(Errno.EISDIR)
        if isinstance(node, FileNode):
            return node
        # kernfs attribute: permission checked at open, as kernfs does
        if want_write:
            self.k.vfs.open_write(path)
        else:
            self.k.vfs.open_read(path)
        return node

    # --- reading -------------------------------------------------------------------------
    def read_stream(self, path: str, comm: str = "cat", flags: int = O_RDONLY,
                    chunk: int = READ_CHUNK, limit: int | None = None) -> Iterator[bytes]:
        """open PATH, read CHUNK at a time until end of file, close; each read(2) a separate
        system call whose data is yielded as it comes. A file that does not end stops the
        stream at LIMIT bytes or when the wait's bounds are used up: then StreamStopped."""
        node = self._file_node(path, want_write=False)
        limit = self.stream_limit if limit is None else limit
        with Process(self.k, comm) as proc:
            if not isinstance(node, FileNode):
                show = node.show
                assert show is not None
                yield proc.call(show).encode("latin-1", "replace")
                return
            f = proc.open(node, flags)
            bound: WaitBound = self.k.wait_bound()
            total = 0
            while True:
                if total >= limit or bound.exceeded(self.k):
                    raise StreamStopped(StreamEnd("bytes" if total >= limit else bound.why(self.k),
                                                  total, limit))
                try:
                    data = proc.call(lambda: f.read(chunk))
                except Interrupted:
                    raise StreamStopped(StreamEnd("interrupted", total, limit)) from None
                if not data:
                    break
                total += len(data)
                yield data

    def read(self, path: str, comm: str = "cat") -> str:
        """The whole file as text (what `grep PATTERN FILE` reads); a file that does not
        end, as far as it was read."""
        got: list[bytes] = []
        try:
            for data in self.read_stream(path, comm):
                got.append(data)
        except StreamStopped:
            pass
        return b"".join(got).decode("latin-1")

    # --- writing -------------------------------------------------------------------------
    def write(self, path: str, data: str, comm: str = "bash", flags: int = O_WRONLY | O_CREAT | O_TRUNC) -> int:
        """One write(2) of DATA (after the open a redirection makes): the count written.
        A kernfs store that returns a positive count short of the whole (klp_enable_patch()
        passing up a pre-patch callback's 1) made a short write; the caller's stdio writes
        the rest."""
        node = self._file_node(path, want_write=True, flags=flags)
        raw = data.encode("latin-1", "replace")
        in_shell = comm == "bash"
        with Process(self.k, comm, in_shell=in_shell) as proc:
            if isinstance(node, FileNode):
                try:
                    f = proc.open(node, flags)
                except KernelError as e:
                    raise OpenError(e.errno) from None
                done = 0
                while done < len(raw):
                    try:
                        n = proc.call(lambda: f.write(raw[done:]))
                    except KernelError as e:
                        raise WriteError(e.errno) from None
                    if n == 0:
                        break
                    done += n
                return len(data) if done >= len(raw) else done
            if not data:
                return 0  # sysfs_kf_write(): a zero-length write never reaches ->store
            store = node.store
            assert store is not None

            def write() -> None:
                cost.spend(self.k, "syscall")
                store(data)
            try:
                proc.call(write)
            except RawReturn as e:
                if e.ret > 0:
                    return min(e.ret, len(data))
                raise
            return len(data)

    # --- one file, several calls (ioctl, non-blocking opens) -------------------------------
    def ioctl(self, path: str, cmd: int, arg: int | bytes | None, comm: str = "ioctl",
              flags: int = O_RDONLY, arg_size: int = 0) -> tuple[int, bytes]:
        """open PATH, ioctl(fd, CMD, ARG), close: the return value and, when ARG points to a
        buffer (bytes given, or ARG_SIZE of zeroes), what the buffer holds afterwards."""
        node = self._file_node(path, want_write=False)
        if not isinstance(node, FileNode):
            raise KernelError(Errno.ENOTTY)
        with Process(self.k, comm) as proc:
            f = proc.open(node, flags)
            buf_data: bytes | None = None
            if isinstance(arg, bytes) or arg_size:
                buf_data = arg if isinstance(arg, bytes) else b"\0" * arg_size
                buf_data = buf_data.ljust(arg_size, b"\0")

            def call() -> tuple[int, bytes]:
                if buf_data is None:
                    return f.ioctl(cmd, int(arg or 0)), b""
                buf = f.user_buffer(len(buf_data))
                self.k.mem.write(buf, buf_data)
                rv = f.ioctl(cmd, buf)
                return rv, self.k.mem.read(buf, len(buf_data))
            return proc.call(call)


    def poll(self, path: str, events: int, timeout_ms: int, comm: str = "poll",
             flags: int = O_RDONLY) -> int:
        """open PATH, poll({fd, EVENTS}, 1, TIMEOUT_MS), close: the revents (0: timed out)."""
        from kernel.fs.select import DEFAULT_POLLMASK, POLLERR, POLLHUP, do_poll
        node = self._file_node(path, want_write=bool(flags & 0o3))
        with Process(self.k, comm) as proc:
            if not isinstance(node, FileNode):      # kernfs: no ->poll of its own here
                return proc.call(lambda: DEFAULT_POLLMASK & (events | POLLERR | POLLHUP))
            f = proc.open(node, flags)
            return proc.call(lambda: do_poll(self.k, f, events, timeout_ms))


class Interrupted(Exception):
    """Ctrl-C: the process's call was interrupted by SIGINT and the process is gone."""

    def __init__(self, task: "Task") -> None:
        super().__init__(task.comm)
        self.task = task


class OpenError(KernelError):
    """open(2) of a redirection's target failed (bash: FILE: reason)."""


class WriteError(KernelError):
    """write(2) failed after the open succeeded (bash: echo: write error: reason)."""


class StreamStopped(Exception):
    """A streamed read cut short (StreamEnd says why)."""

    def __init__(self, end: StreamEnd) -> None:
        super().__init__(end.why)
        self.end = end


__all__ = ["FsCalls", "Process", "OpenError", "WriteError", "StreamEnd", "StreamStopped", "READ_CHUNK", "STREAM_LIMIT",
           "O_NONBLOCK"]
