"""gfp_t bits per kernel: 5.4's include/linux/gfp.h numbers most ___GFP_* flags differently
from 4.19's (__GFP_ZERO 0x100 instead of 0x8000, GFP_KERNEL 0xcc0 instead of 0x6000c0).
The header a module is built with and the profile the kernel reads flags through
(kernel/profile.py GfpBits) must say the same, or a 5.4 module's __GFP_ZERO, __GFP_NOWARN
and %pGg would mean other flags."""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, needs_gcc, needs_kernel
from kernel import kbuild
from kernel.machine import Kernel
from kernel.profile import get_profile

pytestmark = [needs_gcc]
FIELDS = list(get_profile("5.4").gfp._fields)


def _header_values(tmp: Path, kernel: str, names: list[str]) -> list[int]:
    src = tmp / f"gfp_{kernel}.c"
    src.write_text("#include <linux/gfp.h>\n"
                   f"const unsigned int gfp_values[] = {{ {', '.join(names)} }};\n")
    asm = tmp / f"gfp_{kernel}.s"
    subprocess.run(["gcc", *kbuild.compile_flags("gfp", "gfp", kernel=kernel), "-S", str(src),
                    "-o", str(asm)], check=True, capture_output=True, text=True)
    return [int(w.split()[1], 0) for w in asm.read_text().splitlines()
            if w.strip().startswith(".long")]


@pytest.mark.parametrize("kernel", ["4.19", "5.4"])
def test_the_headers_bits_are_the_profiles(tmp_path, kernel):
    g = get_profile(kernel).gfp
    names = [f"___GFP_{f.upper()}" for f in FIELDS] + [
        "GFP_KERNEL", "GFP_ATOMIC", "GFP_NOWAIT", "__GFP_RECLAIM"]
    want = [getattr(g, f) for f in FIELDS] + [g.kernel, g.atomic_flags, g.nowait, g.reclaim]
    assert _header_values(tmp_path, kernel, names) == want


def test_5_4_values_as_5_4s_gfp_h():
    """The numbers of 5.4's include/linux/gfp.h (5.4.214) and 4.19's."""
    new, old = get_profile("5.4").gfp, get_profile("4.19").gfp
    assert (new.kernel, new.atomic_flags, new.zero, new.nowait, new.nowarn) == (
        0xCC0, 0xA20, 0x100, 0x800, 0x2000)
    assert (old.kernel, old.atomic_flags, old.zero, old.nowait, old.nowarn) == (
        0x6000C0, 0x480020, 0x8000, 0x400000, 0x200)
    assert len({getattr(new, f) for f in FIELDS}) == len(FIELDS) == 23     # one bit each


GFP_USE = """
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/gfp.h>
static int __init gfp_use_init(void)
{
	unsigned char *p = kmalloc(64, GFP_KERNEL);
	gfp_t nowarn = GFP_KERNEL | __GFP_NOWARN;
	int i, dirty = 0;
	memset(p, 0xa5, 64);
	kfree(p);
	p = kmalloc(64, GFP_KERNEL | __GFP_ZERO);          /* the block just freed, zeroed */
	for (i = 0; i < 64; i++)
		dirty += p[i] != 0;
	kfree(p);
	pr_info("zeroed %d, flags %#x [%pGg]\\n", dirty == 0, (unsigned int)nowarn, &nowarn);
	p = kmalloc(64 << 20, nowarn);                     /* too large: NULL, no warning */
	pr_info("huge %p\\n", p);
	return 0;
}
static void __exit gfp_use_exit(void) { }
module_init(gfp_use_init);
module_exit(gfp_use_exit);
MODULE_LICENSE("GPL");
"""


@needs_kernel
@pytest.mark.parametrize("kernel", ["4.19", "5.4"])
def test_a_module_of_each_kernel_means_its_flags(tmp_path, elf_cache, kernel):
    src = tmp_path / "gfp_use.c"
    src.write_text(GFP_USE)
    ko = kbuild.build_module(src, tmp_path, kernel=kernel).read_bytes()
    k = Kernel.boot(clock_mode="virtual", elf_cache=elf_cache, kernel=kernel)
    try:
        lines: list[str] = []
        k.printk.consoles.append(lambda r: lines.append(r.text))
        k.init_module(ko, "")
        g = get_profile(kernel).gfp
        mine = [ln for ln in lines if ln.startswith("gfp_use: ") and "taints" not in ln]
        assert mine == [f"gfp_use: zeroed 1, flags {g.kernel | g.nowarn:#x} [GFP_KERNEL|__GFP_NOWARN]",
                        "gfp_use: huge           (null)"]
        assert not any("WARNING" in ln for ln in lines)
    finally:
        k.shutdown()


@needs_kernel
def test_pG_names_on_5_4(tmp_path, elf_cache):
    """tests/modules/pg_flags.c built for 5.4 prints on 5.4 what the 4.19 build prints on 4.19."""
    ko = kbuild.build_module(ROOT / "tests" / "modules" / "pg_flags.c", tmp_path,
                             kernel="5.4").read_bytes()
    k = Kernel.boot(clock_mode="virtual", elf_cache=elf_cache, kernel="5.4")
    try:
        lines: list[str] = []
        k.printk.consoles.append(lambda r: lines.append(r.text))
        k.init_module(ko, "")
        assert [ln for ln in lines if ln.startswith("gfp")] == [
            "gfp 0 [GFP_KERNEL]", "gfp 1 [GFP_ATOMIC|__GFP_ZERO]", "gfp 2 [GFP_KERNEL|__GFP_NOWARN]",
            "gfp 3 [__GFP_HIGH]", "gfp 4 [GFP_HIGHUSER_MOVABLE]", "gfp 5 [0x1000000]", "gfp 6 []"]
    finally:
        k.shutdown()
