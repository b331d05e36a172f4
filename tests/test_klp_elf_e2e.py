"""Livepatch ELF relocations end to end: the klp-convert sample before and after its target."""

from __future__ import annotations

import pytest

from conftest import S, ko, needs_kernel
from kernel.errno import Errno, KernelError

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
    kernel.fs.write(PATCH, "0\n")
    kernel.run_for(2 * S)
    assert kernel.fs.read("/proc/cmdline").startswith("BOOT_IMAGE=")


def test_target_loaded_again_is_refused(kernel):
    """4.19 leaves the relocations it wrote for a module in place when the module goes; when
    it comes again x86's apply_relocate_add() refuses the written places and the module is
    refused (the bug kernels fixed in 6.3 with klp_clear_object_relocs)."""
    kernel.init_module(ko("livepatch-klp-reloc"), "")
    kernel.init_module(ko("livepatch-callbacks-mod"), "")
    kernel.run_for(2 * S)
    kernel.delete_module("livepatch_callbacks_mod")
    n = len(kernel.lines)
    with pytest.raises(KernelError) as e:
        kernel.init_module(ko("livepatch-callbacks-mod"), "")
    assert e.value.errno == Errno.ENOEXEC
    lines = kernel.lines[n:]
    assert any(ln.startswith("module: x86/modules: Skipping invalid relocation target") for ln in lines)
    assert lines[-1] == ("livepatch: patch 'livepatch_klp_reloc' failed for module "
                         "'livepatch_callbacks_mod', refusing to load module 'livepatch_callbacks_mod'")
    assert "not loaded" in kernel.fs.read("/proc/cmdline")
    kernel.fs.write(PATCH, "0\n")
    kernel.run_for(2 * S)
    kernel.delete_module("livepatch_klp_reloc")
    kernel.init_module(ko("livepatch-callbacks-mod"), "")
    assert "livepatch_callbacks_mod" in kernel.modules
