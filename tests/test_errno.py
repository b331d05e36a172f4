"""kernel.errno.Errno and kernel.abi.ModuleState, made by enum._simple_enum, are the IntEnums their
class statements make."""

from __future__ import annotations

import ast
import enum
import inspect

import pytest

from kernel import abi, errno


@pytest.mark.parametrize("simple", [errno.Errno, abi.ModuleState], ids=lambda e: e.__name__)
def test_a_simple_enum_is_the_int_enum_of_its_class_statement(simple: type[enum.IntEnum]) -> None:
    cls = ast.parse(inspect.getsource(simple)).body[0]
    assert isinstance(cls, ast.ClassDef) and not cls.bases
    cls.decorator_list, cls.bases = [], [ast.Name("IntEnum", ast.Load())]
    ns: dict[str, object] = {"IntEnum": enum.IntEnum}
    exec(compile(ast.fix_missing_locations(ast.Module([cls], [])), f"<{cls.name}>", "exec"), ns)  # noqa: S102
    enum._test_simple_enum(ns[cls.name], simple)  # type: ignore[attr-defined]


def test_errno_values() -> None:
    assert errno.Errno(22) is errno.Errno.EINVAL and errno.strerror(-22) == "Invalid argument"


def test_module_states_are_reached_without_a_descriptor() -> None:
    """ModuleState's members are its class attributes themselves (as a class statement stores
    them), not _simple_enum's enum.property redirects: module loads read them all the time."""
    assert all(vars(abi.ModuleState)[m.name] is m for m in abi.ModuleState)
    assert abi.ModuleState.GOING is abi.ModuleState(2) is abi.ModuleState["GOING"]
