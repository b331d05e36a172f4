"""Boot reuse: the linked vmlinux image shared by the machines of a process (kernel.bootimage)
and the boards (memory and engines) that powered-off machines hand on (kernel.cpu)."""

from __future__ import annotations

import marshal
import shutil

import pytest

from conftest import S, VMLINUX, ko, needs_kernel

pytestmark = needs_kernel


def _image_state(k):
    """What linking produced in K: stub page bytes and vmlinux's bytes and tables."""
    from kernel.cpu import SLOT
    from kernel.mm import STUB_BASE
    vm = k.vmlinux
    # the API stubs come first; the rest (host frames, the ftrace trampoline) are per machine
    n = sum(1 for s in k.cpu.stubs if s.name in k.apis and k.apis[s.name].call is s.func)
    return (k.mem.read(STUB_BASE, len(k.cpu.stubs) * SLOT),
            [(s.name, s.addr, s.nargs, s.variadic, s.func) for s in k.cpu.stubs[:n]],
            [(s.name, s.addr) for s in k.cpu.stubs],
            k.mem.read(vm.base, vm.core_size), vm.base, vm.exports, vm.section_addr,
            vm.fentry_sites, vm.symbols, vm.sym_values,
            [(s.name, s.addr, s.type) for s in k.kallsyms.all()])


def test_a_boot_from_the_image_equals_a_boot_by_the_loader(elf_cache, tmp_path):
    from kernel.machine import Kernel
    from kernel import bootimage
    fresh = tmp_path / "vmlinux.o"
    shutil.copyfile(VMLINUX, fresh)             # a vmlinux object this process never linked
    assert not any(key[0] == str(fresh) for key in bootimage._IMAGES)
    linked = Kernel.boot(elf_cache=elf_cache, vmlinux=fresh)     # the loader links it
    assert any(key[0] == str(fresh) for key in bootimage._IMAGES)
    copied = Kernel.boot(elf_cache=elf_cache, vmlinux=fresh)     # installed from the image
    assert _image_state(copied) == _image_state(linked)
    assert copied.vmlinux is not linked.vmlinux
    assert copied.vmlinux.exports is not linked.vmlinux.exports  # its own tables
    for k in (linked, copied):
        assert k.fs.read("/proc/cmdline")            # vmlinux code runs (cmdline_proc_show)
        k.shutdown()


def test_a_changed_vmlinux_object_is_linked_again(elf_cache, tmp_path):
    from kernel.machine import Kernel
    from kernel import bootimage
    fresh = tmp_path / "vmlinux.o"
    shutil.copyfile(VMLINUX, fresh)
    Kernel.boot(elf_cache=elf_cache, vmlinux=fresh).shutdown()
    before = len(bootimage._IMAGES)
    data = bytearray(fresh.read_bytes())
    fresh.write_bytes(bytes(data) + b"\0" * 8)     # another file: size (and mtime) differ
    Kernel.boot(elf_cache=elf_cache, vmlinux=fresh).shutdown()
    assert len(bootimage._IMAGES) == before + 1


def test_a_powered_off_machine_hands_on_its_board_wiped(elf_cache):
    from kernel import cpu as cpumod
    from kernel.machine import Kernel
    from kernel.mm import HEAP_BASE
    cpumod.SPARE_BOARDS.clear()
    old = Kernel.boot(elf_cache=elf_cache)
    old.init_module(ko("livepatch-callbacks-busymod"), "sleep_secs=1")
    old.run_for(2 * S)
    addr = old.heap.alloc(64)
    old.mem.write(addr, b"left behind")
    engines = list(old.cpu.engines)
    old.shutdown()
    assert len(cpumod.SPARE_BOARDS) == 1
    with pytest.raises(ValueError):
        old.mem.u64(addr)                        # the old machine lost its memory
    old_records = len(old.printk.records)
    new = Kernel.boot(elf_cache=elf_cache)
    assert cpumod.SPARE_BOARDS == []
    assert new.cpu.engines[:len(engines)] == engines[:len(new.cpu.engines)]  # same engines
    assert new.mem.read(addr, 11) == bytes(11)   # zero again
    assert new.mem.read(HEAP_BASE, 4096) != b"left behind"
    # the engines' hooks call the new machine, and its code runs as on a new engine
    new.init_module(ko("livepatch-callbacks-busymod"), "sleep_secs=1")
    new.run_for(2 * S)
    assert [r.text for r in new.printk.records][-1].endswith("busymod_work_func exit")
    assert len(old.printk.records) == old_records   # nothing reached the old machine
    new.shutdown()


def test_a_machine_with_a_busy_engine_does_not_hand_its_board_on(elf_cache):
    from kernel import cpu as cpumod
    from kernel.machine import Kernel
    cpumod.SPARE_BOARDS.clear()
    k = Kernel.boot(elf_cache=elf_cache)
    k.cpu._pool.pop()              # an engine some guest call still holds
    assert k.cpu.power_off() is None
    assert cpumod.SPARE_BOARDS == []


def test_a_function_the_export_table_misses_still_links(elf_cache, monkeypatch):
    """A @kapi function kernel/api/exports.py does not list yet (a table behind the sources)
    gets its slot when something first links against it: vmlinux's and a module's printk."""
    from kernel import api
    from kernel.api import exports
    from kernel.machine import Kernel
    monkeypatch.setattr(exports, "TABLE", "".join(
        line + "\n" for line in exports.TABLE.splitlines() if line.split()[0] != "printk"))
    api.all_apis.cache_clear()
    api.exported_apis.cache_clear()
    try:
        k = Kernel.boot(elf_cache=elf_cache)
        assert "printk" not in k.apis
        stub = k.cpu.stub_by_name["printk"]
        assert k.cpu.stubs.index(stub) >= len(api.exported_apis())   # after the table's slots
        k.init_module(ko("livepatch-callbacks-mod"), "")
        assert any("livepatch_callbacks_mod_init" in r.text for r in k.printk.records)
        k.shutdown()
    finally:
        monkeypatch.undo()
        api.all_apis.cache_clear()
        api.exported_apis.cache_clear()
    assert "printk" in api.all_apis()


def _stored_boot(elf_cache, tmp_path, monkeypatch, name="a.o"):
    """Boot a copy of vmlinux.o at NAME, as the first boot of a process would (no image of it
    in this process), and say how its image came: 'stored' (from the store) or 'linked' (by
    the loader)."""
    from kernel.machine import Kernel
    from kernel import bootimage
    from kernel.module.elf import DeferredElfImage
    fresh = tmp_path / name
    if not fresh.exists():
        shutil.copyfile(VMLINUX, fresh)
    monkeypatch.setattr(bootimage, "_IMAGES", {})
    k = Kernel.boot(elf_cache=elf_cache, vmlinux=fresh)
    (_, image), = bootimage._IMAGES[bootimage._key(fresh)]
    return k, "stored" if isinstance(image.elf, DeferredElfImage) else "linked"


def test_a_boot_from_the_stored_link_equals_a_boot_by_the_loader(elf_cache, tmp_path, monkeypatch):
    from kernel import bootimage
    store = tmp_path / "store"
    monkeypatch.setattr(bootimage, "_store_dir", lambda: str(store))
    linked, how = _stored_boot(elf_cache, tmp_path, monkeypatch)
    assert how == "linked" and len(list(store.iterdir())) == 1
    stored, how = _stored_boot(elf_cache, tmp_path, monkeypatch)   # a later process's boot
    assert how == "stored"
    assert _image_state(stored) == _image_state(linked)
    assert stored.vmlinux.image.find_sec(".text") is not None     # parsed when read
    for k in (linked, stored):
        assert k.fs.read("/proc/cmdline")
        k.shutdown()
    other, how = _stored_boot(elf_cache, tmp_path, monkeypatch, "b.o")
    assert how == "linked" and len(list(store.iterdir())) == 2     # one entry per object
    other.shutdown()


def test_a_corrupt_stored_link_is_linked_again_and_replaced(elf_cache, tmp_path, monkeypatch):
    from kernel import bootimage
    store = tmp_path / "store"
    monkeypatch.setattr(bootimage, "_store_dir", lambda: str(store))
    first, _ = _stored_boot(elf_cache, tmp_path, monkeypatch)
    entry, = store.iterdir()
    good = entry.read_bytes()
    for bad in (good[:len(good) // 2], b"\xff" * 64, b""):
        entry.write_bytes(bad)
        k, how = _stored_boot(elf_cache, tmp_path, monkeypatch)
        assert how == "linked" and _image_state(k) == _image_state(first)
        # written again: the same entry (marshal's bytes may differ with which equal objects
        # the link happens to share, e.g. after other loads in the process; the content not)
        assert marshal.loads(entry.read_bytes()) == marshal.loads(good)
        k.shutdown()
    first.shutdown()


def test_a_stored_link_of_other_inputs_is_not_used(elf_cache, tmp_path, monkeypatch):
    from kernel import bootimage
    from kernel.api import exported_apis
    store = tmp_path / "store"
    monkeypatch.setattr(bootimage, "_store_dir", lambda: str(store))
    _stored_boot(elf_cache, tmp_path, monkeypatch)[0].shutdown()
    entry, = store.iterdir()
    apis = exported_apis()
    data = VMLINUX.read_bytes()
    inputs = bootimage._inputs(data, apis)
    assert bootimage.load_link(str(entry), inputs, apis, data) is not None
    assert bootimage.load_link(str(entry), inputs + b"\0", apis, data) is None
    assert bootimage._inputs(data + b"\0", apis) != inputs
    assert bootimage._inputs(data, apis[:-1]) != inputs
    # a kernel profile's functions have an entry of their own beside another's
    assert bootimage._entry_name(VMLINUX, apis) != bootimage._entry_name(VMLINUX, apis[:-1])


def test_an_unwritable_store_only_means_linking(elf_cache, tmp_path, monkeypatch):
    from kernel import bootimage
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setattr(bootimage, "_store_dir", lambda: str(blocker / "boot"))
    k, how = _stored_boot(elf_cache, tmp_path, monkeypatch)
    assert how == "linked" and k.fs.read("/proc/cmdline")
    k.shutdown()


def test_the_store_is_beside_the_bytecode_cache(monkeypatch, tmp_path):
    import sys
    from kernel import bootimage
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path / "klpsh" / "pycache"))
    assert bootimage._store_dir() == str(tmp_path / "klpsh" / "boot")
    monkeypatch.setattr(sys, "pycache_prefix", None)
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert bootimage._store_dir() is None                   # no bytecode written: no store
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # bytecode beside the sources
    assert bootimage._store_dir({"XDG_CACHE_HOME": str(tmp_path)}) == str(tmp_path / "klpsh" / "boot")
    assert bootimage._store_dir({"XDG_CACHE_HOME": "relative"}) is None  # as klpsh.entry's


def test_machines_booted_from_one_image_do_not_see_each_others_changes(elf_cache):
    from kernel.machine import Kernel
    Kernel.boot(elf_cache=elf_cache).shutdown()          # the image is there (and its BootStubs)
    a = Kernel.boot(elf_cache=elf_cache)
    b = Kernel.boot(elf_cache=elf_cache)
    assert a.boot_image is b.boot_image
    vm = a.vmlinux
    assert vm.exports is not b.vmlinux.exports           # each machine its own view
    with pytest.raises(TypeError):
        vm.exports["klpsh_test_export"] = 1              # vmlinux's tables are read-only
    with pytest.raises(TypeError):
        vm.section_addr[0] = 1
    for table in (vm.gpl_exports, vm.fentry_sites):
        with pytest.raises(AttributeError):
            table.add(1)                                 # type: ignore[attr-defined]
    for column in (vm.symbols, vm.sym_values):
        with pytest.raises(AttributeError):
            column.append(0)                             # type: ignore[attr-defined]
    index_b = [(s.name, s.addr) for s in b.kallsyms.all()]
    a.init_module(ko("livepatch-callbacks-busymod"), "sleep_secs=0")   # A's module and symbols
    stub = a.cpu.add_stub("klpsh_test_stub", lambda: 0)               # and a slot of A's own
    assert a.kallsyms.find("klpsh_test_stub") is not None
    assert any(s.owner == "livepatch_callbacks_busymod" for s in a.kallsyms.all())
    assert a.kallsyms.lookup(stub.addr).name == "klpsh_test_stub"
    assert [(s.name, s.addr) for s in b.kallsyms.all()] == index_b      # B sees none of them
    assert b.kallsyms.find("klpsh_test_stub") is None
    assert "klpsh_test_stub" not in b.cpu.stub_by_name
    c = Kernel.boot(elf_cache=elf_cache)                  # nor does a later boot of the image
    assert [(s.name, s.addr) for s in c.kallsyms.all()] == index_b
    assert c.kallsyms.find("klpsh_test_stub") is None and "klpsh_test_stub" not in c.cpu.stub_by_name
    assert not c.loader.modules
    for k in (a, b, c):
        k.shutdown()
