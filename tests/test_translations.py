"""Engines handed from one machine to the next keep their translations of the boot image's
code (kernel.cpu Board.translated), never of code a machine changed: a livepatched function
runs unpatched on the next machine, another kernel's image drops them all."""

from __future__ import annotations

from conftest import S, ko, needs_kernel

pytestmark = needs_kernel

PATCHED = "this has been live patched"


def _cmdline(k) -> str:
    """/proc/cmdline, which vmlinux's guest cmdline_proc_show() writes (livepatch-sample's target)."""
    return k.fs.read("/proc/cmdline")


def _patched_machine(elf_cache, kernel=None):
    from kernel.machine import Kernel
    k = Kernel.boot(elf_cache=elf_cache, kernel=kernel)
    original = _cmdline(k)                  # cmdline_proc_show() translated
    k.init_module(ko("livepatch-sample") if kernel is None else ko54("livepatch-sample"), "")
    k.run_for(3 * S)                        # the transition completes
    assert PATCHED in _cmdline(k)           # the patched entry translated too
    return k, original


def ko54(name: str) -> bytes:
    from conftest import ROOT
    return (ROOT / "modules" / "5.4" / f"{name}.ko").read_bytes()


def test_next_machine_runs_the_image_not_the_last_machines_patched_text(elf_cache):
    from kernel.machine import Kernel
    k, original = _patched_machine(elf_cache)
    engines = set(k.cpu.engines)
    k.shutdown()                            # powered off patched: the board is handed on
    k2 = Kernel.boot(elf_cache=elf_cache)
    assert engines & set(k2.cpu._pool)      # the same engines, translations kept ...
    assert k2.cpu.translated is not None
    assert _cmdline(k2) == original         # ... but not of the text livepatch changed
    assert PATCHED not in _cmdline(k2)
    k2.shutdown()


def _dup_count_b(k) -> int:
    """vmlinux's klpsh_dup_count_b() (returns 2), called in a system call."""
    fn = k.vmlinux.symbol("klpsh_dup_count_b")
    return k.syscall("test", lambda: k.cpu.call(k.current, fn, (), via="do_syscall_64"))


def test_text_a_machine_changed_is_translated_again_on_the_next(elf_cache):
    from kernel.machine import Kernel
    k = Kernel.boot(elf_cache=elf_cache)
    assert _dup_count_b(k) == 2
    k.cpu.write_text(k.vmlinux.symbol("klpsh_dup_count_b"), b"\xb8\x07\x00\x00\x00\xc3")  # mov $7, %eax; ret
    assert _dup_count_b(k) == 7
    engines = set(k.cpu.engines)
    k.shutdown()
    k2 = Kernel.boot(elf_cache=elf_cache)
    assert engines & set(k2.cpu._pool)
    assert _dup_count_b(k2) == 2            # the image's bytes, not the last machine's code
    k2.shutdown()


def test_stub_slots_of_a_machine_are_not_kept(elf_cache):
    """A stub slot added after boot (a host frame's ud2, a kernel function's nop; ret) may be
    another name's on the next machine: its translations go with the machine."""
    from kernel.machine import Kernel
    k = Kernel.boot(elf_cache=elf_cache)
    addr = k.cpu.add_stub("klpsh_test_slot", None).addr
    assert addr in k.cpu._patched
    k.shutdown()
    k2 = Kernel.boot(elf_cache=elf_cache)
    from kernel.cpu import SLOT
    from kernel.mm import STUB_BASE
    image_end = STUB_BASE + k2.cpu.image_stubs * SLOT
    assert all(a >= image_end for a in k2.cpu._patched)   # the image's own slots are the image
    k2.shutdown()


def test_another_kernels_image_drops_every_translation(elf_cache):
    from kernel.machine import Kernel
    k = Kernel.boot(elf_cache=elf_cache)
    _cmdline(k)
    image = k.cpu.translated
    k.shutdown()
    k54 = Kernel.boot(elf_cache=elf_cache, kernel="5.4")
    assert k54.cpu.translated is not image
    assert "5.4" in _cmdline(k54)
    k54.shutdown()
    k2 = Kernel.boot(elf_cache=elf_cache)
    assert "5.4" not in _cmdline(k2)
    k2.shutdown()


def test_translations_are_flushed_every_few_boots(elf_cache):
    """The translation buffer only grows while translations are kept (each module load
    translates anew): a board's engines start afresh every KEEP_TRANSLATIONS boots."""
    from kernel.cpu import KEEP_TRANSLATIONS
    from kernel.machine import Kernel
    kept = []
    for _ in range(2 * KEEP_TRANSLATIONS + 2):
        k = Kernel.boot(elf_cache=elf_cache)
        kept.append(k.cpu._kept)
        k.shutdown()
    assert max(kept) == KEEP_TRANSLATIONS
    assert kept.count(0) >= 2
