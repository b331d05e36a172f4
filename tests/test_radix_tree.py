"""linux/radix-tree.h through the shell (tests/modules/rtree_demo.c): an INIT_RADIX_TREE root is
empty, an insert at a taken index is -EEXIST, gang lookups go in index order from their first
index and stop at max_items, a delete gives the entry back once; the tree is empty again."""

from __future__ import annotations

from conftest import needs_gcc, needs_kernel
from shell_session import module_shell, run

pytestmark = [needs_kernel, needs_gcc]


def test_radix_tree_as_419s(kernel, tmp_path, test_module) -> None:
    sh = module_shell(kernel, tmp_path, test_module, "rtree_demo")
    lines = [ln.removeprefix("rtree: ") for ln in run(sh, "insmod rtree_demo.ko") if ln.startswith("rtree: ")]
    assert lines == [
        "empty 1", "insert 3 -> 0", "again 3 -> -17, empty 0",
        "from 4: 2: b c",                      # 1 << 40 before ~0UL
        "from 0, at most 1: 1",
        "delete 3 -> a, delete 3 ->           (null)",
        "empty 1",
    ]
