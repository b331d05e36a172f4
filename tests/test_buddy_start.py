"""A buddy allocator starts from its range's maximal aligned blocks, worked out once per range
in a process (kernel.mm._maximal_blocks, cached): each allocator gets free lists of its own, the same
as splitting the range itself gives."""

from __future__ import annotations


def _split(start: int, end: int, max_order: int) -> list[set[int]]:
    from kernel.mm import PAGE_SIZE
    free: list[set[int]] = [set() for _ in range(max_order + 1)]
    addr = start
    while addr < end:
        order = max_order
        while order and (addr % (PAGE_SIZE << order) or addr + (PAGE_SIZE << order) > end):
            order -= 1
        free[order].add(addr)
        addr += PAGE_SIZE << order
    return free


def test_each_allocator_starts_with_its_ranges_blocks_of_its_own():
    from kernel.mm import HEAP_BASE, HEAP_END, MAX_ORDER, MODULES_BASE, MODULES_END, BuddyAllocator
    for start, end, max_order in ((HEAP_BASE, HEAP_END, MAX_ORDER), (MODULES_BASE, MODULES_END, MAX_ORDER),
                                  (0x0012_3000, 0x0456_7000, 5)):
        a, b = BuddyAllocator(start, end, max_order), BuddyAllocator(start, end, max_order)
        assert a._free == b._free == _split(start, end, max_order)
        block = a.alloc_order(0)
        assert b._free == _split(start, end, max_order)      # b's lists are not a's
        a.free(block)
        assert a._free == _split(start, end, max_order) and a.free_pages == b.free_pages
