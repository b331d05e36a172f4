"""struct page and the memmap (linux/mm.h, mm/page_alloc.c, mm/vmalloc.c): alloc_pages and
friends, page_address/virt_to_page/page_to_pfn, page references, vmalloc's pages.

Kernel memory is mapped one to one, so a page frame number is an address >> PAGE_SHIFT. The
page allocator's blocks come from the kernel heap (kernel/api/page_alloc.py); the memmap
holds a 64-byte struct page for every frame of the heap, in frame order, so page + 1 is the
next frame. It is made on first use, as one heap block (a machine that never asks for a
struct page has none).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.abi import Page
from kernel.api import kapi, s32
from kernel.api.page_alloc import __get_free_pages, free_pages
from kernel.mm import HEAP_BASE, HEAP_END, PAGE_SHIFT, PAGE_SIZE

if TYPE_CHECKING:
    from kernel.machine import Kernel

FIRST_PFN = HEAP_BASE >> PAGE_SHIFT
NR_PAGES = (HEAP_END - HEAP_BASE) >> PAGE_SHIFT


def mem_map(k: "Kernel") -> int:
    """The memmap's first struct page (that of the heap's first frame)."""
    if not k.mem_map:
        size = NR_PAGES * Page.size
        k.mem_map = k.heap.alloc(size)
        k.mem.zero(k.mem_map, size)
    return k.mem_map


def pfn_page(k: "Kernel", pfn: int) -> int:
    """PFN's struct page: inside the memmap for a heap frame; other frames have none (0)."""
    if not FIRST_PFN <= pfn < FIRST_PFN + NR_PAGES:
        return 0
    return mem_map(k) + (pfn - FIRST_PFN) * Page.size


def page_pfn(k: "Kernel", page: int) -> int:
    return FIRST_PFN + (page - mem_map(k)) // Page.size


@kapi()
def page_to_pfn(k: "Kernel", page: int) -> int:
    return page_pfn(k, page) if page else 0


@kapi()
def pfn_to_page(k: "Kernel", pfn: int) -> int:
    return pfn_page(k, pfn)


@kapi()
def virt_to_page(k: "Kernel", kaddr: int) -> int:
    return pfn_page(k, kaddr >> PAGE_SHIFT)


@kapi()
def page_address(k: "Kernel", page: int) -> int:
    return page_pfn(k, page) << PAGE_SHIFT if page else 0


def _set_refcount(k: "Kernel", page: int, n: int) -> None:
    k.mem.set_u32(page + Page._refcount.offset, n & 0xFFFF_FFFF)


@kapi()
def alloc_pages_current(k: "Kernel", gfp: int, order: int) -> int:
    """A block of 2^ORDER pages by its first struct page (refcount 1), or NULL."""
    addr = __get_free_pages(k, gfp, order)
    if not addr:
        return 0
    page = virt_to_page(k, addr)
    k.mem.zero(page, Page.size << (order & 0x1F))
    _set_refcount(k, page, 1)
    k.page_orders[page] = order & 0xFFFF_FFFF
    return page


def _release(k: "Kernel", page: int, order: int) -> None:
    k.page_orders.pop(page, None)
    free_pages(k, page_address(k, page), order)


@kapi()
def __free_pages(k: "Kernel", page: int, order: int) -> None:
    """Drop the caller's reference; the last one gives the block back (put_page_testzero)."""
    if not page:
        return
    n = s32(k.mem.u32(page + Page._refcount.offset)) - 1
    _set_refcount(k, page, n)
    if n == 0:
        _release(k, page, order & 0xFFFF_FFFF)
    # n < 0: put_page_testzero()'s VM_BUG_ON_PAGE is CONFIG_DEBUG_VM only; 4.19 without it
    # leaves the count negative and says nothing.


@kapi()
def put_page(k: "Kernel", page: int) -> None:
    """The last reference to an allocator block frees it, at the order it was allocated."""
    order = k.page_orders.get(page)
    if order is None:                  # a page of kmalloc'd or vmalloc'd memory: only counted
        n = s32(k.mem.u32(page + Page._refcount.offset)) - 1
        _set_refcount(k, page, n)
        return
    __free_pages(k, page, order)


@kapi()
def is_vmalloc_addr(k: "Kernel", x: int) -> int:
    """Whether X lies in a vmalloc() area (here: a heap block vmalloc handed out)."""
    return int(k.slab.vmalloc_area(x) is not None)


@kapi()
def vmalloc_to_page(k: "Kernel", addr: int) -> int:
    if k.slab.vmalloc_area(addr) is None:
        return 0
    return virt_to_page(k, addr)


@kapi()
def vmalloc_to_pfn(k: "Kernel", addr: int) -> int:
    page = vmalloc_to_page(k, addr)
    return page_pfn(k, page) if page else 0


assert PAGE_SIZE == 1 << PAGE_SHIFT
