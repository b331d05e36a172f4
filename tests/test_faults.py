"""Faults, memory protections and reclaim (tests/modules/faults.c): the x86-64 4.19 reports,
guard pages, read-only module text, use after unload, panic and reboot; memory stays flat
across insmod/rmmod cycles."""

from __future__ import annotations

import pytest

from conftest import ko, needs_gcc, needs_kernel
from kernel.errno import KernelError

pytestmark = [needs_kernel, needs_gcc]


def test_freed_heap_serves_every_size(kernel, test_module):
    """64 KiB blocks allocated until the heap is exhausted and all freed: the memory serves
    small allocations (/proc/cmdline) and big ones again (the buddy allocator coalesces)."""
    faults = test_module("faults")
    kernel.init_module(faults, "fault=hog")
    first = [line for line in kernel.lines if "hog:" in line]
    assert first and "all freed" in first[0]
    n = int(first[0].split("hog: ")[1].split()[0])
    assert n > 1000
    assert kernel.fs.read("/proc/cmdline").startswith("BOOT_IMAGE")
    kernel.delete_module("faults")
    kernel.init_module(faults, "fault=hog")
    again = [line for line in kernel.lines if "hog:" in line]
    assert again[-1] == first[0]
    kernel.delete_module("faults")


def test_insmod_rmmod_cycles_keep_memory_flat(kernel, test_module):
    """Each syscall's task frees its stack and task_struct on exit; module memory and slab
    pages go back to the buddy allocator: the figures after 300 cycles equal those after 10."""
    demo = ko("livepatch-callbacks-mod")
    def cycles(n: int) -> tuple[int, int, int, int]:
        for _ in range(n):
            kernel.init_module(demo, "")
            kernel.delete_module("livepatch_callbacks_mod")
        return (kernel.stacks.in_use, kernel.heap.pages_in_use, kernel.heap.bytes_in_use,
                kernel.modules_mem.pages_in_use)
    warm = cycles(10)
    assert cycles(300) == warm


def test_module_with_an_empty_name_is_refused(kernel, test_module):
    """kobject_add_internal(): the WARN, then -EINVAL; nothing stays loaded."""
    image = bytearray(test_module("faults"))
    name = image.find(b"faults\0" + b"\0" * 8)
    assert name > 0
    image[name] = 0
    modinfo = image.find(b"name=faults\0")
    if modinfo > 0:
        image[modinfo + 5] = 0
    with pytest.raises(KernelError) as e:
        kernel.init_module(bytes(image), "")
    assert e.value.errno == 22
    text = "\n".join(kernel.lines)
    assert "attempted to be registered with empty name!" in text
    assert "WARNING: CPU: " in text and "kobject_add_internal+" in text
    assert "" not in kernel.modules and not kernel.loader.modules
