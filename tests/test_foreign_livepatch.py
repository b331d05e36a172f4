"""Livepatch modules in the style of the 5.x selftests, ported to the 4.19 register/enable
API (tests/modules/lp_*.c, shadow_vars.c): stacked patches on one function, a patch of
meminfo_proc_show, failing callbacks of a later-loaded target, the shadow variable API."""

from __future__ import annotations

import pytest

from conftest import S, needs_gcc, needs_kernel
from kernel.errno import Errno, KernelError

pytestmark = [needs_kernel, needs_gcc]
LP = "/sys/kernel/livepatch"


def _settle(kernel):
    kernel.run_for(2 * S)


def test_stacked_patches_newest_wins_and_disable_restores(kernel, test_module):
    boot = kernel.fs.read("/proc/cmdline")
    kernel.init_module(test_module("lp_cmdline1"), "")
    _settle(kernel)
    assert kernel.fs.read("/proc/cmdline") == "lp_cmdline1: this has been live patched\n"
    kernel.init_module(test_module("lp_cmdline2"), "")
    _settle(kernel)
    assert kernel.fs.read("/proc/cmdline") == "lp_cmdline2: this has been live patched\n"
    with pytest.raises(KernelError) as e:           # only the last enabled patch can be disabled
        kernel.fs.write(f"{LP}/lp_cmdline1/enabled", "0\n")
    assert e.value.errno == Errno.EBUSY
    kernel.fs.write(f"{LP}/lp_cmdline2/enabled", "0\n")
    _settle(kernel)
    assert kernel.lines[-1] == "livepatch: 'lp_cmdline2': unpatching complete"
    assert kernel.fs.read("/proc/cmdline") == "lp_cmdline1: this has been live patched\n"
    kernel.fs.write(f"{LP}/lp_cmdline1/enabled", "0\n")
    _settle(kernel)
    assert kernel.fs.read("/proc/cmdline") == boot
    with pytest.raises(KernelError) as e:           # only the first disabled patch can be enabled
        kernel.fs.write(f"{LP}/lp_cmdline2/enabled", "1\n")
    assert e.value.errno == Errno.EBUSY
    assert kernel.fs.listdir(f"{LP}/lp_cmdline1/vmlinux") == ["cmdline_proc_show,1"]
    kernel.delete_module("lp_cmdline2")
    kernel.delete_module("lp_cmdline1")
    assert kernel.fs.listdir(LP) == []


def test_patch_of_meminfo_proc_show(kernel, test_module):
    kernel.init_module(test_module("lp_meminfo"), "")
    _settle(kernel)
    assert "lp_meminfo: post_patch: vmlinux" in kernel.lines
    first = kernel.fs.read("/proc/meminfo").splitlines()
    second = kernel.fs.read("/proc/meminfo").splitlines()
    assert first[0].startswith("MemTotal:") and first[1].split() == ["Patched:", "1"]
    assert second[1].split() == ["Patched:", "2"]
    kernel.fs.write(f"{LP}/lp_meminfo/enabled", "0\n")
    _settle(kernel)
    assert kernel.fs.read("/proc/meminfo").splitlines()[1].startswith("MemFree:")
    kernel.delete_module("lp_meminfo")


def test_failing_pre_patch_callback_refuses_a_later_target(kernel, test_module):
    kernel.init_module(test_module("lp_callbacks_err"), "")
    _settle(kernel)
    kernel.fs.write("/sys/module/lp_callbacks_err/parameters/pre_patch_ret", "-19\n")
    n = len(kernel.lines)
    with pytest.raises(KernelError) as e:
        kernel.init_module(test_module("lp_target"), "")
    assert e.value.errno == Errno.ENODEV
    assert kernel.lines[n:] == [
        "livepatch: applying patch 'lp_callbacks_err' to loading module 'lp_target'",
        "lp_callbacks_err: pre_patch_callback: lp_target -> [MODULE_STATE_COMING] Full formed, running module_init",
        "livepatch: pre-patch callback failed for object 'lp_target'",
        "livepatch: patch 'lp_callbacks_err' failed for module 'lp_target', refusing to load module 'lp_target'"]
    assert "lp_target" not in kernel.modules
    kernel.fs.write("/sys/module/lp_callbacks_err/parameters/pre_patch_ret", "0\n")
    kernel.init_module(test_module("lp_target"), "")
    assert kernel.lines[-1] == "lp_target: lp_target_init: value 2"   # patched before its init ran
    kernel.delete_module("lp_target")
    assert kernel.lines[-4:] == [
        "lp_target: lp_target_exit: value 2",
        "lp_callbacks_err: pre_unpatch_callback: lp_target -> [MODULE_STATE_GOING] Going away",
        "livepatch: reverting patch 'lp_callbacks_err' on unloading module 'lp_target'",
        "lp_callbacks_err: post_unpatch_callback: lp_target -> [MODULE_STATE_GOING] Going away"]
    kernel.fs.write(f"{LP}/lp_callbacks_err/enabled", "0\n")
    _settle(kernel)
    kernel.delete_module("lp_callbacks_err")


def test_shadow_variable_api(kernel, test_module):
    kernel.init_module(test_module("shadow_vars"), "")
    text = [l for l in kernel.lines if l.startswith(("shadow_vars:", "livepatch:"))]
    assert text[:3] == ["shadow_vars: alloc: 11 22 33", "shadow_vars: get(obj1, id) same=1 value=11",
                        "shadow_vars: get(obj2, id+1) null=1"]
    assert "shadow_vars: duplicate alloc null=1 ctor_calls=3" in text
    assert "shadow_vars: get_or_alloc existing same=1 value=22" in text
    assert "shadow_vars: new counter=0" in text
    assert any(l.startswith("livepatch: Failed to construct shadow variable <") and l.endswith(", 77> (-22)")
               for l in text)
    assert text[-1] == "shadow_vars: ctor_calls=4 dtor_calls=3 left=0"
    dup = kernel.lines.index(next(l for l in kernel.lines if l.startswith("Duplicate shadow variable <")))
    assert kernel.lines[dup - 1] == "------------[ cut here ]------------"
    assert kernel.lines[dup + 1].startswith("WARNING: CPU: 0 PID: ") and \
        "at kernel/livepatch/shadow.c:" in kernel.lines[dup + 1]
