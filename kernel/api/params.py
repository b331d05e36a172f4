"""linux/moduleparam.h: the param_set_<type>/param_get_<type> helpers that a module's own
kernel_param_ops (module_param_cb) build on, over the kernel's own parsers (kernel/params.c)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from kernel.abi import PAGE_SIZE, KernelParam
from kernel.api import errret, kapi
from kernel.errno import Errno, KernelError
from kernel.module.params import INT_TYPES, builtin_get, builtin_set

if TYPE_CHECKING:
    from kernel.machine import Kernel

_TYPES = (*INT_TYPES, "bool", "invbool", "charp")


def _val(k: "Kernel", val: int) -> str | None:
    return k.mem.cstr(val, 1 << 16) if val else None


def _setter(ptype: str) -> Callable[["Kernel", int, int], int]:
    def param_set(k: "Kernel", val: int, kp: int) -> int:
        name = k.mem.cstr(k.mem.u64(kp + KernelParam.name.offset), 64)
        try:
            builtin_set(k, ptype, name, k.mem.u64(kp + KernelParam.arg.offset), _val(k, val))
        except KernelError as e:
            if e.errno == Errno.EFAULT:
                raise
            return errret(e.errno)
        return 0
    return param_set


def _getter(ptype: str) -> Callable[["Kernel", int, int], int]:
    def param_get(k: "Kernel", buffer: int, kp: int) -> int:
        text = builtin_get(k, ptype, k.mem.u64(kp + KernelParam.arg.offset))
        data = text.encode("latin-1", "replace")[:PAGE_SIZE - 1]
        k.mem.write(buffer, data + b"\0")
        return len(data)
    return param_get


for _t in _TYPES:
    kapi(f"param_set_{_t}")(_setter(_t))
    kapi(f"param_get_{_t}")(_getter(_t))
kapi("param_set_bint")(_setter("bint"))
kapi("param_set_copystring")(_setter("string"))
kapi("param_get_string")(_getter("string"))


@kapi()
def param_set_bool_enable_only(k: "Kernel", val: int, kp: int) -> int:
    """A bool that can be set but never cleared again (-EROFS)."""
    arg = k.mem.u64(kp + KernelParam.arg.offset)
    was = k.mem.u8(arg)
    ret = _setter("bool")(k, val, kp)
    if ret == 0 and was and not k.mem.u8(arg):
        k.mem.set_u8(arg, was)
        return errret(Errno.EROFS)
    return ret


@kapi()
def param_free_charp(k: "Kernel", arg: int) -> None:
    ptr = k.mem.u64(arg)
    if k.slab.owns(ptr):
        k.slab.kfree(ptr)
