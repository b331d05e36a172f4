"""Bad input never crashes the machine: truncated and corrupted .ko files (deterministic
seeds), wrong ELF class/machine, junk written to every writable /sys and /proc file, and a
short run of the fuzzers of fuzz/ (mutated modules, random shell lines; `fuzz/run.py` runs
them at length).
Each case must end in a KernelError (insmod wording) or a TaskKilled, never anything else,
and the modules loaded before it must still be there."""

from __future__ import annotations

import struct

import pytest

from conftest import S, ko, needs_kernel
from fuzz.common import Findings
from fuzz.elf_mutants import fuzz_elf_mutants, mutations, unload_all_but
from fuzz.shell_input import fuzz_shell_input
from kernel.errno import Errno, KernelError
from kernel.sched import TaskKilled

pytestmark = needs_kernel
SEED = 419
SAMPLE = "livepatch-callbacks-demo"


def _try_load(kernel, image: bytes) -> str:
    try:
        kernel.init_module(image, "")
    except KernelError as e:
        return f"err {e.errno}"
    except TaskKilled:
        return "killed"
    return "loaded"


@pytest.mark.parametrize("module", ["livepatch-callbacks-demo", "livepatch-shadow-fix1",
                                    "livepatch-callbacks-busymod"])
def test_corrupted_modules_fail_cleanly(elf_cache, module):
    from kernel.machine import Kernel
    data = ko(module)
    outcomes: dict[str, int] = {}
    kernel = Kernel.boot(elf_cache=elf_cache)
    kernel.init_module(ko("livepatch-callbacks-mod"), "")
    for kind, image in mutations(data, 70, SEED):
        res = _try_load(kernel, image)
        outcomes[res] = outcomes.get(res, 0) + 1
        assert "livepatch_callbacks_mod" in kernel.modules, kind
        if res == "killed" or not unload_all_but(kernel, "livepatch_callbacks_mod"):
            # a module half loaded or half removed stays for good: start afresh
            kernel = Kernel.boot(elf_cache=elf_cache)
            kernel.init_module(ko("livepatch-callbacks-mod"), "")
    assert outcomes.get(f"err {Errno.ENOEXEC}", 0) > 10       # most corruption is caught at parse
    # and the machine still does its job afterwards
    unload_all_but(kernel, "livepatch_callbacks_mod")
    kernel.init_module(ko("livepatch-sample"), "")
    kernel.run_for(2 * S)
    assert kernel.fs.read("/proc/cmdline") == "this has been live patched\n"


@pytest.mark.parametrize("offset_fraction", [0.0, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.9999])
def test_truncated_at_many_offsets(kernel, offset_fraction):
    data = ko(SAMPLE)
    with pytest.raises(KernelError) as e:
        kernel.init_module(data[:int(len(data) * offset_fraction)], "")
    assert e.value.errno == Errno.ENOEXEC


@pytest.mark.parametrize("patch", [
    (4, b"\x01"),                    # ELFCLASS32
    (5, b"\x02"),                    # big-endian
    (0x10, b"\x02\x00"),             # ET_EXEC
    (0x12, b"\x03\x00"),             # EM_386
    (0x3A, b"\x28\x00"),             # e_shentsize 40
    (0x28, b"\xff" * 8),             # e_shoff far past the end
    (0x3C, b"\xff\xff"),             # e_shnum huge
])
def test_wrong_elf_header(kernel, patch):
    off, raw = patch
    data = bytearray(ko(SAMPLE))
    data[off:off + len(raw)] = raw
    with pytest.raises(KernelError) as e:
        kernel.init_module(bytes(data), "")
    assert e.value.errno == Errno.ENOEXEC


def test_huge_section_size_is_enomem_or_enoexec(kernel):
    data = bytearray(ko("livepatch-callbacks-mod"))
    shoff = struct.unpack_from("<Q", data, 0x28)[0]
    shnum = struct.unpack_from("<H", data, 0x3C)[0]
    bss = next(i for i in range(shnum) if struct.unpack_from("<I", data, shoff + 64 * i + 4)[0] == 8)
    struct.pack_into("<Q", data, shoff + 64 * bss + 32, 1 << 40)
    with pytest.raises(KernelError) as e:
        kernel.init_module(bytes(data), "")
    assert e.value.errno in (Errno.ENOMEM, Errno.ENOEXEC)
    kernel.init_module(ko("livepatch-callbacks-mod"), "")


def _writable_files(kernel, root: str) -> list[str]:
    out = []
    for name in kernel.fs.listdir(root):
        path = f"{root}/{name}"
        if kernel.fs.isdir(path):
            if not path.startswith("/proc/") or path.count("/") < 3:
                out.extend(_writable_files(kernel, path))
        else:
            out.append(path)
    return out


def test_junk_written_to_every_file(kernel):
    kernel.init_module(ko("livepatch-callbacks-busymod"), "sleep_secs=0")
    kernel.init_module(ko("livepatch-callbacks-demo"), "")
    files = _writable_files(kernel, "/sys") + ["/proc/cmdline", "/proc/meminfo", "/proc/modules",
                                                "/proc/sys/kernel/tainted"]
    junk = ["", "\n", "-1\n", "2\n", "99999999999999999999999\n", "y", "off\n", "0x\n", "\x00\xff",
            "a" * 5000, "1 2\n", "-\n"]
    for path in files:
        for value in junk:
            try:
                kernel.fs.write(path, value)
            except KernelError:
                pass
            try:
                kernel.fs.read(path)
            except KernelError:
                pass
        kernel.run_for(S // 10)
    kernel.run_for(3 * S)
    assert {"livepatch_callbacks_busymod", "livepatch_callbacks_demo"} <= set(kernel.modules)


def test_quick_fuzz_of_mutated_modules(elf_cache):
    f = Findings("mutated modules")
    fuzz_elf_mutants(SEED, 600, f, elf_cache=elf_cache)
    assert f.clean, f.samples
    assert f.outcomes.get("loaded", 0) > 50 and f.outcomes.get("errno ENOEXEC", 0) > 100


def test_quick_fuzz_of_shell_lines(elf_cache):
    f = Findings("shell lines")
    fuzz_shell_input(SEED, 1500, f, elf_cache=elf_cache)
    assert f.clean, f.samples
