"""kernel.record behaves as the standard dataclasses and typing.NamedTuple for what the kernel
uses of them."""

from __future__ import annotations

import copy
import dataclasses
import importlib
import sys
from typing import Any, Callable, NamedTuple

import pytest

from kernel.record import (TEMPLATE_FIELDS, TEMPLATES_PATH, FrozenInstanceError, RecordTuple, field, fields,
                           _template, _templates_kept, record, replace, templates_source)


def _both(body: Callable[[Callable[..., Any], Callable[..., Any]], type], **options: Any) -> tuple[type, type]:
    """The class BODY makes, once with dataclasses and once with record (same OPTIONS)."""
    return (body(dataclasses.dataclass(**options), dataclasses.field),
            body(record(**options), field))


def _point(deco: Callable[..., Any], fld: Callable[..., Any]) -> type:
    """A class with a plain field, defaults, factories and a field left out of repr and ==."""
    @deco
    class Point:
        """A point."""

        x: int
        y: int = 2
        tags: list[int] = fld(default_factory=list)
        note: str | None = fld(default=None, repr=False, compare=False)
    return Point


@pytest.mark.parametrize("options", [{}, {"eq": False}, {"frozen": True}, {"frozen": True, "eq": False}])
def test_same_as_dataclasses(options: dict[str, bool]) -> None:
    """__init__, defaults, factories, repr, ==, hashing and __match_args__ agree."""
    dc, rc = _both(_point, **options)
    a, b = dc(1, tags=[3], note="n"), rc(1, tags=[3], note="n")
    assert repr(a).replace(dc.__qualname__, "P") == repr(b).replace(rc.__qualname__, "P")
    assert (a.x, a.y, a.tags, a.note) == (b.x, b.y, b.tags, b.note)
    assert dc(1).tags is not dc(1).tags and rc(1).tags is not rc(1).tags
    assert (dc(1) == dc(1, note="other")) == (rc(1) == rc(1, note="other"))
    assert (dc(1) == dc(2)) == (rc(1) == rc(2))
    assert (dc.__hash__ is None) == (rc.__hash__ is None)
    assert dc.__match_args__ == rc.__match_args__
    assert rc.y == 2 and rc.note is None and not hasattr(rc, "tags")
    if options.get("frozen"):
        with pytest.raises(FrozenInstanceError):
            b.x = 5
        if options.get("eq", True):
            assert hash(rc(1, tags=())) == hash(rc(1, tags=()))
    assert replace(b, y=7).y == 7 and replace(b, y=7).tags is b.tags
    assert [f.name for f in fields(rc)] == [f.name for f in dataclasses.fields(dc)]


def test_inheritance_and_post_init() -> None:
    """A record's subclass adds its fields after its base's; __post_init__ runs after __init__."""
    @record(eq=False)
    class Base:
        """A base."""

        a: int
        b: int = 1

    @record(eq=False)
    class Derived(Base):
        """A subclass."""

        c: list[int] = field(default_factory=lambda: [0])

        def __post_init__(self) -> None:
            """Count the fields."""
            self.total = self.a + self.b + len(self.c)

    d = Derived(5, c=[1, 2])
    assert (d.a, d.b, d.c, d.total) == (5, 1, [1, 2], 8)
    assert repr(d).endswith("Derived(a=5, b=1, c=[1, 2])")
    assert d == d and d != Derived(5, c=[1, 2])   # eq=False: identity


def test_recursive_repr_and_exception() -> None:
    """A record showing itself shows "..."; an exception can be a record."""
    @record(eq=False)
    class Node:
        """A node."""

        next: Any = None

    n = Node()
    n.next = n
    assert repr(n).endswith("Node(next=...)")

    @record(eq=False)
    class Failure(Exception):
        """A failure."""

        why: str

    with pytest.raises(Failure) as info:
        raise Failure("no")
    assert info.value.why == "no"


def test_subclass_calls_the_first_init() -> None:
    """A plain subclass calling the record's __init__ before any record was made gets it."""
    @record
    class Pair:
        """A pair."""

        a: int
        b: int = 0

    class Named(Pair):
        """A pair with a name."""

        def __init__(self, name: str, a: int) -> None:
            """The pair (A, 0) called NAME."""
            super().__init__(a)
            self.name = name

    n = Named("n", 3)
    assert (n.name, n.a, n.b) == ("n", 3, 0) and Pair(3) == Pair(3, 0) and Pair(1) != Pair(2)
    assert Pair.__init__.__qualname__.endswith("Pair.__init__")


def test_templates_file_is_current() -> None:
    """kernel/record_templates.py is what `python -m kernel.record` writes."""
    assert TEMPLATES_PATH.read_text() == templates_source()


def test_many_fields() -> None:
    """A record with more fields than the templates file holds compiles its own."""
    names = [f"x{i}" for i in range(TEMPLATE_FIELDS + 3)]
    cls = record(type("Wide", (), {"__annotations__": dict.fromkeys(names, "int")}))
    wide = cls(*range(len(names)))
    assert [getattr(wide, n) for n in names] == list(range(len(names)))


def test_templates_compiled_one_by_one_where_no_bytecode_is_kept(monkeypatch) -> None:
    """Where Python writes and keeps no bytecode, a class's __init__ and __new__ come from
    the one template each compiled alone (the file is not imported: it would be compiled
    whole), and are the file's code."""
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    monkeypatch.setattr(sys, "pycache_prefix", None)
    monkeypatch.delitem(sys.modules, "kernel.record_templates", raising=False)
    _template.cache_clear()
    try:
        assert not _templates_kept()
        names = [f"y{i}" for i in range(5)]
        cls = record(type("Five", (), {"__annotations__": dict.fromkeys(names, "int")}))

        class Tup(RecordTuple):
            p: int
            q: int
        assert [getattr(cls(*range(5)), n) for n in names] == list(range(5))
        assert Tup(1, 2) == (1, 2) and Tup(1, 2).q == 2
        assert "kernel.record_templates" not in sys.modules
        for kind, n in (("init", 5), ("new", 2)):
            assert _template(kind, n).co_code == \
                getattr(importlib.import_module("kernel.record_templates"), f"{kind}{n}").__code__.co_code
    finally:
        _template.cache_clear()


def _pair_tuple(base: type) -> type:
    """A tuple class on BASE (typing.NamedTuple or RecordTuple) with a default and a method."""
    class Pair(base):   # type: ignore[misc, valid-type]
        """A pair."""

        a: int
        b: "list[int]" = []

        @property
        def total(self) -> int:
            """a plus the length of b."""
            return self.a + len(self.b)
    return Pair


def test_record_tuple_as_named_tuple() -> None:
    """RecordTuple classes behave as typing.NamedTuple's: tuple, fields, defaults, methods,
    _replace/_asdict/_make, repr, errors, copy."""
    nt, rt = _pair_tuple(NamedTuple), _pair_tuple(RecordTuple)
    x, y = nt(1, [2]), rt(1, [2])
    assert x == y and hash(nt(1, ())) == hash(rt(1, ())) and tuple(y) == (1, [2]) and y[1] == [2]
    assert repr(x) == repr(y) and y.total == x.total == 2
    assert (rt._fields, rt._field_defaults, rt.__match_args__) == (nt._fields, nt._field_defaults,
                                                                    nt.__match_args__)
    assert y._replace(a=5) == (5, [2]) and y._asdict() == x._asdict() and rt._make([3, 4]) == (3, 4)
    assert rt(7).b == [] and copy.deepcopy(y) == y and type(copy.copy(y)) is rt
    for args, kwargs in (((1, 2, 3), {}), ((), {}), ((1,), {"c": 2})):
        with pytest.raises(TypeError) as n_err:
            nt(*args, **kwargs)
        with pytest.raises(TypeError) as r_err:
            rt(*args, **kwargs)
        assert str(n_err.value).replace("Pair", "") == str(r_err.value).replace("Pair", "")
    with pytest.raises(AttributeError):
        y.a = 3
