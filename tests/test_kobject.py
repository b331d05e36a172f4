"""kobjects of a module's own type in a kset, through the shell (tests/modules/kset_demo.c):
4.19's lib/kobject.c reference counting and release, ktype sysfs_ops show/store through the
module's own attribute type, default_attrs, a named group with is_visible, a binary file,
kset membership, uevents accepted, and the shell's wording for refused reads and writes."""

from __future__ import annotations

import re

import pytest

from conftest import needs_gcc, needs_kernel
from shell_session import STAMP, module_shell, run

pytestmark = [needs_kernel, needs_gcc]

S = "/sys/kernel/kset_demo"


@pytest.fixture
def shell(kernel, tmp_path, test_module):
    return module_shell(kernel, tmp_path, test_module, "kset_demo")


def test_kset_of_counters_load_and_unload(shell, kernel):
    heap = kernel.heap.bytes_in_use
    out = run(shell, "insmod kset_demo.ko")
    assert out[:3] == ["kset_demo: one uevent 0", "kset_demo: ten uevent 0",
                       "sysfs: cannot create duplicate filename '/kernel/kset_demo/one'"]
    assert out[-5:] == [
        "kobject_add_internal failed for one with -EEXIST, don't try to register things with "
        "the same name in the same directory.",
        "kset_demo: kobject_init_and_add(one): -17",
        "kset_demo: release one (value 0)",            # the duplicate's last put released it
        "kset_demo: find ten: yes, refs 2",
        "kset_demo: refs of one 2, parent kset_demo"]  # the kset is the parent
    assert run(shell, f"ls {S}") == ["broken", "one", "ten"]
    lines = run(shell, f"ls -l {S}/one")
    assert [ln.split()[0] + " " + ln.split()[-1] for ln in lines[1:]] == [
        "drwxr-xr-x extra", "-r--r--r-- step", "--w------- tick", "-rw-rw-r-- value"]
    assert run(shell, f"ls {S}/one/extra") == ["note"], "is_visible hid 'secret'"
    assert run(shell, f"ls -l {S}/ten/table")[0].startswith("-r--r--r-- 1 root root    16 ")
    assert run(shell, "rmmod kset_demo") == ["kset_demo: release one (value 0)",
                                             "kset_demo: release ten (value 0)"]
    assert not kernel.fs.exists(S)
    assert kernel.heap.bytes_in_use == heap, "every kobject, name and the kset freed"


def test_files_show_and_store_through_the_ktype(shell):
    run(shell, "insmod kset_demo.ko show_secret=1")
    assert run(shell, f"ls {S}/one/extra") == ["note", "secret"]
    assert run(shell, f"cat {S}/one/value") == ["0"]
    assert run(shell, f"cat {S}/ten/step") == ["10"]
    assert run(shell, f"echo 5 > {S}/one/value") == []
    assert run(shell, f"cat {S}/one/value") == ["5"]
    assert run(shell, f"echo x > {S}/one/value") == ["bash: echo: write error: Invalid argument"]
    assert run(shell, f"echo 5 > {S}/one/step") == [f"bash: {S}/one/step: Permission denied"]
    assert run(shell, f"cat {S}/one/tick") == [f"cat: {S}/one/tick: Permission denied"]
    for _ in range(2):
        assert run(shell, f"echo > {S}/ten/tick") == []
    assert run(shell, f"cat {S}/ten/value") == ["20"]
    assert run(shell, f"echo hello > {S}/one/extra/note") == []
    assert run(shell, f"cat {S}/one/extra/note") == ["hello"]
    assert run(shell, f"cat {S}/one/extra/secret") == ["hello"]
    assert run(shell, f"cat {S}/ten/table") == ["0123456789abcdef"]
    assert run(shell, f"ls -l {S}/ten/sibling")[0].endswith(f"{S}/ten/sibling -> ../one")
    assert run(shell, f"cat {S}/ten/sibling/value") == ["5"]
    assert run(shell, "rmmod kset_demo") == ["kset_demo: release one (value 5)",
                                             "kset_demo: release ten (value 20)"]


def test_kobject_cleanup_debug_lines(shell):
    run(shell, "insmod kset_demo.ko")
    run(shell, "echo 'file lib/kobject.c +p' > /proc/dynamic_debug/control")
    out = [re.sub(r"\([0-9a-f]{16}\)", "(P)", ln) for ln in run(shell, "rmmod kset_demo")]
    assert out[:3] == [
        "kobject: 'broken' (P): kobject_cleanup, parent           (null)",
        "kobject: 'broken' (P): does not have a release() function, it is broken and must be "
        "fixed.",
        "kobject: 'broken': free name"]
    assert "kobject: 'one' (P): auto cleanup 'remove' event" in out
    assert "kobject: 'one' (P): auto cleanup kobject_del" in out
    assert out.index("kobject: 'one' (P): calling ktype release") + 1 == \
        out.index("kset_demo: release one (value 0)")
    assert out[-1] == "kobject: 'kset_demo': free name"


def test_files_in_the_modules_own_sys_module_directory(kernel, tmp_path, test_module):
    """THIS_MODULE->mkobj.kobj is /sys/module/NAME: a module_attribute shows through
    module_sysfs_ops, a child kobject appears below it (tests/modules/modkobj_demo.c)."""
    sh = module_shell(kernel, tmp_path, test_module, "modkobj_demo")
    heap = kernel.heap.bytes_in_use
    run(sh, "insmod modkobj_demo.ko")
    M = "/sys/module/modkobj_demo"
    assert {"greeting", "state", "refcnt"} <= set(run(sh, f"ls {M}"))
    assert run(sh, f"cat {M}/greeting") == ["hello from modkobj_demo"]
    assert run(sh, f"cat {M}/state/level") == ["3 (in modkobj_demo)"]
    assert run(sh, f"echo 0x10 > {M}/state/level") == []
    assert run(sh, f"cat {M}/state/level") == ["16 (in modkobj_demo)"]
    assert run(sh, f"echo 1 > {M}/greeting") == [f"bash: {M}/greeting: Permission denied"]
    assert run(sh, "rmmod modkobj_demo") == []
    assert not kernel.fs.exists(M)
    assert kernel.heap.bytes_in_use == heap


MISUSE = r"""
#include <linux/module.h>
#include <linux/kobject.h>
#include <linux/slab.h>
static int v = 3;
static ssize_t v_show(struct kobject *k, struct kobj_attribute *a, char *buf) { return sprintf(buf, "%d\n", v); }
static struct kobj_attribute v_attr = __ATTR_RO(v);
static struct kobj_type bare_ktype = { };
static struct kobject plain, bare;
static int __init b_init(void)
{
	int r;
	r = kobject_add(&plain, kernel_kobj, "plain");
	pr_info("add uninit: %d\n", r);
	r = kobject_init_and_add(&bare, &bare_ktype, NULL, "bare_top");
	pr_info("bare: %d\n", r);
	r = sysfs_create_file(&bare, &v_attr.attr);
	pr_info("file on bare: %d\n", r);
	pr_info("uevent: %d\n", kobject_uevent(&bare, KOBJ_ADD));
	return 0;
}
static void __exit b_exit(void) { kobject_put(&bare); kobject_put(&bare); }
module_init(b_init);
module_exit(b_exit);
MODULE_LICENSE("GPL");
"""


def test_kobject_misuse_is_reported_as_419(kernel, build):
    """An uninitialized kobject added, a file on a ktype without sysfs_ops, a uevent with no
    kset, a put too many: lib/kobject.c's and fs/sysfs/file.c's reports, the module loads."""
    kernel.init_module(build("kobj_misuse", MISUSE), "")
    lines = [STAMP.sub("", ln) for ln in kernel.lines]
    assert any(re.fullmatch(r"kobject '\(null\)' \([0-9a-f]{16}\): tried to add an uninitialized "
                            r"object, something is seriously wrong\.", ln) for ln in lines)
    assert "missing sysfs attribute operations for kobject: bare_top" in lines
    assert [ln for ln in lines if ln.startswith(("add uninit", "bare:", "file on", "uevent"))] == [
        "add uninit: -22", "bare: 0", "file on bare: -22", "uevent: -22"]
    assert kernel.fs.listdir("/sys/bare_top") == []
    before = len(kernel.lines)
    kernel.delete_module("kobj_misuse")
    # the second kobject_put(): x86 4.19's refcount_t (ARCH_HAS_REFCOUNT, not REFCOUNT_FULL)
    # saturates a count that goes below zero without a report (only OF/ZF are reported)
    assert kernel.lines[before:] == []
    assert not kernel.fs.exists("/sys/bare_top")
