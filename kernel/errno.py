"""Linux errno numbers (not the host's) and the kernel-internal error exception."""

from __future__ import annotations

from enum import IntEnum


class Errno(IntEnum):
    EPERM = 1
    ENOENT = 2
    ESRCH = 3
    EINTR = 4
    EIO = 5
    E2BIG = 7
    ENOEXEC = 8
    EAGAIN = 11
    ENOMEM = 12
    EACCES = 13
    EFAULT = 14
    EBUSY = 16
    EEXIST = 17
    ENODEV = 19
    ENOTDIR = 20
    EISDIR = 21
    EINVAL = 22
    EFBIG = 27
    ENOSPC = 28
    ESPIPE = 29
    EROFS = 30
    ERANGE = 34
    ENOSYS = 38
    ENOTEMPTY = 39


EWOULDBLOCK = Errno.EAGAIN

_STRERROR = {
    Errno.EPERM: "Operation not permitted",
    Errno.ENOENT: "No such file or directory",
    Errno.ESRCH: "No such process",
    Errno.EINTR: "Interrupted system call",
    Errno.EIO: "Input/output error",
    Errno.E2BIG: "Argument list too long",
    Errno.ENOEXEC: "Exec format error",
    Errno.EAGAIN: "Resource temporarily unavailable",
    Errno.ENOMEM: "Cannot allocate memory",
    Errno.EACCES: "Permission denied",
    Errno.EFAULT: "Bad address",
    Errno.EBUSY: "Device or resource busy",
    Errno.EEXIST: "File exists",
    Errno.ENODEV: "No such device",
    Errno.ENOTDIR: "Not a directory",
    Errno.EISDIR: "Is a directory",
    Errno.EFBIG: "File too large",
    Errno.EINVAL: "Invalid argument",
    Errno.ENOSPC: "No space left on device",
    Errno.ESPIPE: "Illegal seek",
    Errno.EROFS: "Read-only file system",
    Errno.ERANGE: "Numerical result out of range",
    Errno.ENOSYS: "Function not implemented",
    Errno.ENOTEMPTY: "Directory not empty",
}


def strerror(err: int) -> str:
    """glibc's text for a (positive or negative) Linux errno."""
    err = abs(err)
    try:
        return _STRERROR[Errno(err)]
    except (ValueError, KeyError):
        return f"Unknown error {err}"


class KernelError(Exception):
    """An error the kernel reports as -errno at its boundaries (syscalls, guest returns)."""

    def __init__(self, errno: int, msg: str = "") -> None:
        self.errno = Errno(abs(errno)) if abs(errno) in Errno._value2member_map_ else abs(errno)
        super().__init__(msg or strerror(self.errno))


class RawReturn(KernelError):
    """A non-zero int result the kernel passes up unchanged, even when it is no -errno (a
    pre-patch callback that returns 1 makes klp_enable_patch() and load_module() return 1)."""

    def __init__(self, ret: int) -> None:
        super().__init__(ret)
        self.ret = ret
