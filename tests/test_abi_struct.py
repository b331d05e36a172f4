"""kernel/abi.py's layout engine (Struct, Field, arrays) against ctypes' LittleEndianStructure,
which lays structures out as the x86-64 System V ABI does: every offset and size alike."""

from __future__ import annotations

import ctypes

import pytest

from kernel import abi
from kernel.abi import Struct, struct

# each scalar of kernel/abi.py and the ctypes type of the same C type
SCALARS = {abi._u8: ctypes.c_uint8, abi._s8: ctypes.c_int8, abi._char: ctypes.c_char,
           abi._bool: ctypes.c_bool, abi._u16: ctypes.c_uint16, abi._s16: ctypes.c_int16,
           abi._int: ctypes.c_int32, abi._uint: ctypes.c_uint32, abi._long: ctypes.c_int64,
           abi._ulong: ctypes.c_uint64, abi._u64: ctypes.c_uint64, abi._ptr: ctypes.c_uint64}


def as_ctypes(t: abi.CType, made: dict[int, type] | None = None) -> type:
    """The ctypes type declared as T is (a LittleEndianStructure for a Struct)."""
    made = {} if made is None else made
    if isinstance(t, abi.Scalar):
        return SCALARS[t]
    if isinstance(t, abi.Array):
        return as_ctypes(t.elem, made) * t.count
    assert isinstance(t, Struct)
    if id(t) not in made:
        fields = [(name, as_ctypes(ft, made)) for name, ft in t._fields_]
        made[id(t)] = type(t.__name__, (ctypes.LittleEndianStructure,), {"_fields_": fields})
    return made[id(t)]


def layout(t: Struct) -> list[tuple[str, int, int]]:
    return [(name, getattr(t, name).offset, getattr(t, name).size) for name, _ in t._fields_]


def ctypes_layout(t: Struct) -> tuple[int, list[tuple[str, int, int]]]:
    c = as_ctypes(t)
    return ctypes.sizeof(c), [(name, getattr(c, name).offset, getattr(c, name).size)
                              for name, _ in t._fields_]


_Inner = struct("Inner", [("a", abi._u8), ("b", abi._ulong), ("c", abi._u16)])   # 24, 8-aligned
_Short = struct("Short", [("x", abi._u16), ("y", abi._u8)])                      # 4, 2-aligned
REPRESENTATIVE = {
    "mixed sizes": struct("Mixed", [("a", abi._u8), ("b", abi._u16), ("c", abi._u8),
                                    ("d", abi._int), ("e", abi._s8), ("f", abi._ptr)]),
    "tail padding": struct("Tail", [("p", abi._ptr), ("flag", abi._bool)]),
    "only bytes": struct("Bytes", [("a", abi._u8), ("b", abi._char * 3)]),
    "nested": struct("Outer", [("c", abi._char), ("inner", _Inner), ("s", _Short),
                               ("t", _Short), ("u", abi._u8)]),
    "arrays": struct("Arrays", [("n", abi._char * 5), ("w", abi._u16 * 3), ("q", abi._u64 * 2),
                                ("s", _Short * 3), ("i", _Inner * 2), ("z", abi._int * 0)]),
    "nested with tail padding": struct("Wrap", [("inner", _Inner), ("last", abi._u8)]),
}


@pytest.mark.parametrize("what", list(REPRESENTATIVE))
def test_struct_layout_matches_ctypes(what: str) -> None:
    t = REPRESENTATIVE[what]
    assert (t.size, layout(t)) == ctypes_layout(t)
    assert t._align_ == ctypes.alignment(as_ctypes(t))


def test_every_abi_struct_matches_ctypes() -> None:
    for cname, (t, _) in (*abi.STRUCTS.items(), *abi.STRUCTS_5_4.items()):
        assert (t.size, layout(t)) == ctypes_layout(t), cname


def test_known_layouts() -> None:
    """Offsets worked out by hand, so that the engine is not only checked against ctypes."""
    tail = REPRESENTATIVE["tail padding"]
    assert (tail.p.offset, tail.flag.offset, tail.size) == (0, 8, 16)
    outer = REPRESENTATIVE["nested"]
    assert [getattr(outer, n).offset for n in ("c", "inner", "s", "t", "u")] == [0, 8, 32, 36, 40]
    assert outer.size == 48 and outer.inner.size == 24
    arrays = REPRESENTATIVE["arrays"]
    assert [getattr(arrays, n).offset for n in ("n", "w", "q", "s", "i", "z")] == [0, 6, 16, 32, 48, 96]
    assert arrays.size == 96


def test_fields_keep_their_declaration() -> None:
    t = REPRESENTATIVE["nested"]
    assert dict(t._fields_)["inner"] is _Inner
    assert t.inner.type is _Inner and t.inner.name == "inner"
    assert abi.Module.name.size == abi.MODULE_NAME_LEN and abi.Module.__name__ == "Module"


def test_a_struct_is_laid_out_at_its_first_use() -> None:
    t = struct("Late", [("a", abi._u8), ("b", abi._int)])
    assert type(t) is not Struct and "size" not in vars(t)
    assert t.b.offset == 4 and type(t) is Struct and t.size == 8
    with pytest.raises(AttributeError, match="c"):
        t.c
    with pytest.raises(AttributeError):
        struct("Never", [("a", abi._u8)]).c
    assert struct("Outer", [("x", abi._u8), ("t", struct("Inner", [("q", abi._long)]))]).t.offset == 8


@pytest.mark.parametrize("name", ["size", "_align_", "a"])
def test_a_field_cannot_hide_the_layout_or_another_field(name: str) -> None:
    with pytest.raises(ValueError, match="taken"):
        struct("Bad", [("a", abi._int), (name, abi._int)]).size
