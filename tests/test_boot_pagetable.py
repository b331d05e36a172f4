"""A machine booted on a board handed on starts from the last machine's page table, with the
ranges that machine changed set back to the boot layout (kernel.mm.PageTable.from_layout): the
same table as a boot on a fresh copy of the layout, whatever the last machine mapped."""

from __future__ import annotations

from conftest import S, ko, needs_kernel

pytestmark = needs_kernel


def test_a_handed_on_page_table_is_the_boot_layout(elf_cache):
    from kernel import cpu
    from kernel.machine import Kernel
    k = Kernel.boot(elf_cache=elf_cache)
    booted = bytes(k.pagetable.prot)
    k.init_module(ko("livepatch-sample"), "")        # module space mapped, text RX
    k.run_for(3 * S)
    assert bytes(k.pagetable.prot) != booted
    k.shutdown()
    assert not k.pagetable.prot                       # the table went with the board
    board = cpu.SPARE_BOARDS[-1]
    assert board.pagetable is not None
    handed = Kernel.boot(elf_cache=elf_cache)
    assert board.pagetable is None
    table = bytes(handed.pagetable.prot)
    assert handed.mem.present is handed.pagetable.prot
    handed.shutdown()
    cpu.SPARE_BOARDS[-1].pagetable = None             # the next boot copies the layout
    fresh = Kernel.boot(elf_cache=elf_cache)
    assert bytes(fresh.pagetable.prot) == table
    fresh.shutdown()
