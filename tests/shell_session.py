"""A Shell over a booted test machine with modules of tests/modules beside it, and the lines
one command prints: what the module tests drive through the shell share from here."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from klpsh.shell import Shell

STAMP = re.compile(r"^\[ *(\d+\.\d{6})\] ")
NOTICE = re.compile(r".*: loading out-of-tree module taints kernel\.")


def module_shell(kernel, cwd: Path, test_module: Callable[[str], bytes], *names: str) -> Shell:
    """A shell in CWD, where NAME.ko of each of tests/modules/NAME.c is; its lines are kept
    in sh.output."""
    for name in names:
        (cwd / f"{name}.ko").write_bytes(test_module(name))
    out: list[str] = []
    sh = Shell(kernel, out.append, cwd=cwd)
    sh.output = out
    return sh


def run(sh: Shell, line: str, stamps: bool = False) -> list[str]:
    """The lines LINE printed (kernel lines without their timestamp unless STAMPS), the
    command echo and the once-per-boot taint notice left out."""
    n = len(sh.output)
    sh.run_line(line)
    lines = [ln for ln in sh.output[n + 1:] if not NOTICE.fullmatch(STAMP.sub("", ln))]
    return lines if stamps else [STAMP.sub("", ln) for ln in lines]
