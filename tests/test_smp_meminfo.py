"""Cross-CPU calls and the page counts through the shell (tests/modules/smp_mem_demo.c):
on_each_cpu() runs the function on CPU 1 from its IPI (hardirq, smp_processor_id() 1) and then
here on CPU 0; smp_call_function_single() of a CPU past nr_cpu_ids is -ENXIO; on_each_cpu_mask()
only on its CPUs. nr_free_pages(), si_meminfo() and /proc/meminfo count the same buddy pages."""

from __future__ import annotations

import re

from conftest import needs_gcc, needs_kernel
from klpsh.shell import Shell

pytestmark = [needs_kernel, needs_gcc]
STAMP = re.compile(r"^\[ *\d+\.\d{6}\] ")


def _kb(out: list[str], n: int, label: str) -> int:
    """The LABEL figure of the Nth /proc/meminfo printed in OUT."""
    return [int(ln.split()[1]) for ln in out if ln.startswith(label + ":")][n]


def test_cross_cpu_calls_and_page_counts(kernel, tmp_path, test_module) -> None:
    (tmp_path / "smp_mem_demo.ko").write_bytes(test_module("smp_mem_demo"))
    out: list[str] = []
    sh = Shell(kernel, out.append, cwd=tmp_path)
    for line in ("cat /proc/meminfo", "insmod smp_mem_demo.ko", "cat /proc/meminfo",
                 "rmmod smp_mem_demo", "cat /proc/meminfo"):
        sh.run_line(line)
    lines = [STAMP.sub("", ln).removeprefix("smp_mem_demo: ") for ln in out if "smp_mem_demo: " in ln]
    assert lines == [
        "on_each_cpu on cpu 1, in_irq 1", "on_each_cpu on cpu 0, in_irq 0",   # others first
        "single 0 on cpu 0, in_irq 0", "single 0 -> 0",                      # the local CPU: a call
        "single 2 -> -6",                                                    # -ENXIO
        "others on cpu 1, in_irq 1", "mask 1 on cpu 1, in_irq 1",
        "back on cpu 0",
        "order-4 block takes 16 pages",
    ]
    total = _kb(out, 0, "MemTotal")
    assert total == (0x2000_0000 - 0x0800_0000 + 0x0800_0000 - 0x0100_0000) >> 10   # heap + modules
    assert _kb(out, 1, "MemTotal") == total and _kb(out, 0, "MemFree") <= total
    # the module's image and its 64 KiB block are gone from MemFree while it is loaded
    assert _kb(out, 0, "MemFree") - _kb(out, 1, "MemFree") >= 64
    assert _kb(out, 2, "MemFree") == _kb(out, 0, "MemFree")
    assert _kb(out, 1, "Cached") == 0 and _kb(out, 1, "SwapTotal") == 0
