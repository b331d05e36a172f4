"""kernel.errno.Errno, made by enum._simple_enum, is the IntEnum its class statement makes."""

from __future__ import annotations

import ast
import enum
import inspect

from kernel import errno


def test_errno_is_the_int_enum_of_its_class_statement() -> None:
    cls = ast.parse(inspect.getsource(errno.Errno)).body[0]
    assert isinstance(cls, ast.ClassDef) and not cls.bases
    cls.decorator_list, cls.bases = [], [ast.Name("IntEnum", ast.Load())]
    ns: dict[str, object] = {"IntEnum": enum.IntEnum}
    exec(compile(ast.fix_missing_locations(ast.Module([cls], [])), "<Errno>", "exec"), ns)  # noqa: S102
    enum._test_simple_enum(errno.Errno, ns["Errno"])  # type: ignore[attr-defined]
    assert errno.Errno(22) is errno.Errno.EINVAL and errno.strerror(-22) == "Invalid argument"
