"""apply_relocate_add() for x86-64, as arch/x86/kernel/module.c does it: a recipe table."""

from __future__ import annotations

from typing import Callable, Iterable

from kernel.errno import Errno, KernelError
from kernel.mm import BadAddress, GuestMemory
from kernel.record import RecordTuple

R_X86_64_NONE, R_X86_64_64, R_X86_64_PC32, R_X86_64_PLT32 = 0, 1, 2, 4
R_X86_64_32, R_X86_64_32S, R_X86_64_PC64 = 10, 11, 24


class Recipe(RecordTuple):
    """How a relocation type is written: its width, PC-relative or not, its range check."""

    size: int
    pcrel: bool
    fits: Callable[[int], bool]


def _u32(v: int) -> bool:
    return 0 <= v <= 0xFFFF_FFFF


def _s32(v: int) -> bool:
    return -(1 << 31) <= v < (1 << 31)


def _any(v: int) -> bool:
    return True


RECIPES: dict[int, Recipe] = {
    R_X86_64_64: Recipe(8, False, _any),
    R_X86_64_32: Recipe(4, False, _u32),
    R_X86_64_32S: Recipe(4, False, _s32),
    R_X86_64_PC32: Recipe(4, True, _any),
    R_X86_64_PLT32: Recipe(4, True, _any),
    R_X86_64_PC64: Recipe(8, True, _any),
}


def check_reloc_bounds(offset: int, rtype: int, size: int, secname: str, modname: str,
                       pr_err: Callable[[str], None]) -> None:
    """A relocation must lie inside its target section. 4.19's apply_relocate_add() writes
    wherever r_offset points; here a corrupt or crafted module is refused (-ENOEXEC) before
    anything outside its own section is touched."""
    recipe = RECIPES.get(rtype)
    width = recipe.size if recipe is not None else 0
    if offset < 0 or offset + width > size:
        pr_err(f"{modname}: relocation at offset {offset:#x} is outside section {secname} "
               f"({size:#x} bytes)")
        raise KernelError(Errno.ENOEXEC)


# arch/x86/kernel/module.c is built in: its pr_fmt is KBUILD_MODNAME ": ", i.e. "module: "
PR_FMT = "module: "


def apply_relocate_add(mem: GuestMemory, base: int, relas: Iterable[tuple[int, int, int, int]],
                       modname: str, pr_err: Callable[[str], None],
                       section: tuple[str, int] | None = None,
                       fmt_ptr: Callable[[int], str] = lambda v: f"{v:016x}") -> None:
    """Apply (r_offset, r_type, symbol value, r_addend) entries to the section at BASE;
    SECTION (name, size) bounds where they may write.  As 4.14-5.7 (4.19 and 5.4 alike), a
    place that is not zero is refused (-ENOEXEC) before anything is written there; FMT_PTR
    prints its address as %p does.  A bounded section that is all guest memory is read once
    and written back once (with what was applied before a refused entry); else each place is
    read and written in guest memory, faulting where it is not."""
    size = section[1] if section is not None else 0
    image: bytearray | None = None
    if size > 0:
        try:
            image = bytearray(mem.read(base, size))
        except BadAddress:
            image = None
    plans = _PLANS
    try:
        for offset, rtype, symval, addend in relas:
            if rtype == R_X86_64_NONE:
                continue
            plan = plans.get(rtype)
            if plan is None:
                pr_err(f"{PR_FMT}{modname}: Unknown rela relocation: {rtype}")
                raise KernelError(Errno.ENOEXEC)
            n, pcrel, fits, zero, mask = plan
            if section is not None and (offset < 0 or offset + n > size):
                check_reloc_bounds(offset, rtype, size, section[0], modname, pr_err)
            loc = base + offset
            val = (symval + addend) & _MASK64
            if (image[offset:offset + n] if image is not None else mem.read(loc, n)) != zero:
                pr_err(f"{PR_FMT}x86/modules: Skipping invalid relocation target, existing value is "
                       f"nonzero for type {rtype}, loc {fmt_ptr(loc)}, val {val:x}")
                raise KernelError(Errno.ENOEXEC)
            signed = val - (1 << 64) if val >> 63 else val
            if pcrel:
                signed -= loc
            if fits is not None and not fits(signed):
                pr_err(f"{PR_FMT}overflow in relocation type {rtype} val {val:x}")
                pr_err(f"{PR_FMT}`{modname}' likely not compiled with -mcmodel=kernel")
                raise KernelError(Errno.ENOEXEC)
            placed = (signed & mask).to_bytes(n, "little")
            if image is not None:
                image[offset:offset + n] = placed
            else:
                mem.write(loc, placed)
    finally:
        if image is not None:
            mem.write(base, image)


_MASK64 = (1 << 64) - 1
# RECIPES as the loop uses them: (width, pc-relative, range check or None for any value,
# the width's zero bytes, the width's mask)
_PLANS: dict[int, tuple[int, bool, Callable[[int], bool] | None, bytes, int]] = {
    rtype: (r.size, r.pcrel, None if r.fits is _any else r.fits, bytes(r.size), (1 << (8 * r.size)) - 1)
    for rtype, r in RECIPES.items()}
