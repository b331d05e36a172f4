"""struct page and the memmap (kernel/api/page.py), vmalloc's areas, the layout constants
(asm/pgtable.h, high_memory), with tests/modules/pages_demo.c through the shell."""

from __future__ import annotations

from conftest import needs_gcc, needs_kernel
from kernel.mm import MEM_BASE, MEM_SIZE
from shell_session import module_shell, run

pytestmark = [needs_kernel, needs_gcc]


def test_pages_by_struct_page_and_vmalloc_areas(kernel, tmp_path, test_module):
    sh = module_shell(kernel, tmp_path, test_module, "pages_demo")
    assert kernel.mem.u64(kernel.vmlinux.symbol("high_memory")) == MEM_BASE + MEM_SIZE
    run(sh, "true")
    before = kernel.heap.pages_in_use
    assert run(sh, "insmod pages_demo.ko") == [
        "order-2 block: count 1, pfn matches 1, virt_to_page 1, next page 1",
        "pfn_to_page 1, zeroed 1, in lowmem 1",
        "after __free_pages with a reference held: count 1",
        "vmalloc 1 kmalloc 0, vmalloc_to_page 1, of kmalloc 1",
        "modules 1, vmalloc range 1"]
    held = kernel.heap.pages_in_use
    assert run(sh, "rmmod pages_demo") == ["last reference put"]
    # the order-2 block went back on the last put (the memmap, made on first use, stays)
    assert kernel.heap.pages_in_use == held - 4
    assert not any("WARNING" in ln or "BUG" in ln for ln in sh.output)
    assert kernel.mem_map and before <= kernel.heap.pages_in_use
