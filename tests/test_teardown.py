"""A machine that is shut down is freed by reference counting alone (kernel/teardown.py): no
reference cycle is left for the cycle collector, so replaying many transcripts in one process
stays flat even with gc.disable()."""

from __future__ import annotations

import gc
import io
import weakref

import pytest

from conftest import ROOT, needs_kernel
from kernel.machine import Kernel
from klpsh import transcript
from klpsh.shell import Shell

pytestmark = needs_kernel


def _garbage_of(fn) -> int:
    """Objects in reference cycles that FN leaves behind (found by one collection)."""
    fn()                                    # warm: caches and first-use objects
    gc.collect()
    gc.disable()
    try:
        fn()
        return gc.collect()
    finally:
        gc.enable()


@pytest.mark.parametrize("args", [
    ["transcripts/callbacks-test-8.txt"],
    ["transcripts/callbacks-test-9.txt"],
    ["--kernel", "5.4", "transcripts/5.4/atomic-replace.txt"],
    ["--kernel", "5.4", "transcripts/5.4/fake-signals.txt"],
], ids=["4.19-test-8", "4.19-test-9", "5.4-atomic-replace", "5.4-fake-signals"])
def test_a_replayed_machine_leaves_no_cycles(args):
    paths = [a if a.startswith("-") else str(ROOT / a) for a in args]
    assert _garbage_of(lambda: transcript.replay(paths, io.StringIO())) == 0


def test_a_shut_down_machine_goes_with_its_last_reference(elf_cache):
    gc.disable()
    try:
        k = Kernel.boot(clock_mode="virtual", elf_cache=elf_cache)
        sh = Shell(k, lambda line: None)
        for line in ("insmod samples/livepatch/livepatch-callbacks-busymod.ko sleep_secs=30",
                     "insmod samples/livepatch/livepatch-callbacks-demo.ko", "sleep 2",
                     "cat /sys/kernel/livepatch/livepatch_callbacks_demo/enabled",
                     "echo 0 > /sys/kernel/livepatch/livepatch_callbacks_demo/enabled", "sleep 2",
                     "rmmod livepatch_callbacks_demo", "insmod /no/such.ko"):
            sh.run_line(line)
        ref = weakref.ref(k)
        k.shutdown()
        assert k.sched.tasks and k.printk is not None     # still readable after power-off
        del k, sh
        assert ref() is None
    finally:
        gc.enable()


def test_a_machine_whose_shell_wrote_files_goes_with_its_last_reference(elf_cache):
    """tmpfs files hold the machine (RegFile.kernel): each file tree node lets go at power-off."""
    gc.disable()
    try:
        k = Kernel.boot(clock_mode="virtual", elf_cache=elf_cache)
        sh = Shell(k, lambda line: None)
        for line in ("echo hi > /tmp/x", "mkdir /tmp/d", "echo a > /tmp/d/y", "cat /tmp/x"):
            sh.run_line(line)
        node = k.vfs.lookup("/tmp/x")
        ref = weakref.ref(k)
        k.shutdown()
        assert bytes(node.data) == b"hi\n"                  # its bytes stay readable
        del k, sh
        assert ref() is None
    finally:
        gc.enable()


def test_a_machine_on_the_wall_clock_goes_with_its_last_reference(elf_cache):
    """clock_mode="real": the pacer's stop() asks the machine (Kernel.interrupted)."""
    gc.disable()
    try:
        k = Kernel.boot(clock_mode="real", elf_cache=elf_cache)
        Shell(k, lambda line: None).run_line("sleep 0.01")
        ref = weakref.ref(k)
        k.shutdown()
        del k
        assert ref() is None
    finally:
        gc.enable()
