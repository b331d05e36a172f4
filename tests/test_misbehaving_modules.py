"""Modules that go wrong (tests/modules/misbehave.c) and modules that depend on each other:
what insmod/rmmod report, what dmesg shows, and that the machine keeps running."""

from __future__ import annotations

import re

import pytest

from conftest import S, needs_gcc, needs_kernel
from kernel.errno import Errno, KernelError
from kernel.sched import TaskKilled
from klpsh.shell import Shell

pytestmark = [needs_kernel, needs_gcc]


@pytest.fixture
def shell(kernel, tmp_path, test_module):
    for name in ("misbehave", "export_a", "export_b"):
        (tmp_path / f"{name}.ko").write_bytes(test_module(name))
    out: list[str] = []
    sh = Shell(kernel, out.append, cwd=tmp_path)
    sh.output = out
    yield sh
    sh.kernel.shutdown()            # the machine `reboot` booted, if any


def run(sh, line):
    """What LINE printed, kernel lines without their timestamps (the cost model's business)."""
    n = len(sh.output)
    sh.run_line(line)
    return [re.sub(r"^\[ *\d+\.\d{6}\] ", "", ln) for ln in sh.output[n + 1:]]


def test_exported_symbols_make_a_dependency(shell):
    assert run(shell, "insmod export_b.ko") == [
        "export_b: Unknown symbol export_a_add (err -2)",
        "export_b: Unknown symbol export_a_counter (err -2)",
        "insmod: ERROR: could not insert module export_b.ko: Unknown symbol in module"]
    run(shell, "insmod export_a.ko")
    assert run(shell, "insmod export_b.ko") == ["export_b: 42 40"]
    assert run(shell, "rmmod export_a") == ["rmmod: ERROR: Module export_a is in use by: export_b"]
    assert "export_a               12288  1 export_b" in run(shell, "lsmod")
    run(shell, "rmmod export_b")
    assert run(shell, "rmmod export_a") == ["export_a: unloaded"]


@pytest.mark.parametrize("what, reason", [("einval", "Invalid parameters"),
                                          ("enomem", "Cannot allocate memory")])
def test_init_errors(shell, what, reason):
    assert run(shell, f"insmod misbehave.ko init_do={what}")[-1] == \
        f"insmod: ERROR: could not insert module misbehave.ko: {reason}"
    assert "misbehave" not in shell.kernel.modules


def test_init_positive_return_warns_and_loads(shell):
    out = run(shell, "insmod misbehave.ko init_do=positive")
    assert "do_init_module: 'misbehave'->init suspiciously returned 3, it should follow 0/-E convention" in out
    assert "do_init_module: loading module anyway..." in out
    assert shell.kernel.modules["misbehave"].state.name == "LIVE"


@pytest.mark.parametrize("what, signal, first", [
    ("bug", "Segmentation fault", "kernel BUG at tests/modules/misbehave.c:"),
    ("bug_on", "Segmentation fault", "kernel BUG at tests/modules/misbehave.c:"),
    ("null", "Killed", "BUG: unable to handle kernel NULL pointer dereference at 0000000000000000"),
    ("write_null", "Killed", "BUG: unable to handle kernel NULL pointer dereference at 0000000000000000"),
    ("loop", "Killed", "watchdog: BUG: soft lockup - CPU#0 stuck for 22s!"),
])
def test_init_that_dies_kills_insmod_and_keeps_the_machine(shell, what, signal, first):
    out = run(shell, f"insmod misbehave.ko init_do={what}")
    assert out[-1] == signal
    assert any(first in line for line in out)
    if what == "loop":          # a soft lockup taints L (after its report), an Oops D
        assert any(l.endswith(" Not tainted 4.19.0-klpsh #1") for l in out)
        assert "L" in shell.kernel.taints and "D" not in shell.kernel.taints
    else:
        assert "D" in shell.kernel.taints
    assert any(line.endswith("RIP: 0010:" + line.split("RIP: 0010:")[-1]) and "[misbehave]" in line
               for line in out if "RIP:" in line)
    assert shell.kernel.modules["misbehave"].state.name == "COMING"     # stuck, as in Linux
    assert run(shell, "rmmod misbehave") == ["rmmod: ERROR: Module misbehave is in use"]
    run(shell, "insmod export_a.ko")                                    # the machine goes on
    assert "export_a" in shell.kernel.modules


def test_warn_in_init_and_exit(shell):
    out = run(shell, "insmod misbehave.ko init_do=warn_fmt exit_do=warn")
    i = out.index("misbehave warn_fmt in init")
    assert out[i - 1].endswith("------------[ cut here ]------------")
    assert "WARNING: CPU: 0 PID: " in out[i + 1] and "tests/modules/misbehave.c:" in out[i + 1]
    out = run(shell, "rmmod misbehave")
    assert out[-1] == "misbehave: exit: done"
    assert "misbehave" not in shell.kernel.modules


def test_oops_in_exit_leaves_module_going(shell):
    run(shell, "insmod misbehave.ko exit_do=bug")
    out = run(shell, "rmmod misbehave")
    assert out[-1] == "Segmentation fault"
    assert shell.kernel.modules["misbehave"].state.name == "GOING"
    assert any("Unloading" in line for line in run(shell, "cat /proc/modules"))


def test_oops_in_work_kills_the_worker_and_in_a_timer_panics(shell):
    """A work item runs in a kworker (process context): its Oops kills the worker. A timer
    callback runs in softirq context: oops_end() panics (Fatal exception in interrupt)."""
    run(shell, "insmod misbehave.ko work_do=null")
    out = run(shell, "sleep 1")
    oopses = [l for l in shell.output if "Oops: 0000" in l]
    assert len(oopses) == 2
    first = shell.output.index(oopses[0])
    assert "Comm: kworker/" in next(l for l in shell.output[first:] if "Comm: " in l)
    second = shell.output.index(oopses[1])
    assert "Comm: ksoftirqd/0" in next(l for l in shell.output[second:] if "Comm: " in l)
    assert not any("work: survived" in l for l in shell.output)
    assert out[-4] == "Kernel panic - not syncing: Fatal exception in interrupt"
    assert out[-3] == "Kernel Offset: disabled"
    assert out[-2] == "---[ end Kernel panic - not syncing: Fatal exception in interrupt ]---"
    assert out[-1].startswith("klpsh: the machine has panicked")
    assert run(shell, "rmmod misbehave") == [out[-1]]
    # reboot: a new machine, whose pool runs work
    assert run(shell, "reboot") == []
    run(shell, "insmod misbehave.ko work_do=warn")
    run(shell, "sleep 1")
    assert any("work: survived" in l for l in shell.output)


def test_bad_pointer_to_kernel_function_oopses_inside_it(kernel, build):
    image = build("badptr", """
#include <linux/module.h>
#include <linux/slab.h>
static int __init badptr_init(void) { return kstrdup((char *)8, GFP_KERNEL) ? 0 : -ENOMEM; }
module_init(badptr_init);
MODULE_LICENSE("GPL");
""")
    with pytest.raises(TaskKilled):
        kernel.init_module(image, "")
    assert "BUG: unable to handle kernel NULL pointer dereference at 0000000000000008" in kernel.lines
    assert "RIP: 0010:kstrdup+0x0/0x10" in kernel.lines
    assert any(l.startswith(" badptr_init+0x") and l.endswith("[badptr]") for l in kernel.lines)


def test_bad_string_pointer_oopses_in_printk(kernel, build):
    """4.19's string() reads what it is given: only the first page prints "(null)"."""
    image = build("badstr", """
#include <linux/module.h>
static int __init badstr_init(void)
{
	pr_info("low %s\\n", (char *)4000);
	pr_info("bad %s\\n", (char *)0x50000);
	return 0;
}
module_init(badstr_init);
MODULE_LICENSE("GPL");
""")
    with pytest.raises(TaskKilled):
        kernel.init_module(image, "")
    assert "low (null)" in kernel.lines
    assert "BUG: unable to handle kernel paging request at 0000000000050000" in kernel.lines
    assert not any(l.startswith("bad ") for l in kernel.lines)


def _with_rela_offset(image: bytes, secname: str, offset: int) -> bytes:
    """IMAGE with the first entry of relocation section SECNAME pointing at OFFSET."""
    from elftools.elf.elffile import ELFFile
    import io
    elf = ELFFile(io.BytesIO(image))
    sec = elf.get_section_by_name(secname)
    d = bytearray(image)
    d[sec["sh_offset"]:sec["sh_offset"] + 8] = offset.to_bytes(8, "little")
    return bytes(d)


@pytest.mark.parametrize("offset", [0x10000, 1 << 63, (1 << 64) - 4])
def test_relocation_outside_its_section_is_refused(kernel, offset):
    from conftest import ko
    kernel.init_module(ko("livepatch-callbacks-mod"), "")      # a neighbour that must survive
    image = _with_rela_offset(ko("livepatch-klp-reloc"), ".rela.text", offset)
    heap = bytes(kernel.mem.read(kernel.modules["livepatch_callbacks_mod"].base, 4096))
    with pytest.raises(KernelError) as e:
        kernel.init_module(image, "")
    assert e.value.errno == Errno.ENOEXEC                       # "Invalid module format"
    assert kernel.lines[-1].startswith(f"livepatch_klp_reloc: relocation at offset {offset:#x} "
                                       "is outside section .text (")
    assert kernel.mem.read(kernel.modules["livepatch_callbacks_mod"].base, 4096) == heap
    assert "livepatch_klp_reloc" not in kernel.modules


def test_livepatch_relocation_outside_its_section_is_refused(kernel):
    from conftest import ko
    image = _with_rela_offset(ko("livepatch-klp-reloc"), ".klp.rela.vmlinux.text", 1 << 40)
    kernel.init_module(ko("livepatch-callbacks-mod"), "")
    with pytest.raises(KernelError) as e:
        kernel.init_module(image, "")
    assert e.value.errno == Errno.ENOEXEC
    assert any(l.startswith("livepatch_klp_reloc: relocation at offset 0x10000000000 is outside "
                            "section .text") for l in kernel.lines)
    assert "livepatch_klp_reloc" not in kernel.modules
    kernel.init_module(ko("livepatch-klp-reloc"), "")            # the real one still loads


def _block(lines, first):
    """The lines of one report, from FIRST to its end-of-trace marker's executive summary."""
    i = next(n for n, l in enumerate(lines) if l.startswith(first))
    j = next(n for n in range(i, len(lines)) if lines[n].startswith("---[ end trace "))
    return lines[i:j + 14]


def test_oops_has_the_4_19_x86_64_layout(shell):
    import re
    run(shell, "insmod misbehave.ko work_do=null")
    run(shell, "sleep 1")
    k = shell.kernel
    lines = [l.split("] ", 1)[1] for l in shell.output if l.startswith("[")]
    oops = _block(lines, "BUG: unable to handle kernel NULL pointer dereference")
    shape = [re.sub(r"[0-9a-f]{8,16}", "X", l.split(":")[0] if ":" in l else l) for l in oops]
    assert shape[:22] == [
        "BUG", "PGD 0 P4D 0 ", "Oops", "CPU", "Hardware name", "Workqueue", "RIP", "Code", "RSP",
        "RAX", "RDX", "RBP", "R10", "R13", "FS", "CS", "CR2", "Call Trace", " work_fn+0x1c/0x2c [misbehave]",
        " process_one_work+0x8/0x10", " worker_thread+0x8/0x10", " kthread+0x8/0x10"]
    assert oops[3].startswith("CPU: 0 PID: ") and " Comm: kworker/0:" in oops[3] and "Not tainted" in oops[3]
    assert oops[5] == "Workqueue: events work_fn [misbehave]"
    assert oops[16].startswith("CR2: 0000000000000000 CR3: ")
    # Code: 42 bytes before RIP, <the byte at RIP>, 21 after: the module's own instructions
    rip = k.kallsyms.find("misbehave", "misbehave").addr + int(oops[6].split("+")[1].split("/")[0], 16)
    code = k.mem.read(rip - 42, 64)
    assert oops[7] == ("Code: " + " ".join(f"{b:02x}" for b in code[:42]) + f" <{code[42]:02x}> "
                       + " ".join(f"{b:02x}" for b in code[43:]))
    i = oops.index("Modules linked in: misbehave")
    assert oops[i + 1:i + 3] == ["CR2: 0000000000000000", f"---[ end trace {oops[i + 2][15:31]} ]---"]
    assert oops[i + 3] == oops[6] and oops[i + 4] == oops[7]      # the executive summary
    # the second Oops (the timer) has its own registers, the same trace id, and the first
    # Oops's registers in its summary
    second = _block(lines[lines.index(oops[-1]) + 1:], "BUG: unable to handle kernel")
    assert second[2] == "Oops: 0000 [#2] SMP NOPTI" and "Tainted: G      D" in second[3]
    j = second.index("Modules linked in: misbehave")
    assert second[j + 2] == oops[i + 2]
    assert second[j + 3:j + 5] == oops[i + 3:i + 5]


def test_warn_shows_registers_and_the_callers(kernel, test_module):
    kernel.init_module(test_module("shadow_vars"), "")
    i = kernel.lines.index(next(l for l in kernel.lines if l.startswith("Duplicate shadow variable <")))
    block = kernel.lines[i + 1:]
    assert block[0].endswith("at kernel/livepatch/shadow.c:177 __klp_shadow_get_or_alloc+0x8/0x10")
    assert block[1].startswith("Modules linked in: shadow_vars")
    assert [l.split(":")[0] for l in block[2:16]] == [
        "CPU", "Hardware name", "RIP", "Code", "RSP", "RAX", "RDX", "RBP", "R10", "R13", "FS", "CS",
        "CR2", "Call Trace"]
    trace = block[16:block.index(next(l for l in block if l.startswith("---[ end trace")))]
    assert [l.split("+")[0].strip() for l in trace[:3]] == [
        "klp_shadow_alloc", "shadow_vars_init", "do_one_initcall"]


def test_warn_in_a_work_item_and_a_soft_lockup(shell):
    run(shell, "insmod misbehave.ko work_do=warn")
    lines = [l.split("] ", 1)[1] for l in shell.output if l.startswith("[")]
    i = lines.index("Call Trace:")
    assert lines[i + 1:i + 6] == [" work_fn+0x1c/0x2c [misbehave]", " process_one_work+0x8/0x10",
                                  " worker_thread+0x8/0x10", " kthread+0x8/0x10", " ret_from_fork+0x8/0x10"]
    assert "Workqueue: events work_fn [misbehave]" in lines


def test_oops_in_a_nested_call_shows_the_frames_below_it(kernel, build):
    """A constructor that faults, called by kmem_cache_alloc() from a work item: the trace
    goes on below the nested call, through the kernel entry, to the work function."""
    image = build("nestfault", """
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
static struct kmem_cache *c;
static struct work_struct w;
static int *p;
static void ctor(void *o) { *p = 1; }
static void fn(struct work_struct *x) { pr_info("got %d\\n", kmem_cache_alloc(c, GFP_KERNEL) != NULL); }
static int __init nest_init(void)
{
	c = kmem_cache_create("nest", 64, 0, 0, ctor);
	INIT_WORK(&w, fn);
	schedule_work(&w);
	return 0;
}
module_init(nest_init);
MODULE_LICENSE("GPL");
""")
    kernel.init_module(image, "")
    kernel.run_for(S // 10)
    i = kernel.lines.index("Call Trace:")
    assert [l.split("+")[0].strip() for l in kernel.lines[i + 1:i + 8]] == [
        "allocate_slab", "kmem_cache_alloc", "fn", "process_one_work", "worker_thread", "kthread",
        "ret_from_fork"]
    assert kernel.lines.count("Call Trace:") == 1          # the ctor ran once: its slab is gone
    assert kernel.lines[-1] == "got 0"
