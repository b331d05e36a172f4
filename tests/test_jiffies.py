"""The guest's jiffies against the virtual clock (Kernel._tick)."""

from __future__ import annotations

from conftest import needs_kernel


@needs_kernel
def test_jiffies_in_guest_memory_follow_the_clock_one_write_a_jiffy(kernel, monkeypatch) -> None:
    """Kernel._tick(): the guest's jiffies is the clock's at every move, written when a jiffy
    passed (as the timer tick writes it), not at every move of the clock within one."""
    from kernel.mm import GuestMemory
    addr = kernel.jiffies_addr
    assert addr and kernel.mem.u64(addr) == kernel.clock.jiffies
    written: list[int] = []
    set_u64 = GuestMemory.set_u64

    def counting(mem: GuestMemory, at: int, value: int) -> None:
        if at == addr:
            written.append(value)
        set_u64(mem, at, value)

    monkeypatch.setattr(GuestMemory, "set_u64", counting)
    start = kernel.clock.jiffies
    for _ in range(30):                            # 3 ms in steps of 100 us
        kernel.clock.advance_to(kernel.clock.now + 100_000)
        assert kernel.mem.u64(addr) == kernel.clock.jiffies
    assert written == list(range(start + 1, kernel.clock.jiffies + 1))
