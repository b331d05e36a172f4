"""The headers behave like 4.19's: each header we ship pulls in (directly or not) every header
we ship that the 4.19 one pulls in, so a module that builds against 4.19 with only
<linux/module.h> (smp_processor_id, do_gettimeofday, jiffies ...) builds here too.

The 4.19 graph is data (tests/data/include_graph_419.txt, from gcc -M over the 4.19.1 tree);
ours comes from gcc -M over kernel/include.  A header added to kernel/include that 4.19's
graph names is then expected wherever 4.19 has it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import needs_gcc
from kernel import kbuild

pytestmark = [needs_gcc]
GRAPH = Path(__file__).resolve().parent / "data" / "include_graph_419.txt"
ONLY_FROM_PARENT = {"asm/bitops.h": "linux/bitops.h", "linux/rwlock.h": "linux/spinlock.h"}
# lighter than 4.19's on purpose: kernel.h pulls in ratelimit.h (for printk_ratelimited), and
# 4.19's ratelimit.h brings sched.h, which would come back around to list.h before it is defined
LIGHTER = {"linux/ratelimit.h"}


def _graph_419() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for line in GRAPH.read_text().splitlines():
        if line and not line.startswith("#"):
            head, _, deps = line.partition(":")
            out[head] = set(deps.split())
    return out


def _shipped() -> set[str]:
    inc = kbuild.INCLUDE_DIR
    return {p.relative_to(inc).as_posix() for sub in ("linux", "asm") for p in (inc / sub).rglob("*.h")}


def _our_closure(tmp: Path, header: str) -> set[str]:
    src = tmp / "t.c"
    src.write_text(f"#include <{header}>\n")
    proc = subprocess.run(["gcc", *kbuild.compile_flags("t", "t"), "-M", str(src)],
                          capture_output=True, text=True, check=True)
    inc = str(kbuild.INCLUDE_DIR) + "/"
    return {w[len(inc):] for w in proc.stdout.replace("\\\n", " ").split() if w.startswith(inc)}


def test_the_graph_covers_what_we_ship() -> None:
    graph = _graph_419()
    assert {"linux/module.h", "linux/kernel.h", "linux/fs.h", "linux/sched.h"} <= set(graph)
    assert "linux/timekeeping32.h" in graph["linux/module.h"]     # do_gettimeofday
    assert "linux/sched.h" not in graph["linux/module.h"]         # 4.19 does not


def test_every_header_pulls_in_what_419s_does(tmp_path: Path) -> None:
    graph, shipped = _graph_419(), _shipped()
    missing = {}
    for header in sorted(shipped & set(graph)):
        if header in ONLY_FROM_PARENT or header in LIGHTER:
            continue
        lack = sorted((graph[header] & shipped) - _our_closure(tmp_path, header) - set(ONLY_FROM_PARENT))
        if lack:
            missing[header] = lack
    assert not missing, "headers that 4.19 pulls in and ours do not: " + "; ".join(
        f"{h}: {' '.join(m)}" for h, m in missing.items())
