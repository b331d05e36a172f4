"""Linux errno numbers (not the host's) and the kernel-internal error exception."""

from __future__ import annotations

from enum import IntEnum, _simple_enum


# _simple_enum: how the standard library makes its large enums (http.HTTPStatus), the same
# IntEnum a class statement makes (tests/test_errno.py) at a fraction of its cost at every start
@_simple_enum(IntEnum)
class Errno:
    EPERM = 1
    ENOENT = 2
    ESRCH = 3
    EINTR = 4
    EIO = 5
    ENXIO = 6
    E2BIG = 7
    ENOEXEC = 8
    EBADF = 9
    ECHILD = 10
    EAGAIN = 11
    ENOMEM = 12
    EACCES = 13
    EFAULT = 14
    ENOTBLK = 15
    EBUSY = 16
    EEXIST = 17
    EXDEV = 18
    ENODEV = 19
    ENOTDIR = 20
    EISDIR = 21
    EINVAL = 22
    ENFILE = 23
    EMFILE = 24
    ENOTTY = 25
    ETXTBSY = 26
    EFBIG = 27
    ENOSPC = 28
    ESPIPE = 29
    EROFS = 30
    EMLINK = 31
    EPIPE = 32
    EDOM = 33
    ERANGE = 34
    EDEADLK = 35
    ENAMETOOLONG = 36
    ENOLCK = 37
    ENOSYS = 38
    ENOTEMPTY = 39
    ELOOP = 40
    ENODATA = 61
    ETIME = 62
    EOVERFLOW = 75
    EILSEQ = 84
    EOPNOTSUPP = 95
    ETIMEDOUT = 110
    EALREADY = 114
    EINPROGRESS = 115
    ECANCELED = 125


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
    Errno.ELOOP: "Too many levels of symbolic links",
    Errno.ENXIO: "No such device or address",
    Errno.EBADF: "Bad file descriptor",
    Errno.ECHILD: "No child processes",
    Errno.ENOTBLK: "Block device required",
    Errno.EXDEV: "Invalid cross-device link",
    Errno.ENFILE: "Too many open files in system",
    Errno.EMFILE: "Too many open files",
    Errno.ENOTTY: "Inappropriate ioctl for device",
    Errno.ETXTBSY: "Text file busy",
    Errno.ESPIPE: "Illegal seek",
    Errno.EMLINK: "Too many links",
    Errno.EPIPE: "Broken pipe",
    Errno.EDOM: "Numerical argument out of domain",
    Errno.EDEADLK: "Resource deadlock avoided",
    Errno.ENAMETOOLONG: "File name too long",
    Errno.ENOLCK: "No locks available",
    Errno.ENODATA: "No data available",
    Errno.ETIME: "Timer expired",
    Errno.EOVERFLOW: "Value too large for defined data type",
    Errno.EILSEQ: "Invalid or incomplete multibyte or wide character",
    Errno.EOPNOTSUPP: "Operation not supported",
    Errno.ETIMEDOUT: "Connection timed out",
    Errno.EALREADY: "Operation already in progress",
    Errno.EINPROGRESS: "Operation now in progress",
    Errno.ECANCELED: "Operation canceled",
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
