"""linux/radix-tree.h (lib/radix-tree.c, 4.19): index -> entry maps. Each root's entries live
here, keyed by the root's address; its rnode is kept non-NULL while it holds any (the inline
radix_tree_empty() reads it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import errret, kapi
from kernel.errno import Errno

if TYPE_CHECKING:
    from kernel.machine import Kernel

MASK64 = (1 << 64) - 1
_RNODE = 8                          # struct radix_tree_root: xa_lock, gfp_mask, rnode
RADIX_TREE_INTERNAL_NODE = 1      # the tag of a pointer at a node


def _entries(k: "Kernel", root: int) -> dict[int, int]:
    k.mem.check(root, _RNODE + 8)   # a bad root faults as the guest's own access would
    if not k.mem.u64(root + _RNODE):
        k.radix_trees.pop(root, None)   # INIT_RADIX_TREE again, or a new tree at old memory
    return k.radix_trees.setdefault(root, {})


def _sync(k: "Kernel", root: int) -> None:
    ents = k.radix_trees.get(root)
    if not ents:
        k.radix_trees.pop(root, None)
    k.mem.set_u64(root + _RNODE, (root | RADIX_TREE_INTERNAL_NODE) if ents else 0)


@kapi()
def radix_tree_insert(k: "Kernel", root: int, index: int, item: int) -> int:
    """ITEM at INDEX; -EEXIST if INDEX holds one already."""
    ents = _entries(k, root)
    index &= MASK64
    if index in ents:
        return errret(Errno.EEXIST)
    if item:
        ents[index] = item & MASK64
        _sync(k, root)
    return 0


@kapi()
def radix_tree_lookup(k: "Kernel", root: int, index: int) -> int:
    return _entries(k, root).get(index & MASK64, 0)


@kapi()
def radix_tree_delete(k: "Kernel", root: int, index: int) -> int:
    """The entry INDEX held, taken out (NULL if none)."""
    item = _entries(k, root).pop(index & MASK64, 0)
    _sync(k, root)
    return item


@kapi()
def radix_tree_gang_lookup(k: "Kernel", root: int, results: int, first_index: int, max_items: int) -> int:
    """Up to MAX_ITEMS entries from FIRST_INDEX on, in index order, into RESULTS; how many."""
    ents = _entries(k, root)
    first, n = first_index & MASK64, max_items & 0xFFFF_FFFF
    found = sorted(i for i in ents if i >= first)[:n] if n else []
    for j, i in enumerate(found):
        k.mem.set_u64(results + 8 * j, ents[i])
    return len(found)


@kapi()
def radix_tree_preload(k: "Kernel", gfp: int) -> int:
    """0: the nodes are the Python kernel's, nothing to allocate ahead."""
    return 0


@kapi()
def radix_tree_maybe_preload(k: "Kernel", gfp: int) -> int:
    return 0
