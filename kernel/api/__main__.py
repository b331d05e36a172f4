"""python -m kernel.api [--check]: write kernel/api/exports.py from the @kapi registrations
(functions already in the table keep their place, hence their stub slot; new ones go at the
end); --check only says whether the table is up to date (exit 1 if not)."""

from __future__ import annotations

import sys
from pathlib import Path

from kernel.api import declared_apis

TABLE = Path(__file__).resolve().parent / "exports.py"

HEADER = '''"""The kernel functions of kernel/api, in stub-slot order: (name, module, nargs, variadic).

Written by `python -m kernel.api` from the @kapi registrations (do not edit by hand; tests hold
it to them). A boot links vmlinux and modules against this table without importing the api
modules; kernel.api.Impl imports a function's module on its first call.
"""

EXPORTS: tuple[tuple[str, str, int, bool], ...] = (
'''


def table_text(old: list[str]) -> str:
    """The table's source: the functions of OLD (names) first, in that order, then the others."""
    declared = declared_apis()
    names = [n for n in old if n in declared] + [n for n in declared if n not in old]
    rows = "".join(f"    ({a.name!r}, {a.module!r}, {a.nargs}, {a.variadic}),\n"
                   for a in (declared[n] for n in names))
    return HEADER + rows + ")\n"


def current_names() -> list[str]:
    """The names the table lists now (none if there is no table yet)."""
    try:
        from kernel.api.exports import EXPORTS
    except ImportError:
        return []
    return [row[0] for row in EXPORTS]


def main(argv: list[str]) -> int:
    text = table_text(current_names())
    now = TABLE.read_text() if TABLE.exists() else ""
    if "--check" in argv:
        print("kernel/api/exports.py is up to date" if text == now else
              "kernel/api/exports.py is out of date: run python -m kernel.api")
        return 0 if text == now else 1
    if text != now:
        TABLE.write_text(text)
        print(f"wrote {TABLE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
