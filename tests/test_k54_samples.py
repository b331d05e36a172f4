"""The 5.4 samples (modules/5.4): built for the 5.4 kernel, what `samples/livepatch/` and modprobe
find on the 5.4 profile, and a cumulative-patch session with them."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import MODULES, needs_gcc, needs_kernel
from kernel import kbuild
from kernel.errno import Errno, KernelError
from kernel.profile import get_profile
from klpsh.cli import run_batch

pytestmark = [needs_kernel]

MODULES_5_4 = MODULES / "5.4"
SAMPLES = sorted(p.stem for p in MODULES_5_4.glob("*.c"))
LP = "/sys/kernel/livepatch"


def _ko(stem: str) -> bytes:
    return (MODULES_5_4 / f"{stem}.ko").read_bytes()


def test_every_sample_is_built_for_5_4():
    assert {"livepatch-sample", "livepatch-replace", "livepatch-shadow-mod", "livepatch-shadow-fix1",
            "livepatch-shadow-fix2", "livepatch-callbacks-demo", "livepatch-callbacks-mod",
            "livepatch-callbacks-busymod"} <= set(SAMPLES)
    magic = f"vermagic={get_profile('5.4').vermagic}\0".encode()
    for stem in SAMPLES:
        image = _ko(stem)
        assert magic in image, stem
        if b"livepatch=Y" in image:      # the 5.1+ API only
            assert b"klp_register_patch" not in image and b"klp_enable_patch" in image, stem


@needs_gcc
def test_bundled_5_4_modules_are_up_to_date(tmp_path: Path):
    """The committed .ko files are what their sources build to (with the same gcc)."""
    comment = subprocess.run(["readelf", "-p", ".comment", str(MODULES_5_4 / f"{SAMPLES[0]}.ko")],
                             capture_output=True, text=True).stdout if shutil.which("readelf") else ""
    version = subprocess.run(["gcc", "-dumpfullversion"], capture_output=True, text=True).stdout.strip()
    if comment and version not in comment:
        pytest.skip("bundled modules were built by another gcc")
    stale = [stem for stem in SAMPLES
             if kbuild.build_module(MODULES_5_4 / f"{stem}.c", tmp_path, kernel="5.4").read_bytes()
             != _ko(stem)]
    assert not stale, f"rebuild with: klpsh build --kernel 5.4 modules/5.4/*.c -o modules/5.4 ({stale})"


def _batch(lines: list[str], kernel: str) -> list[str]:
    buf = io.StringIO()
    assert run_batch(lines, "virtual", buf, kernel=kernel) == 0
    return buf.getvalue().splitlines()


def test_samples_path_resolves_per_kernel():
    """samples/livepatch/X is the 4.19 build on 4.19 and the 5.4 build on 5.4: each loads."""
    for kernel in ("4.19", "5.4"):
        out = _batch(["insmod samples/livepatch/livepatch-sample.ko", "sleep 2", "cat /proc/cmdline",
                      "modinfo -F vermagic livepatch_sample"], kernel)
        assert "this has been live patched" in out, (kernel, out)
        assert not any("ERROR" in ln for ln in out), out


def test_modprobe_finds_the_5_4_builds():
    out = _batch(["modprobe livepatch-callbacks-mod", "lsmod"], "5.4")
    assert any(ln.endswith("livepatch_callbacks_mod: livepatch_callbacks_mod_init") for ln in out)
    assert not any("ERROR" in ln for ln in out)


def test_a_cumulative_patch_replaces_the_sample(kernel54):
    k = kernel54
    boot_cmdline = k.fs.read("/proc/cmdline")
    boot_meminfo = k.fs.read("/proc/meminfo")
    k.init_module(_ko("livepatch-sample"), "")
    k.run_for(2_000_000_000)
    assert k.fs.read("/proc/cmdline") == "this has been live patched\n"
    with pytest.raises(KernelError) as e:        # an enabled patch holds its module
        k.delete_module("livepatch_sample")
    assert e.value.errno in (Errno.EAGAIN, Errno.EBUSY)
    k.init_module(_ko("livepatch-replace"), "")
    # during the transition the nop for cmdline_proc_show is part of the new patch
    assert k.fs.listdir(f"{LP}/livepatch_replace/vmlinux") == ["cmdline_proc_show,1",
                                                               "meminfo_proc_show,1"]
    k.run_for(2_000_000_000)
    assert k.fs.listdir(LP) == ["livepatch_replace"]
    assert k.fs.listdir(f"{LP}/livepatch_replace/vmlinux") == ["meminfo_proc_show,1"]
    assert k.fs.read("/proc/cmdline") == boot_cmdline            # reverted by the nop
    assert k.fs.read("/proc/meminfo") == "this has been live patched, cumulatively\n"
    assert k.modules["livepatch_sample"].refcnt == 0
    k.delete_module("livepatch_sample")                          # replaced: removable
    assert k.modules["livepatch_replace"].refcnt == 1
    k.fs.write(f"{LP}/livepatch_replace/enabled", "0\n")
    k.run_for(2_000_000_000)
    assert k.lines[-1] == "livepatch: 'livepatch_replace': unpatching complete"
    assert k.fs.listdir(LP) == []
    k.delete_module("livepatch_replace")
    assert k.fs.read("/proc/meminfo") == boot_meminfo


def test_shadow_samples_stack_and_clean_up(kernel54):
    k = kernel54
    k.init_module(_ko("livepatch-shadow-mod"), "")
    k.run_for(4_000_000_000)
    k.init_module(_ko("livepatch-shadow-fix1"), "")
    k.run_for(6_000_000_000)
    k.init_module(_ko("livepatch-shadow-fix2"), "")
    k.run_for(6_000_000_000)
    assert any("livepatch_fix2_dummy_free: dummy @" in ln and "check counter" in ln for ln in k.lines)
    assert any("livepatch_fix2_dummy_free: dummy @" in ln and "leaked!" in ln for ln in k.lines)
    # 5.4 has no stacking rule: the lower patch may go first
    k.fs.write(f"{LP}/livepatch_shadow_fix1/enabled", "0\n")
    k.run_for(2_000_000_000)
    assert k.fs.listdir(LP) == ["livepatch_shadow_fix2"]
    k.fs.write(f"{LP}/livepatch_shadow_fix2/enabled", "0\n")
    k.run_for(2_000_000_000)
    k.delete_module("livepatch_shadow_fix2")
    n = len(k.lines)
    k.delete_module("livepatch_shadow_fix1")
    assert all("livepatch_fix1_dummy_leak_dtor" in ln for ln in k.lines[n:])
    k.delete_module("livepatch_shadow_mod")
    assert k.modules == {}


@pytest.fixture
def kernel54(elf_cache):
    from kernel.machine import Kernel
    k = Kernel.boot(clock_mode="virtual", elf_cache=elf_cache, kernel="5.4")
    k.lines = []
    k.printk.consoles.append(lambda r: k.lines.append(r.text))
    yield k
    k.shutdown()
