"""Each Python kernel function takes its arguments as untrusted guest values: bad pointers
fault in the calling task, sizes past memory give NULL/-ENOMEM or the kernel's WARN, and a
failure of the Python code itself would be a `kernel BUG at kernel/...py` (none is)."""

from __future__ import annotations

import pytest

from conftest import needs_kernel
from fuzz.common import Findings, host_bugs
from fuzz.kernel_calls import fuzz_kernel_calls
from kernel.errno import Errno, KernelError
from kernel.sched import TaskKilled

pytestmark = needs_kernel
MASK = (1 << 64) - 1


def call(k, name: str, *args: int) -> int | str:
    """NAME(ARGS) from a user task as module code would call it; its rax, or how it ended."""
    stub = k.cpu.stub_by_name[name]
    try:
        return k.syscall("fuzz", lambda: k.cpu.call(k.current, stub.addr, args, via="do_syscall_64"))
    except KernelError as e:
        return f"error {e.errno.name}"
    except TaskKilled:
        return "killed"


def buf(k, n: int = 4096) -> int:
    a = k.heap.alloc(n)
    k.mem.zero(a, n)
    return a


def cstr(k, s: str) -> int:
    a = buf(k, len(s) + 1)
    k.mem.put_cstr(a, s)
    return a


def test_no_llseek_is_espipe(kernel):
    assert call(kernel, "no_llseek", buf(kernel), 0, 0) == -Errno.ESPIPE & MASK


def test_proc_create_without_fops_is_the_bug_on_of_4_19(kernel):
    out = call(kernel, "proc_create", cstr(kernel, "nofops"), 0o444, 0, 0)
    assert out == "error EFAULT"                   # the Oops ends the system call
    text = "\n".join(kernel.lines)
    assert "kernel BUG at fs/proc/generic.c:540!" in text
    assert "RSP: 0018:" in text and not host_bugs(kernel.lines)
    assert not kernel.fs.exists("/proc/nofops")


def test_huge_kmalloc_warns_once_and_gives_null(kernel):
    assert call(kernel, "__kmalloc", 1 << 40, 0xCC0) == 0
    warn = [l for l in kernel.lines if l.startswith("WARNING: ")]
    assert len(warn) == 1 and " at mm/page_alloc.c:" in warn[0] and "__alloc_pages_nodemask" in warn[0]
    assert "kmalloc_order_trace" in "\n".join(kernel.lines)
    n = len(kernel.lines)
    assert call(kernel, "__kmalloc", 1 << 40, 0xCC0) == 0     # WARN_ON_ONCE
    assert call(kernel, "kmalloc_array", 1 << 62, 8, 0xCC0) == 0   # overflow: quietly NULL
    assert kernel.lines[n:] == []
    assert call(kernel, "__kmalloc", 4 << 20, 0xCC0) not in (0, 16)   # the largest order is fine


def test_gfp_nowarn_keeps_quiet(kernel):
    assert call(kernel, "__kmalloc", MASK, 0xCC0 | 0x200) == 0
    assert not any(l.startswith("WARNING") for l in kernel.lines)


def test_seq_open_private_with_a_negative_size_is_enomem(kernel):
    file = buf(kernel)
    assert call(kernel, "seq_open_private", file, buf(kernel), (-5) & MASK) == -Errno.ENOMEM & MASK
    assert any(" at mm/page_alloc.c:" in l for l in kernel.lines)
    assert not host_bugs(kernel.lines)


def test_get_random_bytes_past_the_end_of_memory_faults(kernel):
    out = call(kernel, "get_random_bytes", buf(kernel), 0x7FFF_FFFF)
    assert out == "error EFAULT"
    assert any(l.startswith("BUG: unable to handle kernel paging request at ") for l in kernel.lines)
    assert not host_bugs(kernel.lines)
    n = len(kernel.lines)
    b = buf(kernel)
    call(kernel, "get_random_bytes", b, 0x8000_0000)       # a negative int: nothing at all
    assert kernel.lines[n:] == [] and kernel.mem.read(b, 64) == bytes(64)


@pytest.mark.parametrize("name", ["proc_single_open", "proc_seq_open", "proc_seq_release"])
def test_proc_open_helpers_on_an_inode_that_is_no_proc_inode(kernel, name):
    inode = buf(kernel) + 64                  # zeroed memory: PDE(inode) reads NULL
    assert call(kernel, name, inode, buf(kernel)) == "error EFAULT"
    assert "BUG: unable to handle kernel NULL pointer dereference at 0000000000000038" in kernel.lines
    assert not host_bugs(kernel.lines)


def test_random_calls_to_every_kernel_function(elf_cache):
    f = Findings("kernel calls")
    fuzz_kernel_calls(419, 400, f, elf_cache=elf_cache)
    assert f.clean, f.samples
    assert f.outcomes.get("returned", 0) > 100


def test_chrdev_region_numbers_wrap_as_dev_t(kernel):
    """FROM + COUNT is a 32-bit dev_t sum, as in 4.19: a range that wraps spans nothing (the
    loop over majors never ended when the sum did not wrap)."""
    assert call(kernel, "register_chrdev_region", MASK, 9, cstr(kernel, "wrap")) == 0
    call(kernel, "unregister_chrdev_region", MASK - 15, 8)          # returns, quietly
    assert "wrap" not in kernel.fs.read("/proc/devices")


def test_the_seventh_argument_is_read_from_the_callers_stack(kernel):
    """kmem_cache_create_usercopy(name, size, align, flags, useroffset, usersize, ctor): ctor
    is passed on the stack (SysV), and is what the cache keeps."""
    ctor = kernel.cpu.stub_by_name["kfree"].addr
    addr = call(kernel, "kmem_cache_create_usercopy", cstr(kernel, "seven"), 64, 8, 0, 0, 64, ctor)
    assert kernel.slab.caches[addr].ctor == ctor and kernel.slab.caches[addr].name == "seven"


def test_a_star_width_or_precision_too_large_for_printf_spec_warns_once_and_is_clamped(kernel):
    """struct printf_spec holds the field width in 24 bits, the precision in 16:
    set_field_width()/set_precision() WARN_ONCE and clamp ('%*d' with 0x7fffffff padded
    2 GiB of spaces, seconds of work); dev_printk's line is cut at LOG_LINE_MAX as printk's."""
    from kernel.api.printk import LOG_LINE_MAX
    fmt = cstr(kernel, "%*d|%.*s|%*d\n")
    text = cstr(kernel, "abcdef")
    call(kernel, "printk", fmt, 0x7FFF_FFFF, 7, -5 & MASK, text, -(1 << 30) & MASK, 8)
    lines = list(kernel.lines)
    assert lines.count("field width 2147483647 too large") == 1
    assert any(l.startswith("WARNING: CPU: 0 PID: ") and " at lib/vsprintf.c:2181 set_field_width" in l
               for l in lines)
    assert not any("field width -1073741824" in l for l in lines)       # WARN_ONCE
    # the line is stored first, the WARN that formatting it raised after it (printk_safe)
    out = lines[0]
    assert len(out) == LOG_LINE_MAX - 1 and out == " " * len(out)       # the first field only fits
    n = len(kernel.lines)
    call(kernel, "printk", cstr(kernel, "%.*s|%-*d|\n"), -5 & MASK, text, -3 & MASK, 1)
    assert kernel.lines[n:] == ["abcdef|1  |"]    # a negative precision is none; width -3 is left
    n = len(kernel.lines)
    call(kernel, "printk", cstr(kernel, "%.*s\n"), 1 << 20, text)
    assert kernel.lines[n] == "abcdef" and "precision 1048576 too large" in kernel.lines[n:]
    n = len(kernel.lines)
    call(kernel, "dev_notice", 0, cstr(kernel, "%*d\n"), 1 << 22, 1)
    call(kernel, "printk", cstr(kernel, "\x016next\n"))   # its newline was cut: a new line ends it
    assert kernel.lines[-1] == "next"
    assert len(kernel.lines[-2]) == LOG_LINE_MAX - 1 and kernel.lines[-2].startswith("(NULL device *):  ")


def _kprobe_array(k, *symbols: str) -> tuple[int, list[int]]:
    """kps[]: one zeroed struct kprobe per SYMBOL (symbol_name set), and the array of them."""
    from kernel.abi import Kprobe
    probes = []
    for sym in symbols:
        p = buf(k, Kprobe.size)
        k.mem.set_u64(p + Kprobe.symbol_name.offset, cstr(k, sym))
        probes.append(p)
    arr = buf(k, 8 * (len(probes) + 1))         # a NULL entry after the last
    for i, p in enumerate(probes):
        k.mem.set_u64(arr + 8 * i, p)
    return arr, probes


def test_register_kprobes_takes_back_the_ones_before_a_failure(kernel):
    arr, (good, bad) = _kprobe_array(kernel, "cmdline_proc_show", "no_such_function_here")
    assert call(kernel, "register_kprobes", arr, 2) == -Errno.ENOENT & MASK
    assert not kernel.kprobes.table                     # the first was unregistered again
    arr, probes = _kprobe_array(kernel, "cmdline_proc_show", "cmdline_proc_show")
    assert call(kernel, "register_kprobes", arr, 2) == 0
    assert len(kernel.kprobes.table) == 1               # one site, an aggregate of the two
    call(kernel, "unregister_kprobes", arr, 2)
    assert not kernel.kprobes.table


def test_a_huge_count_stops_at_the_first_bad_entry(kernel):
    """kps[i] is read as the loop reaches it: the NULL after the one good entry is the Oops,
    at once (reading 2**31 entries first took seconds of a fuzz run)."""
    arr, _ = _kprobe_array(kernel, "cmdline_proc_show")
    assert call(kernel, "register_kprobes", arr, 1) == 0
    assert call(kernel, "unregister_kprobes", arr, 0x7FFF_FFFF) == "error EFAULT"   # the Oops
    assert "BUG: unable to handle kernel NULL pointer dereference" in "\n".join(kernel.lines)
    assert not kernel.kprobes.table and not host_bugs(kernel.lines)
