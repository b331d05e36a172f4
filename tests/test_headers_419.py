"""The 4.19 headers a tutorial module includes, and what they give it: bit operations and
bitmaps (vmlinux's lib/find_bit.c, lib/bitmap.c), rwlocks, ioctl numbers, asm/errno.h."""

from __future__ import annotations

from conftest import needs_gcc, needs_kernel

pytestmark = [needs_kernel, needs_gcc]


def test_bitops_bitmaps_rwlocks_and_ioctl_numbers(kernel, test_module):
    kernel.init_module(test_module("bitops_demo"), "")
    assert kernel.lines[-19:] == [
        "test_and_set_bit 100: 0 then 1",
        "test_and_clear_bit 100: 1 then 0",
        "test_bit 3=1 4=0 64=1",
        "set: 3", "set: 5", "set: 64", "set: 129",
        "first=3 first_zero=0 next(6)=64 last=129 weight=4",
        "clear in 0..7: 6; empty=1",
        "after zero: first=130 (size 130)",
        "ffs(0x50)=5 fls(0x50)=7 __ffs(0x50)=4 ffz(7)=3 hweight32=8 hweight64=64",
        "word=8000000000000000 order(5)=3",
        "write_trylock under a reader: 0",
        "read_trylock under the writer: 0",
        "write_trylock free: 1",
        "spin_is_locked=1 trylock=0",
        "after unlock: spin_is_locked=0",
        "ioctl: 0x6b00 0x80046b01 0x40086b02 0xc0186b03 nr=3 type=k size=24 dir=3",
        "errno: EAGAIN=11 ENOTTY=25 EOWNERDEAD=130",
    ]
