"""python -m kernel.api [--check]: write kernel/api/exports.py from the @kapi registrations
(functions already in the table keep their place, hence their stub slot; new ones go at the
end); --check only says whether the table is up to date (exit 1 if not)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from kernel.api import declared_apis

TABLE_PATH = Path(__file__).resolve().parent / "exports.py"

HEADER = '''"""The kernel functions of kernel/api, in stub-slot order, one a line: name, module (of
kernel/api), number of parameters after the Kernel, and `variadic` for a variadic function
(kernel.api.export_rows reads it).

Written by `python -m kernel.api` from the @kapi registrations (do not edit by hand; tests hold
it to them). A boot links vmlinux and modules against this table without importing the api
modules; kernel.api.Impl imports a function's module on its first call.
"""

TABLE = """\\
'''

# A row of the table as this format writes it, or as the earlier one (a tuple per function) did;
# both sides of a merge conflict in the file are read, the first place of a name kept.
_ROW = re.compile(r"^(?:([A-Za-z_]\w*) \w+ \d+(?: variadic)?|    \('([A-Za-z_]\w*)', .*\),)$")


def table_text(old: list[str]) -> str:
    """The table's source: the functions of OLD (names) first, in that order, then the others."""
    declared = declared_apis()
    names = [n for n in old if n in declared] + [n for n in declared if n not in old]
    rows = "".join(f"{a.name} {a.module} {a.nargs}{' variadic' if a.variadic else ''}\n"
                   for a in (declared[n] for n in names))
    return HEADER + rows + '"""\n'


def current_names() -> list[str]:
    """The names the table lists now, in order (read as text: the file may not import, e.g.
    with merge conflict markers in it); none if there is no table yet."""
    try:
        text = TABLE_PATH.read_text()
    except OSError:
        return []
    names = [m.group(1) or m.group(2) for m in map(_ROW.match, text.splitlines()) if m]
    return list(dict.fromkeys(names))


def main(argv: list[str]) -> int:
    text = table_text(current_names())
    now = TABLE_PATH.read_text() if TABLE_PATH.exists() else ""
    if "--check" in argv:
        print("kernel/api/exports.py is up to date" if text == now else
              "kernel/api/exports.py is out of date: run python -m kernel.api")
        return 0 if text == now else 1
    if text != now:
        TABLE_PATH.write_text(text)
        print(f"wrote {TABLE_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
