"""linux/uaccess.h: copies between kernel and user memory (arch/x86/lib/usercopy_64.c).

User memory is guest memory a system call handed in (the buffer of a read or write). A range
outside guest memory is not copied: the functions report it, as a fault on a user address
would, and never fault the kernel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import kapi, s64
from kernel.errno import Errno

if TYPE_CHECKING:
    from kernel.machine import Kernel


def _ok(k: "Kernel", addr: int, n: int) -> bool:
    return n == 0 or k.mem.valid(addr, n)


@kapi()
def klpsh_access_ok(k: "Kernel", addr: int, size: int) -> int:
    return int(_ok(k, addr, size))


@kapi()
def copy_to_user(k: "Kernel", to: int, frm: int, n: int) -> int:
    """Bytes not copied: 0 on success, all of them if either range is bad."""
    if not (_ok(k, to, n) and _ok(k, frm, n)):
        return n
    if n:
        k.mem.write(to, k.mem.read(frm, n))
    return 0


@kapi()
def copy_from_user(k: "Kernel", to: int, frm: int, n: int) -> int:
    """As copy_to_user; what could not be copied is zeroed in the destination."""
    if not _ok(k, frm, n):
        if _ok(k, to, n) and n:
            k.mem.zero(to, n)
        return n
    return copy_to_user(k, to, frm, n)


@kapi()
def clear_user(k: "Kernel", mem: int, n: int) -> int:
    if not _ok(k, mem, n):
        return n
    if n:
        k.mem.zero(mem, n)
    return 0


@kapi()
def strncpy_from_user(k: "Kernel", dst: int, src: int, count: int) -> int:
    """The string's length (without NUL), COUNT if it did not end, -EFAULT if unreadable."""
    count = s64(count)
    if count <= 0:
        return 0
    if not k.mem.valid(src):
        return -Errno.EFAULT
    n = k.mem.strnlen(src, count)
    if n < count and not k.mem.valid(src + n):
        return -Errno.EFAULT                    # the string runs off the end of memory
    k.mem.write(dst, k.mem.read(src, n) + (b"\0" if n < count else b""))
    return n


@kapi()
def strnlen_user(k: "Kernel", src: int, n: int) -> int:
    """Length including the NUL; 0 if unreadable; more than N if it does not end within N."""
    n = s64(n)
    if not k.mem.valid(src) or n <= 0:
        return 0
    length = k.mem.strnlen(src, n)
    if length < n:
        return length + 1 if k.mem.valid(src + length) else 0   # a fault before the NUL: 0
    return n + 1
