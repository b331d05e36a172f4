"""/proc/kallsyms: vmlinux's symbols in address order, then each module's, as s_show() prints."""

from __future__ import annotations

import re

from tests.shell_session import module_shell, run

LINE = re.compile(r"^([0-9a-f]{16}) ([A-Za-z]) (\S+)(?:\t\[(\S+)\])?$")


def _table(sh):
    rows = [LINE.match(ln) for ln in run(sh, "cat /proc/kallsyms")]
    assert all(rows), [ln for ln, m in zip(run(sh, "cat /proc/kallsyms"), rows) if not m][:3]
    return [(int(m[1], 16), m[2], m[3], m[4]) for m in rows]


def test_vmlinux_symbols_sorted_and_known(kernel, tmp_path, test_module):
    sh = module_shell(kernel, tmp_path, test_module)
    table = _table(sh)
    core = [r for r in table if r[3] is None]
    assert [r[0] for r in core] == sorted(r[0] for r in core)
    names = {r[2]: r for r in core}
    for name in ("printk", "kmalloc", "klp_enable_patch"):
        assert names[name][1] == "T"
        assert kernel.kallsyms.find(name).addr == names[name][0]


def test_module_symbols_exports_and_order(kernel, tmp_path, test_module):
    sh = module_shell(kernel, tmp_path, test_module, "export_a", "export_b")
    run(sh, "insmod export_a.ko")
    mine = [r for r in _table(sh) if r[3] == "export_a"]
    by_name = {r[2]: r for r in mine}
    # capital only for what the module exports; its init function was freed with .init.text
    assert by_name["export_a_add"][1] == "T" and by_name["export_a_counter"][1] == "D"
    assert by_name["export_a_exit"][1] == "t" and by_name["export_a_init"][1] == "t"
    assert by_name["export_a_add"][0] == kernel.kallsyms.find("export_a_add", "export_a").addr
    # the newest module's symbols come first after vmlinux's
    run(sh, "insmod export_b.ko")
    owners = [r[3] for r in _table(sh) if r[3]]
    assert owners.index("export_b") < owners.index("export_a")
    run(sh, "rmmod export_b")
    run(sh, "rmmod export_a")
    assert not [r for r in _table(sh) if r[3]]


def test_grep_a_patched_function(kernel, tmp_path, test_module):
    sh = module_shell(kernel, tmp_path, test_module)
    out = run(sh, "grep -w cmdline_proc_show /proc/kallsyms")
    assert len(out) == 1 and out[0].endswith(" T cmdline_proc_show")


def test_init_text_symbols_go_with_the_freed_init_sections(kernel, tmp_path, test_module):
    sh = module_shell(kernel, tmp_path, test_module, "init_text")
    assert run(sh, "insmod init_text.ko") == ["init_text: loaded"]
    names = {r[2]: r[1] for r in _table(sh) if r[3] == "init_text"}
    assert names["init_text_exit"] == "t" and "init_text_init" not in names
    assert "init_module" not in names and names["cleanup_module"] == "t"
