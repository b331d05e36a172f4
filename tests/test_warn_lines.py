"""Each kernel's WARN splat names its own source: the FILE:LINE FUNC of the WARN in 4.19.0 on
--kernel 4.19 and in 5.4.214 on --kernel 5.4 (kernel/profile.py WARN_MOVES_5_4), read in those
trees; 5.4's flags_string() has no WARN for a bad %pG letter, it prints "(%pG?)"."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, needs_gcc, needs_kernel
from kernel import kbuild
from kernel.machine import Kernel
from shell_session import module_shell, run

pytestmark = needs_kernel
MASK = (1 << 64) - 1
CUT = "------------[ cut here ]------------"
KERNELS = ("4.19", "5.4")


@pytest.fixture(params=KERNELS)
def k(request, elf_cache):
    machine = Kernel.boot(clock_mode="virtual", elf_cache=elf_cache, kernel=request.param)
    machine.lines = []
    machine.printk.consoles.append(lambda r: machine.lines.append(r.text))
    yield machine
    machine.shutdown()


def call(k: Kernel, name: str, *args: int) -> int:
    """NAME(ARGS) from a user task, as module code calls it."""
    stub = k.cpu.stub_by_name[name]
    return k.syscall("warn", lambda: k.cpu.call(k.current, stub.addr, args, via="do_syscall_64"))


def cstr(k: Kernel, s: str) -> int:
    a = k.heap.alloc(len(s) + 1)
    k.mem.put_cstr(a, s)
    return a


def warning_lines(lines: list[str]) -> list[str]:
    """The 'at FILE:LINE FUNC' of each splat's WARNING line."""
    out = []
    for ln in lines:
        m = re.fullmatch(r"WARNING: CPU: \d PID: \d+ at (\S+:\d+ \w+)\+0x[0-9a-f]+/0x[0-9a-f]+", ln)
        if m:
            out.append(m.group(1))
    return out


# (what the guest calls, then the WARN's place in 4.19.0 and in 5.4.214)
CASES = {
    "format_decode": (lambda k: call(k, "printk", cstr(k, "%n\n"), 0),
                      "lib/vsprintf.c:2149 format_decode", "lib/vsprintf.c:2401 format_decode"),
    "set_field_width": (lambda k: call(k, "printk", cstr(k, "%*d\n"), 1 << 30, 1),
                        "lib/vsprintf.c:2181 set_field_width",
                        "lib/vsprintf.c:2433 set_field_width"),
    "set_precision": (lambda k: call(k, "printk", cstr(k, "%.*d\n"), 1 << 20, 1),
                      "lib/vsprintf.c:2190 set_precision", "lib/vsprintf.c:2442 set_precision"),
    "kmalloc_order": (lambda k: call(k, "__kmalloc", 1 << 40, 0xCC0),
                      "mm/page_alloc.c:4065 __alloc_pages_nodemask",
                      "mm/page_alloc.c:4757 __alloc_pages_nodemask"),
    "free_irq": (lambda k: call(k, "free_irq", 10, 0x1234),
                 "kernel/irq/manage.c:1593 __free_irq", "kernel/irq/manage.c:1760 __free_irq"),
    "irq_wake": (lambda k: call(k, "irq_set_irq_wake", 10, 0),
                 "kernel/irq/manage.c:657 irq_set_irq_wake",
                 "kernel/irq/manage.c:754 irq_set_irq_wake"),
    "kobject_get": (lambda k: call(k, "kobject_get", _zeroed(k, 64)),
                    "lib/kobject.c:610 kobject_get", "lib/kobject.c:652 kobject_get"),
    "proc_xlate": (lambda k: call(k, "proc_mkdir", cstr(k, "nowhere/sub"), 0),
                   "fs/proc/generic.c:175 __xlate_proc_name",
                   "fs/proc/generic.c:180 __xlate_proc_name"),
    "proc_dotdot": (lambda k: call(k, "proc_mkdir", cstr(k, ".."), 0),
                    "fs/proc/generic.c:396 __proc_create", "fs/proc/generic.c:412 __proc_create"),
    "remove_proc_entry": (lambda k: call(k, "remove_proc_entry", cstr(k, "nothing"), 0),
                          "fs/proc/generic.c:670 remove_proc_entry",
                          "fs/proc/generic.c:699 remove_proc_entry"),
}


def _zeroed(k: Kernel, n: int) -> int:
    a = k.heap.alloc(n)
    k.mem.zero(a, n)
    return a


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_warn_names_the_line_of_the_booted_kernels_source(k, case):
    trigger, at_419, at_54 = CASES[case]
    trigger(k)
    assert warning_lines(k.lines) == [at_54 if k.profile.name == "5.4" else at_419], k.lines


def test_an_unknown_pg_letter_warns_on_4_19_and_is_an_error_string_on_5_4(k):
    flags = _zeroed(k, 8)
    call(k, "printk", cstr(k, "<%pGx|%-8pGq>\n"), flags, flags)
    if k.profile.name == "5.4":                 # flags_string(): error_string(.., "(%pG?)", spec)
        assert k.lines == ["<(%pG?)|(%pG?)  >"]
    else:                                       # WARN_ONCE and nothing printed for it
        assert k.lines[0] == "<|>"
        assert warning_lines(k.lines) == ["lib/vsprintf.c:1531 flags_string"]
        assert "Unsupported flags modifier: x" in k.lines


def test_device_release_warns_with_each_kernels_text(k):
    """device_release() of a device without release(): 4.19.0's text ends at "must be fixed.",
    5.4's points at Documentation/kobject.txt."""
    from kernel.abi import Device
    dev = _zeroed(k, Device.size)
    call(k, "device_initialize", dev)
    call(k, "dev_set_name", dev, cstr(k, "norelease"))
    call(k, "put_device", dev)
    hint = " See Documentation/kobject.txt." if k.profile.name == "5.4" else ""
    assert ("Device 'norelease' does not have a release() function, it is broken and must be "
            f"fixed.{hint}") in k.lines
    assert warning_lines(k.lines) == ["drivers/base/core.c:1116 device_release" if hint
                                      else "drivers/base/core.c:893 device_release"]


def test_proc_create_without_fops_is_the_bug_on_of_each_kernel(k):
    """proc_create_data()'s BUG_ON(proc_fops == NULL): fs/proc/generic.c:540 in 4.19.0, :565 in
    5.4.214 (the table of WARN sites places it too)."""
    from kernel.errno import KernelError
    with pytest.raises(KernelError):
        call(k, "proc_create", cstr(k, "nofops"), 0o444, 0, 0)
    line = 565 if k.profile.name == "5.4" else 540
    assert f"kernel BUG at fs/proc/generic.c:{line}!" in k.lines


def call_vmlinux(k: Kernel, name: str, *args: int) -> None:
    """NAME(ARGS) of vmlinux's C code from a user task."""
    addr = k.vmlinux.symbol(name)
    k.syscall("warn", lambda: k.cpu.call(k.current, addr, args, via="do_syscall_64"))


def test_the_vmlinux_c_codes_warn_names_the_linux_file_and_line(k):
    """klpsh's kernel/vmlinux/kernel/jump_label.c and kthread_worker.c report at Linux's
    kernel/jump_label.c and kernel/kthread.c, on the lines of the booted kernel."""
    call_vmlinux(k, "static_key_slow_dec", _zeroed(k, 64))       # the count goes below zero
    call_vmlinux(k, "kthread_destroy_worker", _zeroed(k, 256))   # a worker without its task
    assert "jump label: negative count!" in k.lines
    got = [w.rsplit(" ", 1)[0] for w in warning_lines(k.lines)]
    assert got == (["kernel/jump_label.c:235", "kernel/kthread.c:1272"] if k.profile.name == "5.4"
                   else ["kernel/jump_label.c:196", "kernel/kthread.c:1173"])
    assert warning_lines(k.lines)[1].endswith(" kthread_destroy_worker")


def test_the_vmlinux_c_codes_bug_names_the_linux_file_and_line(k):
    """mempool_resize(pool, 0): BUG_ON(new_min_nr <= 0), mm/mempool.c:299 in 4.19.0, :305 in 5.4."""
    from kernel.errno import KernelError
    with pytest.raises(KernelError):
        call_vmlinux(k, "mempool_resize", _zeroed(k, 256), 0)
    line = 305 if k.profile.name == "5.4" else 299
    assert f"kernel BUG at mm/mempool.c:{line}!" in k.lines


@needs_gcc
@pytest.mark.parametrize("name, line", [("4.19", 558), ("5.4", 635)])
def test_an_unbalanced_enable_irq_from_a_module_through_the_shell(elf_cache, tmp_path, name, line):
    """irq_demo built for each kernel: its /proc file's 'e' enables the line once too often."""
    machine = Kernel.boot(clock_mode="virtual", elf_cache=elf_cache, kernel=name)
    try:
        src = ROOT / "tests" / "modules" / "irq_demo.c"
        built = kbuild.build_module(src, tmp_path / "build", kernel=name).read_bytes()
        sh = module_shell(machine, tmp_path, lambda _: built, "irq_demo")
        assert run(sh, "insmod irq_demo.ko") == ["irq_demo: got IRQ 10"]
        lines = run(sh, "echo e > /proc/irq_demo")
        assert lines[:2] == [CUT, "Unbalanced enable for IRQ 10"]
        assert warning_lines(lines) == [f"kernel/irq/manage.c:{line} __enable_irq"]
    finally:
        machine.shutdown()
