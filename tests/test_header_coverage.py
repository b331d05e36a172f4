"""Every function the headers declare exists: a module calling any of them loads (no
`Unknown symbol`). Compiles all of kernel/include/linux with gcc -aux-info and checks each
non-inline declaration against vmlinux exports and the Python kernel functions."""

from __future__ import annotations

import re
import subprocess

from conftest import needs_gcc, needs_kernel
from kernel import kbuild

pytestmark = [needs_kernel, needs_gcc]
_DECL = re.compile(r"\*/ (?:extern )?[^(]*?\b(\w+) \(")
NOT_KERNEL = {"init_module", "cleanup_module"}   # what a module itself defines
# headers that refuse to be included on their own, as 4.19's do (they come with their parent)
INCLUDED_BY_OTHERS = {"asm/bitops.h", "linux/rwlock.h"}


def test_every_declared_function_is_implemented(kernel, tmp_path):
    include = kbuild.INCLUDE_DIR
    headers = sorted(p.relative_to(include).as_posix() for sub in ("linux", "asm")
                     for p in (include / sub).rglob("*.h"))
    src = tmp_path / "all.c"
    src.write_text("".join(f"#include <{h}>\n" for h in headers if h not in INCLUDED_BY_OTHERS))
    aux = tmp_path / "aux.txt"
    flags = kbuild.compile_flags("all", "all")
    subprocess.run(["gcc", *flags, "-c", str(src), "-o", str(tmp_path / "all.o"), "-aux-info", str(aux)],
                   check=True, capture_output=True)
    declared = set()
    for line in aux.read_text().splitlines():
        if str(kbuild.INCLUDE_DIR) not in line or " static " in line or "{" in line:
            continue
        m = _DECL.search(line)
        if m:
            declared.add(m.group(1))
    have = set(kernel.vmlinux.exports) | {n for n, s in kernel.cpu.stub_by_name.items() if s.func}
    missing = sorted(declared - have - NOT_KERNEL)
    assert {"complete", "wait_for_completion", "param_set_int", "vmalloc", "kstrtoint"} <= declared
    assert not missing, f"declared in kernel/include but not implemented: {missing}"
