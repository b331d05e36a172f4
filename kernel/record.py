"""Records: the part of the standard dataclasses the kernel uses (@record, field(), replace()),
made at a fraction of the cost. A class's __init__ is made at its first instance, from
code compiled once per number of fields (dataclasses compiles three functions per class, and
its import pulls inspect): the ~60 record classes of a start cost ~16 ms with dataclasses
and ~2 ms here."""

from __future__ import annotations

import reprlib
import sys
from functools import cache
from itertools import repeat
from operator import attrgetter, is_
from pathlib import Path
from types import CodeType, FunctionType

try:
    from _collections import _tuplegetter
except ImportError:   # an interpreter without it (collections.namedtuple's own fallback)
    from operator import itemgetter as _itemgetter

    def _tuplegetter(index: int, doc: str) -> Any:
        """A read-only property of item INDEX."""
        return property(_itemgetter(index), doc=doc)
from typing import TYPE_CHECKING, Any, Callable, Iterable, TypeVar, dataclass_transform

T = TypeVar("T")


class _Missing:
    """The absent default (a field without one) and the marker of a default still to be made."""

    __slots__ = ()

    def __repr__(self) -> str:
        """How the marker shows."""
        return "<missing>"


MISSING: Any = _Missing()
_FACTORY: Any = _Missing()   # an __init__ argument's default when a default_factory makes it


class FrozenInstanceError(AttributeError):
    """An assignment to a field of a frozen record."""


class Field:
    """One field of a record: its name, default or default factory, and whether it shows
    in repr() and takes part in ==."""

    __slots__ = ("name", "default", "default_factory", "repr", "compare")

    def __init__(self, default: Any, default_factory: Any, repr: bool, compare: bool) -> None:
        """A field not yet named (the class body names it)."""
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.repr = repr
        self.compare = compare

    def __repr__(self) -> str:
        """The field as Field(name=..., ...)."""
        return (f"Field(name={self.name!r}, default={self.default!r}, "
                f"default_factory={self.default_factory!r}, repr={self.repr}, compare={self.compare})")


def field(*, default: Any = MISSING, default_factory: Callable[[], Any] | Any = MISSING,
          repr: bool = True, compare: bool = True) -> Any:
    """A field with DEFAULT or made by DEFAULT_FACTORY() for each record; REPR and COMPARE
    leave it out of repr() and == when false."""
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, repr, compare)


def _fields(cls: type) -> dict[str, Field]:
    """CLS's fields in order: its record bases' first, then those its own body annotates."""
    fields: dict[str, Field] = {}
    for base in cls.__mro__[-1:0:-1]:
        inherited = base.__dict__.get("__record_fields__")
        if inherited:
            fields.update(inherited)
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if isinstance(annotation, str) and annotation.startswith(("ClassVar", "typing.ClassVar")):
            continue
        value = cls.__dict__.get(name, MISSING)
        if isinstance(value, Field):
            f = value
            if f.default is not MISSING:
                setattr(cls, name, f.default)
            else:
                delattr(cls, name)
        else:
            f = Field(value, MISSING, True, True)
        f.name = name
        fields[name] = f
    defaulted = ""
    for f in fields.values():
        if f.default is not MISSING or f.default_factory is not MISSING:
            defaulted = f.name
        elif defaulted:
            raise TypeError(f"non-default argument {f.name!r} follows default argument {defaulted!r}")
    return fields


TEMPLATE_FIELDS = 32          # kernel/record_templates.py holds the code for up to this many fields
TEMPLATES_PATH = Path(__file__).with_name("record_templates.py")
TEMPLATES_HEADER = '''"""The code of record __init__s and record tuples' __new__s (kernel/record.py renames it for
each class): initN sets N fields, attribute nI from parameter aI, or from _fI() when aI is the
_FACTORY marker; newN makes the tuple of its N parameters.

Written by `python -m kernel.record` (do not edit by hand; tests hold it to the generator).
Compiled once into the bytecode cache like any module, where compiling them for each class at
each start cost ~5 ms.
"""
# flake8: noqa
'''


def template_line(kind: str, n: int) -> str:
    """The source of initN or newN (KIND), on one line."""
    params = "".join(f", a{i}" for i in range(n))
    if kind == "new":
        items = ", ".join(f"a{i}" for i in range(n)) + ("," if n == 1 else "")
        return f"def new{n}(_cls{params}): return _tuple_new(_cls, ({items}))"
    body = "; ".join(f"self.n{i} = a{i} if a{i} is not _FACTORY else _f{i}()" for i in range(n))
    return f"def init{n}(self{params}): {body or 'pass'}"


def templates_source() -> str:
    """What kernel/record_templates.py holds."""
    return TEMPLATES_HEADER + "".join(f"\n\n{template_line(kind, n)}\n"
                                      for kind in ("init", "new") for n in range(TEMPLATE_FIELDS + 1))


@cache
def _template(kind: str, n: int) -> CodeType:
    """The code of initN or newN (KIND): from kernel/record_templates.py where its bytecode
    is kept, else (more fields than that holds, or a Python that writes no bytecode, where
    importing it would compile the whole file, ~45 M instructions, for the ~25 a start
    uses) compiled here."""
    if n <= TEMPLATE_FIELDS and _templates_kept():
        from kernel import record_templates
        return getattr(record_templates, f"{kind}{n}").__code__
    module = compile(template_line(kind, n), "<record>", "exec")
    return next(c for c in module.co_consts if isinstance(c, CodeType))


def _templates_kept() -> bool:
    """Whether kernel/record_templates.py is (or would be) imported from bytecode: it is
    imported, or Python writes bytecode or keeps it apart (sys.pycache_prefix). (Without
    either, only a .pyc beside the source left by another run could be read.)"""
    return ("kernel.record_templates" in sys.modules or not sys.dont_write_bytecode
            or bool(sys.pycache_prefix))


def _init(cls: type, fields: dict[str, Field], frozen: bool) -> Callable[..., None]:
    """CLS's __init__ from its FIELDS: each set from the argument of its name, its default
    or default_factory() when not given (a frozen record's through object.__setattr__);
    __post_init__() called last if CLS has one."""
    qualname = f"{cls.__qualname__}.__init__"
    names = tuple(fields)
    defaults = tuple(_FACTORY if f.default_factory is not MISSING else f.default
                     for f in fields.values() if f.default is not MISSING or f.default_factory is not MISSING)
    post_init = hasattr(cls, "__post_init__")
    # (what is done for each field here is done a column at a time where it can be: a start
    # makes ~45 __init__s, of ~600 fields in all)
    joined = "\0" + "\0".join(names) + "\0"       # does a name clash with the template's?
    if not frozen and not post_init and "\0_f" not in joined and "\0_FACTORY\0" not in joined:
        code = _template("init", len(names))
        attrs = dict(zip(_template_names(len(names)), names))
        code = code.replace(co_varnames=("self", *names), co_name="__init__", co_qualname=qualname,
                            co_names=tuple(map(attrs.get, code.co_names, code.co_names)))
        env: dict[str, Any] = {}
        if any(map(is_, defaults, repeat(_FACTORY))):
            env.update((f"_f{i}", f.default_factory) for i, f in enumerate(fields.values())
                       if f.default_factory is not MISSING)
        env["_FACTORY"] = _FACTORY
        init = FunctionType(code, env, "__init__", defaults)
    else:
        # frozen (fields set through object.__setattr__), or with a __post_init__: newN's code
        # renamed, which hands its arguments to _fill (nothing compiled at the first instance)
        factories = tuple(f.default_factory if f.default_factory is not MISSING else None
                          for f in fields.values())
        put = object.__setattr__ if frozen else setattr

        def _fill(self: Any, values: tuple) -> None:
            for name, value, factory in zip(names, values, factories):
                put(self, name, factory() if value is _FACTORY else value)
            if post_init:
                self.__post_init__()
        code = _template("new", len(names)).replace(co_varnames=("self", *names), co_name="__init__",
                                                    co_qualname=qualname)
        init = FunctionType(code, {"_tuple_new": _fill}, "__init__", defaults or None)
    init.__module__ = cls.__module__
    return init


@cache
def _template_names(n: int) -> tuple[str, ...]:
    """The attributes initN sets (n0, n1, ...), which each record's __init__ renames."""
    return tuple(f"n{i}" for i in range(n))


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple]:
    """The tuple of a record's fields NAMES."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        name = names[0]
        return lambda self: (getattr(self, name),)
    return lambda self: ()


def _repr(names: tuple[str, ...]) -> Callable[[Any], str]:
    """A __repr__ showing the fields NAMES as Class(name=value, ...), "..." where a record
    shows inside itself."""
    get = _getter(names)

    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        """The record as Class(name=value, ...)."""
        values = get(self)
        return f"{self.__class__.__qualname__}(" + ", ".join(
            f"{name}={value!r}" for name, value in zip(names, values)) + ")"
    return __repr__


def _eq(names: tuple[str, ...]) -> Callable[[Any, Any], Any]:
    """An __eq__ comparing the fields NAMES of two records of the same class."""
    get = _getter(names)

    def __eq__(self: Any, other: Any) -> Any:
        """Equal when of the same class with equal fields."""
        if other.__class__ is self.__class__:
            return get(self) == get(other)
        return NotImplemented
    return __eq__


def _hash(names: tuple[str, ...]) -> Callable[[Any], int]:
    """A __hash__ of the fields NAMES (a frozen record compared by its fields)."""
    get = _getter(names)

    def __hash__(self: Any) -> int:
        """The hash of the fields."""
        return hash(get(self))
    return __hash__


def _frozen(cls: type, names: frozenset[str]) -> None:
    """Make CLS's fields NAMES read-only, as dataclasses does for frozen=True."""
    def __setattr__(self: Any, name: str, value: Any) -> None:
        """Refuse to assign a field."""
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        """Refuse to delete a field."""
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)
    _put(cls, __setattr__)
    _put(cls, __delattr__)


def _put(cls: type, fn: Callable[..., Any]) -> None:
    """Make FN the method of CLS its name says (qualified as the class's)."""
    fn.__qualname__ = f"{cls.__qualname__}.{fn.__name__}"
    setattr(cls, fn.__name__, fn)


def _first_init(cls: type, fields: dict[str, Field], frozen: bool) -> Callable[..., None]:
    """CLS's __init__ until its first call, which makes the real one (_init()), puts it in
    its place and runs it: a start makes only the __init__s of the records it creates."""
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        """Make the record's __init__, then run it."""
        init = cls.__dict__["__init__"]
        if init is __init__:
            init = _init(cls, fields, frozen)
            cls.__init__ = init   # type: ignore[misc]
        init(self, *args, **kwargs)
    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _process(cls: type, eq: bool, frozen: bool) -> type:
    """Turn CLS into a record: its fields, __init__, __repr__, and per EQ and FROZEN __eq__,
    __hash__, __setattr__ and __delattr__ (where the body does not define them)."""
    fields = _fields(cls)
    cls.__record_fields__ = fields   # type: ignore[attr-defined]
    own = cls.__dict__
    if "__init__" not in own:
        cls.__init__ = _first_init(cls, fields, frozen)   # type: ignore[misc]
    if "__repr__" not in own:
        _put(cls, _repr(tuple(f.name for f in fields.values() if f.repr)))
    compared = tuple(f.name for f in fields.values() if f.compare)
    if eq and "__eq__" not in own:
        _put(cls, _eq(compared))
    class_hash = own.get("__hash__", MISSING)
    explicit_hash = not (class_hash is MISSING or (class_hash is None and "__eq__" in own))
    if eq and not explicit_hash:
        if frozen:
            _put(cls, _hash(compared))
        else:
            cls.__hash__ = None   # type: ignore[assignment]
    if frozen:
        _frozen(cls, frozenset(fields))
    if "__match_args__" not in own:
        cls.__match_args__ = tuple(fields)   # type: ignore[attr-defined]
    return cls


@dataclass_transform(field_specifiers=(field, Field))
def record(cls: type[T] | None = None, /, *, eq: bool = True, frozen: bool = False) -> Any:
    """Class decorator (as @dataclasses.dataclass with these options): the annotated class
    attributes become fields set by a generated __init__; a __repr__ shows them; EQ adds ==
    by fields (and makes the class unhashable unless FROZEN, when it hashes its fields);
    FROZEN makes the fields read-only."""
    if cls is None:
        return lambda c: _process(c, eq, frozen)
    return _process(cls, eq, frozen)


def replace(obj: T, /, **changes: Any) -> T:
    """A new record of OBJ's class with OBJ's fields but CHANGES (its __post_init__ runs again)."""
    fields = getattr(type(obj), "__record_fields__", None)
    if fields is None:
        raise TypeError("replace() should be called on record instances")
    for name in fields:
        if name not in changes:
            changes[name] = getattr(obj, name)
    return obj.__class__(**changes)   # type: ignore[call-arg]


def fields(obj: Any) -> tuple[Field, ...]:
    """The fields of a record or record class, in order."""
    found = getattr(obj, "__record_fields__", None)
    if found is None:
        raise TypeError("must be called with a record type or instance")
    return tuple(found.values())



# --- record tuples: typing.NamedTuple's classes, made without its cost ------------------------
_TUPLE_RESERVED = frozenset({"__new__", "__init__", "__slots__", "__getnewargs__", "_fields",
                             "_field_defaults", "_make", "_replace", "_asdict", "_source"})


def _tuple_make(cls: type[T], iterable: Iterable[Any]) -> T:
    """The record tuple of CLS holding ITERABLE's values."""
    result = tuple.__new__(cls, iterable)
    if len(result) != len(cls._fields):   # type: ignore[attr-defined]
        raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(result)}")   # type: ignore[attr-defined]
    return result   # type: ignore[return-value]


def _tuple_replace(self: Any, /, **changes: Any) -> Any:
    """A new tuple with CHANGES to its fields."""
    result = self._make(map(changes.pop, self._fields, self))
    if changes:
        raise ValueError(f"Got unexpected field names: {list(changes)!r}")
    return result


def _tuple_repr(self: Any) -> str:
    """The tuple as Name(field=value, ...)."""
    return f"{self.__class__.__name__}(" + ", ".join(
        f"{name}={value!r}" for name, value in zip(self._fields, self)) + ")"


def _tuple_asdict(self: Any) -> dict[str, Any]:
    """The fields by name."""
    return dict(zip(self._fields, self))


def _tuple_getnewargs(self: Any) -> tuple:
    """The values as a plain tuple (copy and pickle)."""
    return tuple(self)


def _tuple_class(name: str, ns: dict[str, Any]) -> type:
    """The tuple class the body NS of `class NAME(RecordTuple)` describes, as typing.NamedTuple
    makes it (collections.namedtuple's attributes, then the body's own) but without turning
    each annotation into a ForwardRef or compiling a __new__ per class."""
    annotations = ns.get("__annotations__", {})
    names = tuple(annotations)
    defaults = []
    for field_name in names:
        if field_name in ns:
            defaults.append(ns[field_name])
        elif defaults:
            raise TypeError(f"Non-default namedtuple field {field_name} cannot follow default field"
                            f"{'s' if len(defaults) > 1 else ''} {', '.join(names[:len(defaults)])}")
    code = _template("new", len(names)).replace(co_varnames=("_cls", *names), co_name="__new__",
                                                co_qualname=f"{name}.__new__")
    new = FunctionType(code, {"_tuple_new": tuple.__new__}, "__new__", tuple(defaults) or None)
    new.__doc__ = f"Create new instance of {name}({', '.join(names)})"
    attrs: dict[str, Any] = {
        "__doc__": f"{name}({', '.join(names)})", "__slots__": (), "_fields": names,
        "_field_defaults": dict(zip(names[len(names) - len(defaults):], defaults)),
        "__new__": new, "_make": classmethod(_tuple_make), "_replace": _tuple_replace,
        "__repr__": _tuple_repr, "_asdict": _tuple_asdict, "__getnewargs__": _tuple_getnewargs,
        "__match_args__": names, "__annotations__": annotations,
    }
    for index, field_name in enumerate(names):
        attrs[field_name] = _tuplegetter(index, f"Alias for field number {index}")
    for key, value in ns.items():
        if key in _TUPLE_RESERVED:
            raise AttributeError("Cannot overwrite NamedTuple attribute " + key)
        if key not in names and key != "__annotations__":
            attrs[key] = value
    new.__module__ = attrs.get("__module__", __name__)
    return type(name, (tuple,), attrs)


class _RecordTupleMeta(type):
    """Makes `class Name(RecordTuple)` a tuple class (_tuple_class())."""

    def __new__(mcls, name: str, bases: tuple[type, ...], ns: dict[str, Any]) -> type:
        """RecordTuple itself, or the tuple class a body describes."""
        if not bases:
            return super().__new__(mcls, name, bases, ns)
        if bases != (RecordTuple,):
            raise TypeError("a record tuple inherits from RecordTuple only")
        return _tuple_class(name, ns)


if TYPE_CHECKING:
    from typing import NamedTuple as RecordTuple
else:
    class RecordTuple(metaclass=_RecordTupleMeta):
        """Base of tuple classes declared as typing.NamedTuple's are (annotated fields, defaults,
        methods): `class Rela(RecordTuple): offset: int ...`; the class made is a plain tuple
        subclass with namedtuple's attributes (_fields, _replace(), _asdict(), _make())."""

if __name__ == "__main__":
    import sys
    text = templates_source()
    if sys.argv[1:] == ["--check"]:
        sys.exit(0 if TEMPLATES_PATH.read_text() == text else 1)
    TEMPLATES_PATH.write_text(text)
