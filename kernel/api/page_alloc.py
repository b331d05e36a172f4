"""linux/gfp.h page allocation: __get_free_pages, get_zeroed_page, free_pages (mm/page_alloc.c).

Blocks of 2^order pages come from the kernel heap's buddy allocator (kmalloc_large's
blocks, naturally aligned); past 4.19's MAX_ORDER (11) the allocator WARNs once, as
kmalloc does, and gives 0.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import kapi
from kernel.errno import KernelError
from kernel.mm import PAGE_SIZE

if TYPE_CHECKING:
    from kernel.machine import Kernel

MAX_ORDER_419 = 11
NR_FREE_PAGES = 0                   # enum zone_stat_item


def managed_pages(k: "Kernel") -> int:
    """The pages the buddy allocators manage (the kmalloc heap's and the module area's):
    totalram_pages."""
    return sum((a.end - a.start) // PAGE_SIZE for a in (k.heap, k.modules_mem))


def free_pages_now(k: "Kernel") -> int:
    """The pages free in those buddy allocators (NR_FREE_PAGES)."""
    return k.heap.pages.free_pages + k.modules_mem.pages.free_pages


@kapi()
def global_zone_page_state(k: "Kernel", item: int) -> int:
    """vm_zone_stat[ITEM]: the free pages for NR_FREE_PAGES; klpsh keeps no LRU, page
    tables, bounce or CMA pages, so the other counters are 0."""
    return free_pages_now(k) if item & 0xFFFF_FFFF == NR_FREE_PAGES else 0


@kapi()
def __get_free_pages(k: "Kernel", gfp: int, order: int) -> int:
    order &= 0xFFFF_FFFF
    if order >= MAX_ORDER_419:
        k.slab.order_too_large(gfp)
        return 0
    size = PAGE_SIZE << order
    try:
        addr = k.heap.alloc(size)
    except KernelError:
        return 0
    if gfp & k.profile.gfp.zero:
        k.mem.zero(addr, size)
    return addr


@kapi()
def get_zeroed_page(k: "Kernel", gfp: int) -> int:
    return __get_free_pages(k, gfp | k.profile.gfp.zero, 0)


@kapi()
def free_pages(k: "Kernel", addr: int, order: int) -> None:
    if addr and not k.heap.free(addr):
        k.unchecked(f"free_pages of {addr:#x} (order {order & 0xFFFF_FFFF}): not an allocated block",
                    "__free_pages() of whatever struct page virt_to_page() gives")
