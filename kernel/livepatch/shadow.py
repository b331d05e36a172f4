"""Shadow variables (kernel/livepatch/shadow.c): data attached to <obj, id> pairs.

klp_shadow_hash is DEFINE_HASHTABLE(klp_shadow_hash, 12) keyed by the object pointer: a walk
over it (klp_shadow_free_all) visits buckets in order, and within a bucket the newest entry
first (hash_add_rcu adds at the head). The dict below keeps insertion order; `_hash_order`
gives the kernel's walk order from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.bug import WarnSite
from kernel.printk import Logger

if TYPE_CHECKING:
    from kernel.livepatch import Livepatch

SHADOW_HASH_BITS = 12
GOLDEN_RATIO_64 = 0x61C8864680B583EB
U64 = (1 << 64) - 1
# __klp_shadow_get_or_alloc()'s WARN(1, "Duplicate shadow variable <%p, %lx>\n", obj, id)
WARN_DUPLICATE = WarnSite("kernel/livepatch/shadow.c", 177, "__klp_shadow_get_or_alloc")
# struct klp_shadow { struct hlist_node node; struct rcu_head rcu_head; void *obj;
# unsigned long id; char data[]; }: kzalloc(size + sizeof(*new_shadow)) holds both
KLP_SHADOW_OBJ, KLP_SHADOW_ID, KLP_SHADOW_DATA = 32, 40, 48

__all__ = ["klp_shadow_get", "klp_shadow_alloc", "klp_shadow_get_or_alloc", "klp_shadow_free",
           "klp_shadow_free_all"]


def klp_shadow_get(lp: "Livepatch", obj: int, id_: int) -> int:
    return lp.shadows.get((obj, id_), 0)


def _log(lp: "Livepatch") -> Logger:
    return Logger(lp.k.printk, "livepatch: ", "kernel/livepatch/shadow.c", "livepatch")


def _alloc(lp: "Livepatch", obj: int, id_: int, size: int, gfp: int, ctor: int, ctor_data: int,
           warn_on_exist: bool) -> int:
    """__klp_shadow_get_or_alloc(): the data of <OBJ, ID_>, made (zeroed, then CTOR) if new."""
    k = lp.k
    existing = lp.shadows.get((obj, id_))
    if existing:
        if warn_on_exist:
            k.warn_at(WARN_DUPLICATE, f"Duplicate shadow variable <{k.fmt_ptr(obj)}, {id_:x}>")
            return 0
        return existing
    block = k.slab.kmalloc((size + KLP_SHADOW_DATA) & U64, zero=True, flags=gfp)
    if not block:
        return 0
    k.mem.set_u64(block + KLP_SHADOW_OBJ, obj)
    k.mem.set_u64(block + KLP_SHADOW_ID, id_)
    data = block + KLP_SHADOW_DATA
    if ctor:
        err = k.run_guest(k.current, ctor, (obj, data, ctor_data), via="__klp_shadow_get_or_alloc")
        err &= 0xFFFFFFFF
        if err:
            err = err - (1 << 32) if err >> 31 else err
            k.slab.kfree(block)
            _log(lp).err(f"Failed to construct shadow variable <{k.fmt_ptr(obj)}, {id_:x}> ({err})")
            return 0
    lp.shadows[(obj, id_)] = data
    return data


def klp_shadow_alloc(lp: "Livepatch", obj: int, id_: int, size: int, gfp: int, ctor: int,
                     ctor_data: int) -> int:
    return _alloc(lp, obj, id_, size, gfp, ctor, ctor_data, True)


def klp_shadow_get_or_alloc(lp: "Livepatch", obj: int, id_: int, size: int, gfp: int, ctor: int,
                            ctor_data: int) -> int:
    return _alloc(lp, obj, id_, size, gfp, ctor, ctor_data, False)


def _free(lp: "Livepatch", key: tuple[int, int], dtor: int) -> None:
    k = lp.k
    data = lp.shadows.pop(key)
    if dtor:
        k.run_guest(k.current, dtor, (key[0], data), via="klp_shadow_free")
    k.slab.kfree(data - KLP_SHADOW_DATA)


def klp_shadow_free(lp: "Livepatch", obj: int, id_: int, dtor: int) -> None:
    if (obj, id_) in lp.shadows:
        _free(lp, (obj, id_), dtor)


def _hash_min(obj: int) -> int:
    """hash_min(obj, 12) for a 64-bit key: hash_64()."""
    return ((obj * GOLDEN_RATIO_64) & U64) >> (64 - SHADOW_HASH_BITS)


def _hash_order(lp: "Livepatch") -> list[tuple[int, int]]:
    """The keys as hash_for_each() meets them: bucket by bucket, newest first in each."""
    keys = list(lp.shadows)
    order = sorted(range(len(keys)), key=lambda i: (_hash_min(keys[i][0]), -i))
    return [keys[i] for i in order]


def klp_shadow_free_all(lp: "Livepatch", id_: int, dtor: int) -> None:
    for key in [key for key in _hash_order(lp) if key[1] == id_]:
        _free(lp, key, dtor)
