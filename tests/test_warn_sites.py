"""The kernel's own WARN*() sites print 4.19's splat: the 'WARNING: CPU: N PID: P at FILE:LINE
FUNC+0xOFF/0xSIZE' line of the 4.19 source's WARN, registers and trace, the end-trace line."""

import re

import pytest

from kernel.errno import KernelError
from kernel.livepatch import core, transition as tr
from conftest import ROOT, S, ko, needs_gcc

CUT = "------------[ cut here ]------------"


def _splats(lines: list[str]) -> list[list[str]]:
    """Each WARN report: from its cut-here line to its end-trace line."""
    out = []
    for i, ln in enumerate(lines):
        if ln == CUT:
            end = next(j for j in range(i, len(lines)) if lines[j].startswith("---[ end trace "))
            out.append(lines[i:end + 1])
    return out


def test_warn_on_splat_has_the_419_layout(kernel):
    kernel.init_module(ko("livepatch-sample"), "")
    kernel.run_for(2 * S)
    patch = kernel.livepatch.patches[0]
    assert patch.enabled and kernel.livepatch.transition_patch is None
    del kernel.lines[:]
    # __klp_enable_patch()'s WARN_ON(patch->enabled): no message line, then 4.19's WARNING line
    with pytest.raises(KernelError):
        kernel.syscall("klp_test", lambda: core._klp_enable_patch(kernel.livepatch, patch))
    [splat] = _splats(kernel.lines)
    assert re.fullmatch(r"WARNING: CPU: 0 PID: \d+ at kernel/livepatch/core\.c:358 "
                        r"__klp_enable_patch\+0x[0-9a-f]+/0x[0-9a-f]+", splat[1]), splat[:3]
    assert splat[2].startswith("Modules linked in: livepatch_sample(K)")
    assert any(re.match(r"CPU: 0 PID: \d+ Comm: klp_test Tainted: G +K ", ln) for ln in splat)
    assert "Call Trace:" in splat
    assert re.fullmatch(r"---\[ end trace [0-9a-f]{16} \]---", splat[-1])
    assert "W" in kernel.tainted_string()


def test_warn_on_once_reports_once_per_machine(kernel):
    # klp_try_complete_transition()'s WARN_ON_ONCE(klp_target_state == KLP_UNDEFINED)
    for _ in range(2):
        kernel.syscall("klp_test", lambda: tr.klp_try_complete_transition(kernel.livepatch))
    splats = _splats(kernel.lines)
    assert len(splats) == 1
    assert re.fullmatch(r"WARNING: CPU: 0 PID: \d+ at kernel/livepatch/transition\.c:364 "
                        r"klp_try_complete_transition\+0x[0-9a-f]+/0x[0-9a-f]+", splats[0][1])


MISUSE = r"""
#include <linux/module.h>
#include <linux/idr.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/slab.h>
MODULE_LICENSE("GPL");
static DEFINE_IDA(ids);
static const struct file_operations fops = { .owner = THIS_MODULE };
static struct miscdevice dev = { .minor = MISC_DYNAMIC_MINOR, .name = "warn_misuse", .fops = &fops };
static int __init misuse_init(void)
{
	void *p = kmalloc(32, GFP_KERNEL);
	ida_free(&ids, 5);
	if (misc_register(&dev))
		return -ENODEV;
	misc_deregister(&dev);
	misc_deregister(&dev);
	kfree(p);
	kfree(p);
	return 0;
}
static void __exit misuse_exit(void) { }
module_init(misuse_init);
module_exit(misuse_exit);
"""


@needs_gcc
def test_api_misuse_warns_where_419_does(kernel, build):
    kernel.init_module(build("warn_misuse", MISUSE), "")
    ida, misc = _splats(kernel.lines)
    # ida_remove()'s WARN(1, fmt): the message first, the call trace from ida_free
    assert ida[1] == "ida_free called for id=5 which is not allocated."
    assert re.fullmatch(r"WARNING: CPU: 0 PID: \d+ at lib/idr\.c:487 ida_remove\+0x[0-9a-f]+/0x[0-9a-f]+",
                        ida[2])
    trace = ida.index("Call Trace:")
    assert ida[trace + 1].startswith(" ida_free+0x")
    assert ida[trace + 2].startswith(" misuse_init+0x") and ida[trace + 2].endswith(" [warn_misuse]")
    # misc_deregister()'s WARN_ON(list_empty(&misc->list)): no message line
    assert re.fullmatch(r"WARNING: CPU: 0 PID: \d+ at drivers/char/misc\.c:242 "
                        r"misc_deregister\+0x[0-9a-f]+/0x[0-9a-f]+", misc[1])
    assert any(ln.startswith("RIP: 0010:misc_deregister+0x") for ln in misc)
    # SLUB has no such check: klpsh says so in its own name, no kernel WARNING
    [note] = [ln for ln in kernel.lines if "kfree of unknown" in ln]
    assert note.startswith("klpsh: kfree of unknown or already freed object ") and "4.19 does not check" in note
    assert sum(ln.startswith("WARNING:") for ln in kernel.lines) == 2


EMPTY_GROUP = r"""
#include <linux/module.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>
MODULE_LICENSE("GPL");
static struct attribute_group empty = { .name = "empty" };
static int __init eg_init(void) { return sysfs_create_group(kernel_kobj, &empty) == -EINVAL ? 0 : -EIO; }
module_init(eg_init);
"""


@needs_gcc
def test_a_warn_call_trace_starts_at_the_caller_of_its_function(kernel, build):
    """internal_create_group()'s WARN: RIP in it; the trace from sysfs_create_group, once."""
    kernel.init_module(build("empty_group", EMPTY_GROUP), "")
    [splat] = _splats(kernel.lines)
    assert splat[1] == "sysfs: (bin_)attrs not set by subsystem for group: kernel/empty"
    assert re.fullmatch(r"WARNING: CPU: 0 PID: \d+ at fs/sysfs/group\.c:121 internal_create_group\+.*",
                        splat[2])
    trace = splat[splat.index("Call Trace:") + 1:]
    assert trace[0].startswith(" sysfs_create_group+0x")
    assert trace[1].startswith(" eg_init+0x") and trace[1].endswith(" [empty_group]")


@pytest.mark.parametrize("name, line", [("4.19", 364), ("5.4", 395)])
def test_warn_site_names_the_line_of_the_booted_kernel(elf_cache, name, line):
    # klp_try_complete_transition()'s WARN_ON_ONCE: transition.c:364 in 4.19.0, :395 in 5.4.214
    from kernel.machine import Kernel
    k = Kernel.boot(clock_mode="virtual", elf_cache=elf_cache, kernel=name)
    lines: list[str] = []
    k.printk.consoles.append(lambda r: lines.append(r.text))
    try:
        k.syscall("klp_test", lambda: tr.klp_try_complete_transition(k.livepatch))
    finally:
        k.shutdown()
    [splat] = _splats(lines)
    assert re.fullmatch(rf"WARNING: CPU: 0 PID: \d+ at kernel/livepatch/transition\.c:{line} "
                        r"klp_try_complete_transition\+0x[0-9a-f]+/0x[0-9a-f]+", splat[1])


def test_warn_moves_name_existing_sites_and_renames_print_the_new_function():
    import importlib
    import pkgutil
    import kernel
    from kernel import bug, profile
    # every WarnSite is a module-level name (a NamedTuple of atoms: the gc need not track it)
    sites = {(v.file, v.line)
             for m in pkgutil.walk_packages(kernel.__path__, "kernel.") if m.name.split(".")[-1] != "__main__"
             for v in vars(importlib.import_module(m.name)).values() if isinstance(v, bug.WarnSite)}
    # and the vmlinux C sources' WARN_ON_AT(line, ...) and kin under their KLPSH_SOURCE
    for src in (ROOT / "kernel" / "vmlinux").rglob("*.c"):
        text = src.read_text()
        named = re.search(r'^#define KLPSH_SOURCE "([^"]+)"', text, re.M)
        found = re.findall(r"\b(?:WARN_ON_ONCE|WARN_ON|WARN|BUG_ON|BUG)_AT\((\d+)", text)
        assert named or not found, src
        sites |= {(named.group(1), int(n)) for n in found} if named else set()
    assert set(profile.WARN_MOVES_5_4) <= sites
    p = profile.get_profile("5.4")
    assert p.warn_place("lib/idr.c", 487, "ida_remove") == (523, "ida_free")
    assert profile.get_profile("4.19").warn_place("lib/idr.c", 487, "ida_remove") == (487, "ida_remove")
