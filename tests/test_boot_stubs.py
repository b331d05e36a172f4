"""The stub slots a boot adds after its image's (ftrace_regs_caller, _do_fork, kthread) are
installed with the image by later boots of the process (kernel.bootimage.keep_boot_stubs): a
machine booted so has the same slots, stub page, kallsyms (in the same order) and memory as
one whose boot added them itself."""

from __future__ import annotations

import hashlib

import pytest

from conftest import needs_kernel

pytestmark = needs_kernel


def _state(k) -> tuple:
    """What a machine's boot left that the stub slots touch, and its memory where boot
    writes (the stub page, the first MiB of module space and 4 MiB of heap)."""
    from kernel.cpu import SLOT
    from kernel.mm import HEAP_BASE, MEM_BASE, MODULES_BASE, STUB_BASE
    view = memoryview(k.mem.buf)
    regions = [view[a - MEM_BASE:a - MEM_BASE + n] for a, n in
               ((STUB_BASE, 1 << 16), (MODULES_BASE, 1 << 20), (HEAP_BASE, 4 << 20))]
    ks = k.kallsyms
    return ([(s.name, s.addr, s.nargs, s.variadic, s.func) for s in k.cpu.stubs],
            k.mem.read(STUB_BASE, len(k.cpu.stubs) * SLOT),
            list(ks.owner_syms("vmlinux")), ks.all(), k.fs.read("/proc/kallsyms"),
            [hashlib.sha256(r).hexdigest() for r in regions])


@pytest.mark.parametrize("kernel", ["4.19", "5.4"])
def test_a_boot_with_the_recorded_slots_is_a_boot_that_added_them(elf_cache, kernel):
    from kernel.machine import Kernel
    Kernel.boot(elf_cache=elf_cache, kernel=kernel).shutdown()      # the image exists
    k = Kernel.boot(elf_cache=elf_cache, kernel=kernel)
    image = k.boot_image
    assert image is not None and image.booted        # ... and now its boot's slots too
    later = Kernel.boot(elf_cache=elf_cache, kernel=kernel)
    assert later.cpu.image_stubs == len(later.cpu.stubs) > len(image.stubs)
    assert not later.cpu._patched                     # all of the stub page is the image's
    booted, image.booted[:] = image.booted[:], []
    try:
        k.shutdown()
        later_state = _state(later)
        later.shutdown()
        plain = Kernel.boot(elf_cache=elf_cache, kernel=kernel)   # adds them itself
        assert plain.cpu.image_stubs == len(image.stubs)
        assert _state(plain) == later_state
        plain.shutdown()
    finally:
        image.booted[:] = booted


def test_a_host_frame_slot_taken_from_the_process_cache_is_the_slot_made_anew(elf_cache, monkeypatch):
    """Cpu._add_host_frame(): the Stub and kallsyms entry a host frame gets at a slot number
    are kept per process (cpu.HOST_SLOTS); a machine given them has the stubs, stub page,
    kallsyms and memory of one that made them."""
    from kernel import cpu
    from kernel.machine import Kernel
    names = ("do_one_initcall", "klpsh_test_frame", "load_module")
    states = []
    for cached in (False, True):
        if not cached:
            monkeypatch.setattr(cpu, "HOST_SLOTS", {})
        k = Kernel.boot(elf_cache=elf_cache)
        kept = dict(cpu.HOST_SLOTS)
        for name in names:
            k.cpu.host_addr(name)
        if cached:
            assert all(cpu.HOST_SLOTS[key] is kept[key] for key in kept) and len(kept) >= len(names)
        states.append(_state(k))
        k.shutdown()
    assert states[0] == states[1]
