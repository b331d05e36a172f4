"""EXPORT_SYMBOL_GPL enforced as 4.19's resolve_symbol()/check_symbol() do: a module whose license
taints the kernel does not see GPL-only exports of vmlinux (kernel/api/gpl_only.py) or of other
modules (__ksymtab_gpl), and fails with `Unknown symbol X (err -2)` after the taint notice."""

from __future__ import annotations

import pytest
from conftest import needs_gcc, needs_kernel

from kernel import kbuild
from kernel.api import all_apis
from kernel.api.gpl_only import GPL_ONLY
from kernel.errno import Errno, KernelError

pytestmark = [needs_gcc, needs_kernel]

USER = """
#include <linux/module.h>
#include <linux/kallsyms.h>
#include <linux/jiffies.h>
static int __init {name}_init(void)
{{
	unsigned long addr = kallsyms_lookup_name("jiffies");
	pr_info("{name}: jiffies %s\\n", addr == (unsigned long)&jiffies ? "found" : "missing");
	return 0;
}}
module_init({name}_init);
{license}
"""

EXPORTER = """
#include <linux/module.h>
int gplx_plain(int n) { return n + 1; }
EXPORT_SYMBOL(gplx_plain);
int gplx_gpl(int n) { return n + 2; }
EXPORT_SYMBOL_GPL(gplx_gpl);
MODULE_LICENSE("GPL");
"""

IMPORTER = """
#include <linux/module.h>
extern int gplx_plain(int n);
extern int gplx_gpl(int n);
static int __init {name}_init(void)
{{
	pr_info("{name}: %d\\n", {call});
	return 0;
}}
module_init({name}_init);
{license}
"""


def _build(tmp_path, name: str, source: str) -> bytes:
    src = tmp_path / f"{name}.c"
    src.write_text(source)
    return kbuild.build_module(src, tmp_path, gpl_check=False).read_bytes()


def _load(kernel, image: bytes) -> Errno | None:
    try:
        kernel.init_module(image, "")
    except KernelError as e:
        return Errno(e.errno)
    return None


def test_proprietary_module_cannot_use_a_gpl_only_kernel_function(kernel, tmp_path) -> None:
    image = _build(tmp_path, "propuser", USER.format(name="propuser", license='MODULE_LICENSE("Proprietary");'))
    assert _load(kernel, image) == Errno.ENOENT
    assert kernel.lines == [
        "propuser: loading out-of-tree module taints kernel.",
        "propuser: module license 'Proprietary' taints kernel.",
        "Disabling lock debugging due to kernel taint",
        "propuser: Unknown symbol kallsyms_lookup_name (err -2)"]
    assert "propuser" not in kernel.modules and "P" in kernel.taints


@pytest.mark.parametrize("license", ['MODULE_LICENSE("GPL");', 'MODULE_LICENSE("Dual BSD/GPL");',
                                     'MODULE_LICENSE("GPL v2");', 'MODULE_LICENSE("Dual MIT/GPL");'])
def test_gpl_compatible_modules_use_it(kernel, tmp_path, license: str) -> None:
    image = _build(tmp_path, "gpluser", USER.format(name="gpluser", license=license))
    assert _load(kernel, image) is None
    assert kernel.lines[-1] == "gpluser: jiffies found"
    assert "P" not in kernel.taints


def test_a_module_without_license_is_proprietary(kernel, tmp_path) -> None:
    image = _build(tmp_path, "nolic", USER.format(name="nolic", license=""))
    assert _load(kernel, image) == Errno.ENOENT
    assert kernel.lines[1:] == ["nolic: module license 'unspecified' taints kernel.",
                                "Disabling lock debugging due to kernel taint",
                                "nolic: Unknown symbol kallsyms_lookup_name (err -2)"]


def test_module_exports_gpl_and_plain(kernel, tmp_path) -> None:
    assert _load(kernel, _build(tmp_path, "gplx", EXPORTER)) is None
    prop = 'MODULE_LICENSE("Proprietary");'
    ok = _build(tmp_path, "imp_plain", IMPORTER.format(name="imp_plain", call="gplx_plain(1)", license=prop))
    assert _load(kernel, ok) is None
    assert kernel.lines[-1] == "imp_plain: 2"
    bad = _build(tmp_path, "imp_gpl", IMPORTER.format(name="imp_gpl", call="gplx_gpl(1)", license=prop))
    assert _load(kernel, bad) == Errno.ENOENT
    assert kernel.lines[-1] == "imp_gpl: Unknown symbol gplx_gpl (err -2)"
    assert kernel.modules["gplx"].refcnt == 1             # only imp_plain holds it
    good = _build(tmp_path, "imp_gpl2", IMPORTER.format(name="imp_gpl2", call="gplx_gpl(1)",
                                                        license='MODULE_LICENSE("GPL");'))
    assert _load(kernel, good) is None
    assert kernel.lines[-1] == "imp_gpl2: 3"


def test_modpost_refuses_what_the_loader_refuses(tmp_path) -> None:
    src = tmp_path / "prop.c"
    src.write_text(USER.format(name="prop", license='MODULE_LICENSE("Proprietary");'))
    with pytest.raises(kbuild.BuildError, match="FATAL: modpost: GPL-incompatible module .*/prop.ko "
                                                "uses GPL-only symbol 'kallsyms_lookup_name'"):
        kbuild.build_module(src, tmp_path)


def test_gpl_table_names_are_419s_and_mostly_implemented() -> None:
    """Every Python API function that 4.19 exports GPL-only is in the table (spot checks of
    4.19's EXPORT_SYMBOL vs EXPORT_SYMBOL_GPL)."""
    apis = all_apis()
    for name in ("kallsyms_lookup_name", "ktime_get", "klp_enable_patch", "call_rcu",
                 "__alloc_workqueue_key", "synchronize_rcu"):
        assert name in apis and name in GPL_ONLY, name
    for name in ("printk", "kmalloc", "kthread_create_on_node", "kthread_stop", "mutex_lock",
                 "schedule_work", "proc_create", "ktime_get_real_ts64", "copy_to_user"):
        assert name in apis and name not in GPL_ONLY, name
