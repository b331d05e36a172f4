"""The one-time work of a process's first boot, done a column at a time (kernel.api's table,
kernel.cpu's stub slots, kernel.bootimage's stored link): the same results as a row at a time."""

from __future__ import annotations

import marshal

import pytest

from conftest import VMLINUX, needs_kernel


def _one_at_a_time(entries, used=0):
    """What stub_slots() gives ENTRIES (new, distinct names), built one entry at a time."""
    from kernel.cpu import stub_slots
    stubs, page, syms = [], bytearray(), []
    for i, entry in enumerate(entries):
        s, p, y = stub_slots([entry], used + i)
        stubs += s
        page += p
        syms += y
    return stubs, page, syms


def _fields(slots):
    stubs, page, syms = slots
    return [(s.name, s.func, s.nargs, s.variadic, s.addr) for s in stubs], bytes(page), syms


def test_a_run_of_new_stub_slots_is_laid_out_as_one_at_a_time():
    from kernel.cpu import stub_slots
    from kernel.module.kallsyms import KSym
    entries = [("f", print, 2, False), ("host_frame", None, 0, False), ("g", len, 1, True)]
    made = stub_slots(entries, 5)
    assert _fields(made) == _fields(_one_at_a_time(entries, 5))
    assert all(type(s) is KSym for s in made[2])
    # a name taken or given twice is skipped, as one at a time
    stubs, _, _ = stub_slots(entries + [("f", len, 0, False)], 0, {"g": None})
    assert [s.name for s in stubs] == ["f", "host_frame"]


def test_a_run_of_stub_slots_past_the_page_is_refused():
    from kernel.cpu import SLOT, stub_slots
    from kernel.mm import STUB_BASE, STUB_END
    room = (STUB_END - STUB_BASE) // SLOT
    entries = [(f"f{i}", print, 0, False) for i in range(3)]
    assert len(stub_slots(entries, room - 3)[0]) == 3
    with pytest.raises(RuntimeError, match="stub page full"):
        stub_slots(entries, room - 2)


def test_the_table_columns_are_its_rows():
    from kernel.api import export_columns, export_rows
    from kernel.api.exports import TABLE
    rows = []
    for line in TABLE.splitlines():
        name, module, nargs, *rest = line.split()
        rows.append((name, module, int(nargs), rest == ["variadic"]))
    assert export_rows() == rows
    assert list(zip(*export_columns())) == rows
    # rows of another shape are read one at a time, with the same result or error
    assert export_rows("a m 1 other\nb m 2 variadic\n") == [("a", "m", 1, False), ("b", "m", 2, True)]
    with pytest.raises(ValueError):
        export_rows("a m 1\nb m\n")
    assert export_rows("") == []


@needs_kernel
def test_a_stored_link_with_values_of_other_types_is_not_used(elf_cache, tmp_path, monkeypatch):
    from kernel import bootimage
    from kernel.api import exported_apis
    from kernel.machine import Kernel
    from kernel.module.kallsyms import KSym
    store = tmp_path / "store"
    monkeypatch.setattr(bootimage, "_store_dir", lambda: str(store))
    monkeypatch.setattr(bootimage, "_IMAGES", {})
    Kernel.boot(elf_cache=elf_cache).shutdown()
    entry, = store.iterdir()
    apis = exported_apis()
    data = VMLINUX.read_bytes()
    inputs = bootimage._inputs(data, apis)
    good = marshal.loads(entry.read_bytes())
    image = bootimage.load_link(str(entry), inputs, apis, data)
    assert image is not None and image.symbols == tuple(KSym(*s) for s in good[11])
    first = {}
    for s in image.symbols:
        first.setdefault(s.name, s.addr)
    assert image.first_symbols == first

    def broken(index, value):
        parts = list(good)
        parts[index] = value
        entry.write_bytes(marshal.dumps(tuple(parts)))
        return bootimage.load_link(str(entry), inputs, apis, data)
    assert broken(7, good[7] + ((1, 2),)) is None              # an export named by an int
    assert broken(7, good[7] + (("x",),)) is None              # an export without its address
    assert broken(9, good[9] + ((1, "2"),)) is None            # a section at a str
    assert broken(10, good[10] + (True,)) is None              # an fentry site that is a bool
    assert broken(11, good[11] + ((1, 2, "x", "T"),)) is None  # a symbol of four fields
    assert broken(11, good[11] + ("12345",)) is None           # a symbol that is no tuple
    assert broken(12, good[12] + (1.5,)) is None               # a symbol value that is a float
    assert broken(8, good[8] + (3,)) is None                   # a GPL export named by an int
    assert broken(7, good[7]) is not None                      # (the entry itself is good)


@needs_kernel
def test_the_first_machine_hands_on_only_what_it_changed_of_the_layout(elf_cache, monkeypatch):
    """The machine whose table built the boot layout lists only its own changes for the next
    machine to set back, not the layout's ranges (which that table already holds)."""
    from kernel import machine
    from kernel.mm import HEAP_BASE, HEAP_END, PAGE_SHIFT
    monkeypatch.setattr(machine, "_BOOT_PAGE_TABLES", {})
    k = machine.Kernel.boot(elf_cache=elf_cache)
    heap = ((HEAP_BASE - k.pagetable.base) >> PAGE_SHIFT, (HEAP_END - k.pagetable.base) >> PAGE_SHIFT)
    assert heap not in k.pagetable.changed
    layout = machine._BOOT_PAGE_TABLES[next(iter(machine._BOOT_PAGE_TABLES))]
    prot = bytearray(k.pagetable.prot)
    for lo, hi in k.pagetable.changed:          # setting those back gives the layout
        prot[lo:hi] = layout[lo:hi]
    assert bytes(prot) == layout
    k.shutdown()
