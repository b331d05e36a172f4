"""Livepatch ELF relocations end to end: the klp-convert sample before and after its target."""

from __future__ import annotations

from conftest import S, ko, needs_kernel

pytestmark = needs_kernel

PATCH = "/sys/kernel/livepatch/livepatch_klp_reloc/enabled"


def test_sample_loaded_after_target(kernel):
    kernel.init_module(ko("livepatch-callbacks-mod"), "")
    kernel.init_module(ko("livepatch-klp-reloc"), "")
    kernel.run_for(2 * S)
    text = kernel.fs.read("/proc/cmdline")
    assert "static_counter" in text and "not loaded" not in text


def test_sample_loaded_before_target(kernel):
    kernel.init_module(ko("livepatch-klp-reloc"), "")
    kernel.run_for(2 * S)
    assert "not loaded" in kernel.fs.read("/proc/cmdline")
    kernel.init_module(ko("livepatch-callbacks-mod"), "")
    assert "static_counter" in kernel.fs.read("/proc/cmdline")
    kernel.delete_module("livepatch_callbacks_mod")
    kernel.init_module(ko("livepatch-callbacks-mod"), "")
    assert "static_counter" in kernel.fs.read("/proc/cmdline")
    kernel.fs.write(PATCH, "0\n")
    kernel.run_for(2 * S)
    assert kernel.fs.read("/proc/cmdline").startswith("BOOT_IMAGE=")
