"""linux/uaccess.h: copies between kernel and user memory (arch/x86/lib/usercopy_64.c).

User memory is guest memory a system call handed in (the buffer of a read or write); under
the task's addr_limit USER_DS only that passes, under KERNEL_DS any kernel memory. A range
outside guest memory is not copied: the functions report it, as a fault on a user address
would, and never fault the kernel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.abi import KERNEL_DS, TaskStruct
from kernel.api import kapi, s64
from kernel.errno import Errno

if TYPE_CHECKING:
    from kernel.machine import Kernel


def _ok(k: "Kernel", addr: int, n: int) -> bool:
    """access_ok() against the current task's addr_limit, on memory that is there: under
    USER_DS only user memory (the buffers system calls hand in) passes, as only addresses
    below TASK_SIZE_MAX do on x86-64; under KERNEL_DS (set_fs(KERNEL_DS), kernel threads)
    any kernel memory does."""
    if n == 0:
        return True
    if not k.mem.valid(addr, n):
        return False
    me = k.sched.current
    if me is None or not me.guest_struct:
        return True
    limit = k.mem.u64(me.guest_struct + TaskStruct.thread.offset)
    if limit == KERNEL_DS:
        return True
    return addr + n <= limit and k.fs.is_user(addr, n)


@kapi()
def klpsh_access_ok(k: "Kernel", addr: int, size: int) -> int:
    return int(_ok(k, addr, size))


def _kernel_ok(k: "Kernel", addr: int, n: int) -> bool:
    return n == 0 or k.mem.valid(addr, n)


@kapi()
def copy_to_user(k: "Kernel", to: int, frm: int, n: int) -> int:
    """Bytes not copied: 0 on success, all of them if either range is bad."""
    if not (_ok(k, to, n) and _kernel_ok(k, frm, n)):
        return n
    if n:
        k.mem.write(to, k.mem.read(frm, n))
    return 0


@kapi()
def copy_from_user(k: "Kernel", to: int, frm: int, n: int) -> int:
    """As copy_to_user; what could not be copied is zeroed in the destination."""
    if not (_ok(k, frm, n) and _kernel_ok(k, to, n)):
        if _kernel_ok(k, to, n) and n:
            k.mem.zero(to, n)
        return n
    if n:
        k.mem.write(to, k.mem.read(frm, n))
    return 0


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
    if not _ok(k, src, 1):
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
    if not _ok(k, src, 1) or n <= 0:
        return 0
    length = k.mem.strnlen(src, n)
    if length < n:
        return length + 1 if k.mem.valid(src + length) else 0   # a fault before the NUL: 0
    return n + 1
