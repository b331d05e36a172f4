"""debugfs end to end through the shell (tests/modules/debugfs_demo.c): the tree under
/sys/kernel/debug, value files read and written as 4.19's fs/debugfs/file.c formats and
parses them, a module's own file_operations behind the full proxy, removal at rmmod, and a
module that leaves its files behind."""

from __future__ import annotations

import pytest

from conftest import needs_gcc, needs_kernel
from shell_session import module_shell, run

pytestmark = [needs_kernel, needs_gcc]

D = "/sys/kernel/debug/debugfs_demo"


@pytest.fixture
def shell(kernel, tmp_path, test_module):
    return module_shell(kernel, tmp_path, test_module, "debugfs_demo")


def test_tree_modes_and_creation_rules(shell):
    assert run(shell, "insmod debugfs_demo.ko") == [
        "debugfs_demo: duplicate u32: NULL, lookup sub: found (refs 2)"]
    listing = {ln.split()[-1] if "->" not in ln else ln.split()[-3]: ln
               for ln in run(shell, f"ls -l {D}")[1:]}
    assert listing["u32"].startswith("-rw-r--r-- 1 root root     0 ")
    assert listing["secret"].startswith("-r-------- ")
    assert listing["flag"].startswith("-rw------- ")
    assert listing["sub"].startswith("drwxr-xr-x 2 ")
    assert listing["value"].startswith("lrwxrwxrwx 1 root root     0 ")
    assert listing["value"].endswith("value -> u32")
    assert run(shell, "ls -l /sys/kernel/debug")[1].startswith("drwxr-xr-x 3 ")


def test_value_files_read_and_write_as_419(shell):
    run(shell, "insmod debugfs_demo.ko")
    reads = {"u8": "8", "u16": "16", "u32": "32", "u64": "64", "x32": "0x0000beef",
             "atomic": "-5", "size": "4096", "flag": "Y", "numbers": "1 22 333",
             "blob": "raw bytes", "message": "hello from debugfs", "value": "32",
             "sub/again": "32", "secret": "7", "even": "2", "twice": "42"}
    for name, want in reads.items():
        assert run(shell, f"cat {D}/{name}") == [want], name
    assert run(shell, f"echo 0x10 > {D}/u32") == []
    assert run(shell, f"cat {D}/u32") == ["16"]
    assert run(shell, f"cat {D}/sub/again") == ["16"], "the same variable"
    assert run(shell, f"echo -3 > {D}/u8") == []
    assert run(shell, f"cat {D}/u8") == ["253"]
    assert run(shell, f"echo 010 > {D}/u16") == []
    assert run(shell, f"cat {D}/u16") == ["8"], "base 0: a leading 0 is octal"
    assert run(shell, f"echo junk > {D}/u64") == []
    assert run(shell, f"cat {D}/u64") == ["0"], "simple_strtoll of no number is 0"
    # read-only value files: root opens them, simple_attr_write refuses
    assert run(shell, f"echo 1 > {D}/size") == ["bash: echo: write error: Permission denied"]
    assert run(shell, f"echo 1 > {D}/secret") == ["bash: echo: write error: Permission denied"]
    # a blob has no write operation at all
    assert run(shell, f"echo x > {D}/blob") == ["bash: echo: write error: Invalid argument"]
    # the module's own setter refusing a value
    assert run(shell, f"echo 3 > {D}/even") == ["bash: echo: write error: Invalid argument"]
    assert run(shell, f"echo 4 > {D}/even") == []
    assert run(shell, f"cat {D}/even") == ["4"]
    assert run(shell, f"echo off > {D}/flag") == []
    assert run(shell, f"cat {D}/flag") == ["N"]
    assert run(shell, f"echo maybe > {D}/flag") == []
    assert run(shell, f"cat {D}/flag") == ["N"], "no boolean: ignored"
    assert run(shell, f"echo bye > {D}/message") == ["debugfs_demo: message set (4 bytes)"]
    assert run(shell, f"cat {D}/message") == ["bye"]
    assert run(shell, f"cat {D}/summary") == ["message: 4 bytes", "u32: 16"]
    assert run(shell, f"poll {D}/message 0") == [
        f"poll([{{{D}/message, events=POLLIN}}], 1, 0) = 1 ([{{{D}/message, revents=POLLIN}}])"]
    assert run(shell, f"echo 100 > {D}/twice") == []
    assert run(shell, f"cat {D}/twice") == ["100"]
    assert run(shell, "rmmod debugfs_demo") == ["debugfs_demo: u32 is 16, flag is 0, half is 50"]
    assert run(shell, "ls /sys/kernel/debug") == ["kprobes"]    # the kernel's own: kernel/kprobes.c debugfs_kprobe_init()


def test_files_left_behind_fault_after_rmmod(shell, kernel):
    run(shell, "insmod debugfs_demo.ko leave=1")
    run(shell, "rmmod debugfs_demo")
    assert "u32" in run(shell, f"ls {D}")
    out = run(shell, f"cat {D}/u32")
    assert any("BUG: unable to handle kernel paging request" in ln for ln in out)
    assert any("RIP: 0010:debugfs_u32_get" in ln for ln in out)


def test_an_open_file_pins_its_module(shell, kernel):
    run(shell, "insmod debugfs_demo.ko")
    from kernel.fs.file import OpenFile
    node = kernel.vfs.lookup(f"{D}/message")
    mod = kernel.modules["debugfs_demo"]
    f = kernel.syscall("cat", lambda: OpenFile(kernel, node, 0).open())
    assert mod.refcnt == 1
    assert kernel.syscall("cat", lambda: f.read(100)) == b"hello from debugfs\n"
    kernel.syscall("cat", f.release)
    assert mod.refcnt == 0


def test_a_removed_file_that_is_still_open(shell, kernel):
    """debugfs_remove() of an open file: the proxy answers -EIO from then on; the dentry
    and inode live until the file is closed."""
    run(shell, "insmod debugfs_demo.ko")
    from kernel.errno import Errno, KernelError
    from kernel.fs.file import OpenFile
    node = kernel.vfs.lookup(f"{D}/message")
    f = kernel.syscall("cat", lambda: OpenFile(kernel, node, 0).open())
    dentry = node.dentry
    kernel.syscall("cat", lambda: kernel.debugfs.remove(kernel.debugfs.by_dentry[dentry]))
    assert not kernel.fs.exists(f"{D}/message")
    assert dentry in kernel.debugfs.by_dentry, "still open: not freed"
    with pytest.raises(KernelError) as e:
        kernel.syscall("cat", lambda: f.read(100))
    assert e.value.errno == Errno.EIO
    kernel.syscall("cat", f.release)
    assert dentry not in kernel.debugfs.by_dentry
    assert kernel.modules["debugfs_demo"].refcnt == 0


def test_creators_fail_with_err_ptr_on_5_4(tmp_path, elf_cache):
    """5.4's start_creating(): a name that is taken is ERR_PTR(-EEXIST), said with pr_err
    (4.19: NULL and nothing said); the rest of the module's files work the same."""
    from pathlib import Path

    from kernel import kbuild
    from kernel.machine import Kernel
    src = Path(__file__).resolve().parent / "modules" / "debugfs_demo.c"
    ko = kbuild.build_module(src, tmp_path, kernel="5.4").read_bytes()
    k = Kernel.boot(clock_mode="virtual", elf_cache=elf_cache, kernel="5.4")
    try:
        lines: list[str] = []
        k.printk.consoles.append(lambda r: lines.append(r.text))
        k.init_module(ko, "")
        assert "debugfs: File 'u32' in directory 'debugfs_demo' already present!" in lines
        assert "debugfs_demo: duplicate u32: created, lookup sub: found (refs 2)" in lines
        assert k.fs.read(f"{D}/u32") == "32\n"
        k.delete_module("debugfs_demo")
        assert not k.fs.exists(D)
    finally:
        k.shutdown()
