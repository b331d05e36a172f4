"""kprobes and kretprobes (kernel/kprobes.py) through the shell: 4.19's sample modules' output,
the ftrace-based probe's regs->ip, nmissed, the -EBUSY of a kprobe beside a livepatch, the
debugfs list, a probed module going away and a probing module that forgets to unregister."""

from __future__ import annotations

import re

import pytest

from conftest import S, TEST_MODULES, needs_gcc, needs_kernel
from kernel import kbuild
from kernel.machine import Kernel
from shell_session import module_shell, run

pytestmark = [needs_kernel, needs_gcc]
MODS = ("kprobe_demo", "kretprobe_demo", "kprobe_target", "lp_cmdline1")
HASH = r"[0-9a-f]{16}"
CMDLINE = "BOOT_IMAGE=/boot/vmlinuz-4.19.0-klpsh root=/dev/vda1 ro quiet"


@pytest.fixture
def sh(kernel, tmp_path, test_module):
    return module_shell(kernel, tmp_path, test_module, *MODS)


def test_entry_probe_pre_and_post_handlers(sh):
    planted = run(sh, "insmod kprobe_demo.ko")
    assert len(planted) == 1 and re.fullmatch(f"Planted kprobe at {HASH}", planted[0])
    addr = planted[0].split()[-1]
    real = sh.kernel.kallsyms.find("cmdline_proc_show").addr
    assert run(sh, "cat /proc/cmdline") == [
        f"<cmdline_proc_show> pre_handler: p->addr = 0x{addr}, ip = {real + 1:x}, flags = 0x246",
        "<cmdline_proc_show> pre_handler: ip - addr = 1, running 1, cs 10",
        f"<cmdline_proc_show> post_handler: p->addr = 0x{addr}, flags = 0x246",
        "<cmdline_proc_show> post_handler: ip - addr = 5",
        CMDLINE]
    run(sh, "cat /proc/cmdline")
    assert run(sh, "cat /sys/module/kprobe_demo/parameters/hits") == ["2"]
    assert run(sh, "cat /sys/module/kprobe_demo/parameters/posts") == ["2"]
    assert run(sh, "cat /sys/kernel/debug/kprobes/list") == [
        f"{real:016x}  k  cmdline_proc_show+0x0    [FTRACE]"]
    assert run(sh, "rmmod kprobe_demo") == [f"kprobe at {addr} unregistered, nmissed 0"]
    assert run(sh, "cat /proc/cmdline") == [CMDLINE]          # no more hits
    assert run(sh, "cat /sys/kernel/debug/kprobes/list") == []
    assert sh.kernel.mem.read(real, 5) == bytes.fromhex("0f1f440000")


def test_registration_errors(sh):
    assert run(sh, "insmod kprobe_demo.ko symbol=no_such_function") == [
        "register_kprobe failed, returned -2",
        "insmod: ERROR: could not insert module kprobe_demo.ko: Unknown symbol in module"]
    assert run(sh, "insmod kprobe_demo.ko offset=2") == [          # inside the fentry NOP
        "register_kprobe failed, returned -84",
        "insmod: ERROR: could not insert module kprobe_demo.ko: Invalid or incomplete multibyte or wide character"]
    assert run(sh, "insmod kprobe_demo.ko symbol=register_kprobe") == [   # the kprobes code
        "register_kprobe failed, returned -22",
        "insmod: ERROR: could not insert module kprobe_demo.ko: Invalid parameters"]
    # 4.19's register_kretprobe(): kprobe_on_func_entry() fails, -EINVAL
    assert run(sh, "insmod kretprobe_demo.ko func=no_such_function") == [
        "register_kretprobe failed, returned -22",
        "insmod: ERROR: could not insert module kretprobe_demo.ko: Invalid parameters"]


def test_int3_probe_inside_a_function(sh):
    """cmdline_proc_show+13 is `xor %eax,%eax` (2 bytes): an int3 probe; +14 is inside it;
    +6 is a RIP-relative load (its copy would need fixing up: not modelled)."""
    k = sh.kernel
    real = k.kallsyms.find("cmdline_proc_show").addr
    from kernel.kprobes import kprobes_of
    insns = kprobes_of(k)._decode(real, k.kallsyms.find("cmdline_proc_show").size)
    assert insns[real + 13] == (2, "xor    %eax,%eax") and "%rip" in insns[real + 6][1]
    assert len(run(sh, "insmod kprobe_demo.ko offset=13")) == 1
    assert k.mem.read(real + 13, 1) == b"\xcc"
    lines = run(sh, "cat /proc/cmdline")
    assert lines[0].endswith(f"ip = {real + 14:x}, flags = 0x246")
    assert lines[1:4] == ["<cmdline_proc_show> pre_handler: ip - addr = 1, running 1, cs 10",
                          lines[2], "<cmdline_proc_show> post_handler: ip - addr = 2"]
    assert lines[-1] == CMDLINE
    assert run(sh, "cat /sys/kernel/debug/kprobes/list") == [f"{real + 13:016x}  k  cmdline_proc_show+0xd    "]
    run(sh, "rmmod kprobe_demo")
    assert k.mem.read(real + 13, 2) == bytes.fromhex("31c0")
    assert run(sh, "cat /proc/cmdline") == [CMDLINE]
    assert run(sh, "insmod kprobe_demo.ko offset=14")[0] == "register_kprobe failed, returned -84"
    assert run(sh, "insmod kprobe_demo.ko offset=6")[0] == "register_kprobe failed, returned -22"


def test_probe_on_a_python_function_and_nmissed(sh):
    """printk is a Python function: the probe sits at its slot; the handler's own printk
    comes while the probe's handler runs (kprobe_running()), so it is missed."""
    lines = run(sh, "insmod kprobe_demo.ko symbol=printk quiet=1 nested=1")
    assert lines[0] == "<printk> pre_handler: nested printk"        # the hit of "Planted ..."
    assert re.fullmatch(f"Planted kprobe at {HASH}", lines[1])
    assert run(sh, "cat /sys/module/kprobe_demo/parameters/hits") == ["1"]
    lines = run(sh, "rmmod kprobe_demo")
    assert re.fullmatch(f"kprobe at {HASH} unregistered, nmissed 1", lines[-1])


def test_kretprobe_on_a_module_function(sh):
    run(sh, "insmod kprobe_target.ko")
    planted = run(sh, "insmod kretprobe_demo.ko")
    assert re.fullmatch(f"Planted return probe at kprobe_target_add: {HASH}", planted[0])
    lines = run(sh, "echo 2 > /sys/module/kprobe_target/parameters/call")
    assert re.fullmatch(r"kprobe_target_add returned 42 and took \d+ ns to execute", lines[0])
    assert lines[1].startswith("kprobe_target_add(2) in current, returning to call_set+0x")
    assert lines[2] == "kprobe_target: kprobe_target_add(2) = 42"   # the caller got its value
    assert run(sh, "cat /sys/module/kretprobe_demo/parameters/hits") == ["1"]
    real = sh.kernel.kallsyms.find("kprobe_target_add").addr
    assert run(sh, "cat /sys/kernel/debug/kprobes/list") == [
        f"{real:016x}  r  kprobe_target_add+0x0  kprobe_target [FTRACE]"]
    # the probed module goes: kill_kprobe() marks the probe gone
    assert run(sh, "rmmod kprobe_target") == []
    assert run(sh, "cat /sys/kernel/debug/kprobes/list") == [f"{real:016x}  r  0x{real:x} [GONE][FTRACE]"]
    assert run(sh, "rmmod kretprobe_demo")[1:] == ["Missed probing 0 instances of kprobe_target_add"]


def test_kretprobe_on_a_python_function(sh):
    """printk's return value reaches the handler; the handler's printks are missed."""
    lines = run(sh, "insmod kretprobe_demo.ko func=printk")
    assert re.fullmatch(f"Planted return probe at printk: {HASH}", lines[0])
    assert re.fullmatch(r"printk returned \d+ and took \d+ ns to execute", lines[1])
    assert lines[2].startswith("printk(") and "returning to kretprobe_init+0x" in lines[2]
    assert run(sh, "rmmod kretprobe_demo")[1:] == ["Missed probing 2 instances of printk"]


def test_kprobe_and_livepatch_on_one_function_refuse_each_other(sh):
    """Both ftrace ops modify regs->ip (FTRACE_OPS_FL_IPMODIFY): 4.19 allows one of them."""
    run(sh, "insmod kprobe_demo.ko")
    lines = run(sh, "insmod lp_cmdline1.ko")
    assert "livepatch: failed to register ftrace handler for function 'cmdline_proc_show' (-16)" in lines
    assert lines[-1] == "insmod: ERROR: could not insert module lp_cmdline1.ko: Device or resource busy"
    assert len(run(sh, "cat /proc/cmdline")) == 5                # the probe still works
    run(sh, "rmmod kprobe_demo")
    run(sh, "insmod lp_cmdline1.ko")
    sh.kernel.run_for(2 * S)
    assert run(sh, "insmod kprobe_demo.ko") == [
        "register_kprobe failed, returned -16",
        "insmod: ERROR: could not insert module kprobe_demo.ko: Device or resource busy"]
    assert run(sh, "cat /proc/cmdline") == ["lp_cmdline1: this has been live patched"]
    # a probe on the new function is a probe on another site
    assert len(run(sh, "insmod kprobe_demo.ko symbol=livepatch_cmdline_proc_show")) == 1
    lines = run(sh, "cat /proc/cmdline")
    assert lines[0].startswith("<livepatch_cmdline_proc_show> pre_handler")
    assert lines[-1] == "lp_cmdline1: this has been live patched"


def test_globally_disarmed(sh):
    assert run(sh, "cat /sys/kernel/debug/kprobes/enabled") == ["1"]
    run(sh, "insmod kprobe_demo.ko")
    assert run(sh, "echo 0 > /sys/kernel/debug/kprobes/enabled") == ["Kprobes globally disabled"]
    assert run(sh, "cat /proc/cmdline") == [CMDLINE]
    assert run(sh, "echo 1 > /sys/kernel/debug/kprobes/enabled") == ["Kprobes globally enabled"]
    assert len(run(sh, "cat /proc/cmdline")) == 5


def test_two_probes_on_one_function_aggregate(sh):
    """A kprobe and a kretprobe at one address: one aggregate probe (kprobe_running() names
    it, not the child), both handlers run, each disables on its own."""
    run(sh, "insmod kprobe_demo.ko")
    run(sh, "insmod kretprobe_demo.ko func=cmdline_proc_show")
    real = sh.kernel.kallsyms.find("cmdline_proc_show").addr
    assert run(sh, "cat /sys/kernel/debug/kprobes/list") == [
        f"{real:016x}  r  cmdline_proc_show+0x0    [FTRACE]",
        f"{real:016x}  k  cmdline_proc_show+0x0    [FTRACE]"]
    lines = run(sh, "cat /proc/cmdline")
    assert lines[1] == "<cmdline_proc_show> pre_handler: ip - addr = 1, running 0, cs 10"
    assert re.fullmatch(r"cmdline_proc_show returned 0 and took \d+ ns to execute", lines[4])
    assert lines[-1] == CMDLINE
    run(sh, "echo 1 > /sys/module/kprobe_demo/parameters/disabled")
    assert run(sh, "cat /sys/kernel/debug/kprobes/list")[1].endswith("[DISABLED][FTRACE]")
    assert len(run(sh, "cat /proc/cmdline")) == 3            # the kretprobe's two lines
    run(sh, "rmmod kretprobe_demo")
    assert run(sh, "cat /proc/cmdline") == [CMDLINE]
    assert sh.kernel.mem.read(real, 5) == bytes.fromhex("0f1f440000")
    assert run(sh, "cat /sys/module/kprobe_demo/parameters/hits") == ["1"]


def test_disable_and_enable(sh):
    run(sh, "insmod kprobe_demo.ko")
    real = sh.kernel.kallsyms.find("cmdline_proc_show").addr
    assert run(sh, "echo 1 > /sys/module/kprobe_demo/parameters/disabled") == ["disable_kprobe: 0"]
    assert run(sh, "cat /sys/kernel/debug/kprobes/list") == [
        f"{real:016x}  k  cmdline_proc_show+0x0    [DISABLED][FTRACE]"]
    assert run(sh, "cat /proc/cmdline") == [CMDLINE]
    assert sh.kernel.mem.read(real, 5) == bytes.fromhex("0f1f440000")    # disarmed
    assert run(sh, "echo 0 > /sys/module/kprobe_demo/parameters/disabled") == ["enable_kprobe: 0"]
    assert len(run(sh, "cat /proc/cmdline")) == 5
    assert run(sh, "cat /sys/module/kprobe_demo/parameters/hits") == ["1"]


def test_fault_in_a_handler_goes_to_the_fault_handler(sh):
    """kprobe_fault_handler(): the fault counts as missed, the probe's fault_handler sees it
    (trap 14), then the Oops kills the task."""
    addr = run(sh, "insmod kprobe_demo.ko crash=1")[0].split()[-1]
    lines = run(sh, "cat /proc/cmdline")
    assert lines[0] == f"fault_handler: p->addr = 0x{addr}, trap #14n"    # the sample's "\\n" typo
    assert lines[1] == "BUG: unable to handle kernel NULL pointer dereference at 0000000000000000"
    assert lines[-1] == "Killed"
    assert run(sh, "rmmod kprobe_demo") == [f"kprobe at {addr} unregistered, nmissed 1"]


def test_probing_module_that_forgets_to_unregister(sh):
    """Its struct kprobe is freed with it: the next hit faults reading it, an Oops that kills
    the task; the machine goes on."""
    run(sh, "insmod kprobe_demo.ko leak=1")
    assert run(sh, "rmmod kprobe_demo") == []
    lines = run(sh, "cat /proc/cmdline")
    assert lines[0].startswith("BUG: unable to handle kernel paging request at ")
    assert lines[-1] == "Killed"
    assert run(sh, "echo still here") == ["still here"]


def test_5_4_kretprobe_unknown_symbol_is_enoent(elf_cache, tmp_path):
    k = Kernel.boot(clock_mode="virtual", elf_cache=elf_cache, kernel="5.4")
    try:
        ko = kbuild.build_module(TEST_MODULES / "kretprobe_demo.c", tmp_path / "out",
                                 kernel="5.4").read_bytes()
        sh = module_shell(k, tmp_path, lambda name: ko, "kretprobe_demo")
        assert run(sh, "insmod kretprobe_demo.ko func=no_such_function") == [
            "register_kretprobe failed, returned -2",
            "insmod: ERROR: could not insert module kretprobe_demo.ko: Unknown symbol in module"]
        assert len(run(sh, "insmod kretprobe_demo.ko func=cmdline_proc_show")) == 1
        lines = run(sh, "cat /proc/cmdline")
        assert re.fullmatch(r"cmdline_proc_show returned 0 and took \d+ ns to execute", lines[0])
        kp = kbuild.build_module(TEST_MODULES / "kprobe_demo.c", tmp_path / "out",
                                 kernel="5.4").read_bytes()
        (tmp_path / "kprobe_demo.ko").write_bytes(kp)
        assert len(run(sh, "insmod kprobe_demo.ko")) == 1          # with the kretprobe: aggregate
        real = k.kallsyms.find("cmdline_proc_show").addr
        lines = run(sh, "cat /proc/cmdline")
        assert lines[0].endswith(f"ip = {real + 1:x}, flags = 0x246")
        assert "<cmdline_proc_show> post_handler: ip - addr = 5" in lines
    finally:
        k.shutdown()
