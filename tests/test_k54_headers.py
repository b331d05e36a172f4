"""Headers that changed between 4.19 and 5.4 for module code (5.4.214 read): access_ok()
without its type argument and no VERIFY_READ/VERIFY_WRITE (5.0); linux/timekeeping32.h without
do_gettimeofday(), current_kernel_time(), ktime_get_real_ts(), get_monotonic_boottime(), and
with get_seconds() over the GPL-only ktime_get_real_seconds() and getboottime().  The 5.4
overlay says so; a module written for the other kernel fails to build as it would there."""

from __future__ import annotations

import pytest

from conftest import needs_gcc, needs_kernel
from kernel import kbuild
from kernel.machine import Kernel

pytestmark = [needs_gcc]

MODULE = """
#include <linux/module.h>
#include <linux/uaccess.h>
#include <linux/timekeeping.h>
static int __init t_init(void)
{
	BODY
	return 0;
}
module_init(t_init);
MODULE_LICENSE("@LIC@");
"""


def _build(tmp_path, kernel: str, body: str, license: str = "GPL") -> bytes:
    src = tmp_path / f"t_{kernel.replace('.', '_')}.c"
    src.write_text(MODULE.replace("BODY", body).replace("@LIC@", license))
    return kbuild.build_module(src, tmp_path / kernel, kernel=kernel).read_bytes()


@pytest.mark.parametrize("body,builds_on,error", [
    ("pr_info(\"%d\\n\", access_ok((void __user *)0x1000, 8));", "5.4",
     "macro \"access_ok\" requires 3 arguments"),
    ("pr_info(\"%d\\n\", access_ok(VERIFY_READ, (void __user *)0x1000, 8));", "4.19",
     "macro \"access_ok\" passed 3 arguments"),
    ("struct timeval tv; do_gettimeofday(&tv);", "4.19", "implicit declaration of function .do_gettimeofday."),
    ("struct timespec ts = current_kernel_time(); (void)ts;", "4.19",
     "implicit declaration of function .current_kernel_time."),
    ("struct timespec ts; get_monotonic_boottime(&ts);", "4.19",
     "implicit declaration of function .get_monotonic_boottime."),
    ("struct timespec ts; ktime_get_real_ts(&ts);", "4.19",
     "implicit declaration of function .ktime_get_real_ts."),
])
def test_code_of_one_kernel_does_not_build_for_the_other(tmp_path, body, builds_on, error):
    other = "4.19" if builds_on == "5.4" else "5.4"
    _build(tmp_path, builds_on, body)
    with pytest.raises(kbuild.BuildError, match=error):
        _build(tmp_path, other, body)


def test_get_seconds_is_gpl_only_on_5_4(tmp_path):
    """5.4's get_seconds() is an inline over ktime_get_real_seconds(), EXPORT_SYMBOL_GPL; 4.19
    exported get_seconds() itself to every module."""
    body = "pr_info(\"%lu\\n\", get_seconds());"
    _build(tmp_path, "4.19", body, license="Proprietary")
    with pytest.raises(kbuild.BuildError, match="ktime_get_real_seconds"):
        _build(tmp_path, "5.4", body, license="Proprietary")


@needs_kernel
def test_the_5_4_time_readers_read_the_clock(tmp_path, elf_cache):
    body = ("struct timespec b, n; getboottime(&b); getnstimeofday(&n);\n"
            "\tpr_info(\"t: boot %ld up %ld secs %d\\n\", b.tv_sec, n.tv_sec - b.tv_sec,\n"
            "\t\t(long)get_seconds() == n.tv_sec);")
    ko = _build(tmp_path, "5.4", body)
    k = Kernel.boot(clock_mode="virtual", elf_cache=elf_cache, kernel="5.4")
    try:
        lines: list[str] = []
        k.printk.consoles.append(lambda r: lines.append(r.text))
        k.run_for(3_000_000_000)
        k.init_module(ko, "")
        assert f"t: boot {k.wall_boot_ns // 1_000_000_000} up 3 secs 1" in lines
    finally:
        k.shutdown()
