"""Documentation/livepatch/shadow-vars.rst of 5.4, rule by rule, on the 5.4 profile, read with
5.4.214's kernel/livepatch/shadow.c: tests/modules/5.4/shadow/k54_shadow.c says for each rule
whether the API did what it says; the kernel's own lines (the duplicate WARN, the failed
constructor, the page allocator's warning) are checked here.  The shadow samples of
modules/5.4 then leave no shadow variable behind."""

from __future__ import annotations

import re

import pytest

from conftest import MODULES, ROOT, S, needs_gcc, needs_kernel
from kernel import kbuild
from kernel.machine import Kernel

pytestmark = [needs_kernel, needs_gcc]
SOURCE = ROOT / "tests" / "modules" / "5.4" / "shadow" / "k54_shadow.c"


@pytest.fixture
def k(elf_cache):
    machine = Kernel.boot(clock_mode="virtual", elf_cache=elf_cache, kernel="5.4")
    machine.lines = []
    machine.printk.consoles.append(lambda r: machine.lines.append(r.text))
    yield machine
    machine.shutdown()


def test_every_shadow_rule(k, tmp_path):
    k.init_module(kbuild.build_module(SOURCE, tmp_path, kernel="5.4").read_bytes(), "")
    mine = [ln.partition(": ")[2] for ln in k.lines if ln.startswith("k54_shadow: ")]
    assert mine == [
        "get of nothing: 1",
        "alloc without ctor is zeroed: 1",
        "alloc with ctor: value 7, ctor 1, ctor saw obj 1 data 1",
        "get: same 1",
        "ids and objects apart: 1 1 8 9",
        "duplicate alloc: null 1, ctor 0",                    # WARN, no constructor
        "get_or_alloc of one there: same 1, value 7, ctor 0",
        "get_or_alloc of a new one: value 3, ctor 1",
        "ctor failing: null 1, ctor 1, none 1",
        "allocation failing quietly: null 1, ctor 0",         # kzalloc() NULL: no constructor
        "allocation failing: null 1, none 1",
        "free: dtor 1 with obj 1 data 1, gone 1, others 1 1",
        "free of one not there: dtor 1",
        "free without dtor: gone 1",
        "free_all: dtor 2, gone 1 1, other id 1",
        "free_all without dtor: gone 1",
    ]
    assert not k.livepatch.shadows
    text = k.lines
    # WARN(1, "Duplicate shadow variable <%p, %lx>\n", obj, id) at 5.4's shadow.c:165
    cut = text.index("------------[ cut here ]------------")
    assert re.fullmatch(r"Duplicate shadow variable <[0-9a-f]{16}, 1234>", text[cut + 1])
    assert re.fullmatch(r"WARNING: CPU: \d PID: \d+ at kernel/livepatch/shadow\.c:165 "
                        r"__klp_shadow_get_or_alloc\+0x[0-9a-f]+/0x[0-9a-f]+", text[cut + 2])
    assert sum(ln == "------------[ cut here ]------------" for ln in text) == 2
    # pr_err("Failed to construct shadow variable <%p, %lx> (%d)\n") of the failing constructor
    assert [ln for ln in text if ln.startswith("livepatch: ")] == [
        next(ln for ln in text if re.fullmatch(
            r"livepatch: Failed to construct shadow variable <[0-9a-f]{16}, 1235> \(-12\)", ln))]
    # kzalloc(size + sizeof(struct klp_shadow), gfp_flags): only the call without
    # __GFP_NOWARN gets the page allocator's warning for a size past MAX_ORDER
    second = [i for i, ln in enumerate(text) if ln == "------------[ cut here ]------------"][1]
    assert text.index("k54_shadow: allocation failing quietly: null 1, ctor 0") < second
    assert re.match(r"WARNING: CPU: \d PID: \d+ at mm/page_alloc\.c:4757 __alloc_pages_nodemask",
                    text[second + 1])
    assert second < text.index("k54_shadow: allocation failing: null 1, none 1")


def test_4_19_warns_at_its_own_line(elf_cache, tmp_path):
    """The same module and rules on 4.19 (its shadow.c has the WARN at line 177)."""
    machine = Kernel.boot(clock_mode="virtual", elf_cache=elf_cache)
    try:
        lines: list[str] = []
        machine.printk.consoles.append(lambda r: lines.append(r.text))
        machine.init_module(kbuild.build_module(SOURCE, tmp_path).read_bytes(), "")
        cut = lines.index("------------[ cut here ]------------")
        assert re.match(r"WARNING: CPU: \d PID: \d+ at kernel/livepatch/shadow\.c:177 ", lines[cut + 2])
        assert "k54_shadow: free_all without dtor: gone 1" in lines
    finally:
        machine.shutdown()


def test_the_5_4_shadow_samples_free_every_shadow_variable(k):
    """livepatch-shadow-fix1 attaches a shadow to every dummy (allocated or already there),
    fix2 adds a counter; their exits' klp_shadow_free_all() and the mod's dtors leave none."""
    ko = {name: (MODULES / "5.4" / f"livepatch-shadow-{name}.ko").read_bytes()
          for name in ("mod", "fix1", "fix2")}
    k.init_module(ko["mod"], "")
    k.run_for(4 * S)
    k.init_module(ko["fix1"], "")
    k.run_for(6 * S)
    assert k.livepatch.shadows                            # the leak pointers of the dummies
    k.init_module(ko["fix2"], "")
    k.run_for(6 * S)
    assert {id_ for _obj, id_ in k.livepatch.shadows} == {1, 2}   # SV_LEAK and SV_COUNTER
    for name in ("fix2", "fix1"):
        k.fs.write(f"/sys/kernel/livepatch/livepatch_shadow_{name}/enabled", "0\n")
        k.run_for(2 * S)
        k.delete_module(f"livepatch_shadow_{name}")
    assert not k.livepatch.shadows
    k.delete_module("livepatch_shadow_mod")
