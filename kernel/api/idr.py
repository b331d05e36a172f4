"""linux/idr.h: ID allocators (lib/idr.c).  Each struct idr's id -> pointer map lives here,
keyed by the struct's address; the struct's own klpsh_count says how many ids are in use
(for the inline idr_is_empty), idr_next is the cyclic allocator's cursor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import errret, kapi, s32
from kernel.errno import Errno
from kernel.bug import WarnSite

if TYPE_CHECKING:
    from kernel.machine import Kernel

# ida_remove()'s WARN(1, "ida_free called for id=%d which is not allocated.\n", id) (4.19)
WARN_IDA_REMOVE = WarnSite("lib/idr.c", 487, "ida_remove")

_BASE, _NEXT, _COUNT = 8, 12, 16      # struct idr
INT_MAX = (1 << 31) - 1
_MASK64 = (1 << 64) - 1


def _map(k: "Kernel", idr: int) -> dict[int, int]:
    return k.idrs.setdefault(idr, {})


def _sync(k: "Kernel", idr: int) -> None:
    k.mem.set_u32(idr + _COUNT, len(_map(k, idr)))


def _alloc(k: "Kernel", idr: int, ptr: int, start: int, end: int) -> int:
    """The lowest free id in [START, END) (END <= 0: up to INT_MAX), or -ENOSPC."""
    if start < 0:
        return errret(Errno.EINVAL)
    end = INT_MAX + 1 if end <= 0 else end
    ids = _map(k, idr)
    base = k.mem.u32(idr + _BASE)
    i = max(start, base)
    while i < end and i in ids:
        i += 1
    if i >= end:
        return errret(Errno.ENOSPC)
    ids[i] = ptr
    _sync(k, idr)
    return i


@kapi()
def idr_preload(k: "Kernel", gfp: int) -> None:
    """Nothing to preallocate: the map grows in the host."""


@kapi()
def idr_alloc(k: "Kernel", idr: int, ptr: int, start: int, end: int, gfp: int) -> int:
    return _alloc(k, idr, ptr, s32(start), s32(end))


@kapi()
def idr_alloc_u32(k: "Kernel", idr: int, ptr: int, nextid: int, max_: int, gfp: int) -> int:
    ret = _alloc(k, idr, ptr, k.mem.u32(nextid), min(max_, INT_MAX) + 1)
    if ret >= 0:
        k.mem.set_u32(nextid, ret)
        return 0
    return ret


@kapi()
def idr_alloc_cyclic(k: "Kernel", idr: int, ptr: int, start: int, end: int, gfp: int) -> int:
    start, end = s32(start), s32(end)
    cursor = max(k.mem.u32(idr + _NEXT), start)
    ret = _alloc(k, idr, ptr, cursor, end)
    if ret == errret(Errno.ENOSPC) and cursor > start:
        ret = _alloc(k, idr, ptr, start, end)
    if ret >= 0:
        k.mem.set_u32(idr + _NEXT, ret + 1)
    return ret


@kapi()
def idr_remove(k: "Kernel", idr: int, id_: int) -> int:
    ptr = _map(k, idr).pop(id_ & _MASK64, 0)
    _sync(k, idr)
    return ptr


@kapi()
def idr_find(k: "Kernel", idr: int, id_: int) -> int:
    return _map(k, idr).get(id_ & _MASK64, 0)


@kapi()
def idr_replace(k: "Kernel", idr: int, ptr: int, id_: int) -> int:
    ids = _map(k, idr)
    if id_ not in ids:
        return errret(Errno.ENOENT) & _MASK64
    old, ids[id_] = ids[id_], ptr
    return old


@kapi()
def idr_get_next(k: "Kernel", idr: int, nextid: int) -> int:
    want = s32(k.mem.u32(nextid))
    found = min((i for i in _map(k, idr) if i >= want), default=None)
    if found is None:
        return 0
    k.mem.set_u32(nextid, found)
    return _map(k, idr)[found]


@kapi()
def idr_for_each(k: "Kernel", idr: int, fn: int, data: int) -> int:
    for i, ptr in sorted(_map(k, idr).items()):
        ret = s32(k.call_fn(fn, (i, ptr, data), via="idr_for_each"))
        if ret:
            return ret & 0xFFFF_FFFF
    return 0


@kapi()
def idr_destroy(k: "Kernel", idr: int) -> None:
    k.idrs.pop(idr, None)
    k.mem.set_u32(idr + _COUNT, 0)


@kapi()
def ida_alloc_range(k: "Kernel", ida: int, lo: int, hi: int, gfp: int) -> int:
    lo, hi = lo & 0xFFFF_FFFF, hi & 0xFFFF_FFFF
    if lo > INT_MAX:
        return errret(Errno.ENOSPC)
    return _alloc(k, ida, 1, lo, min(hi, INT_MAX) + 1)


@kapi()
def ida_free(k: "Kernel", ida: int, id_: int) -> None:
    if _map(k, ida).pop(id_ & 0xFFFF_FFFF, None) is None:
        k.warn_at(WARN_IDA_REMOVE, f"ida_free called for id={s32(id_)} which is not allocated.\n")
    _sync(k, ida)


@kapi()
def ida_destroy(k: "Kernel", ida: int) -> None:
    idr_destroy(k, ida)
