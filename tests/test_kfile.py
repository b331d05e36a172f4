"""Files from the kernel and the machine's regular files, end to end through the shell:
tmpfs under / (`echo >`, `>>`, `cat`, `ls -l`), filp_open()/kernel_write()/vfs_read()/
vfs_llseek()/kernel_read_file_from_path() of a module (tests/modules/kfile_demo.c), and
the address limit: vfs_read() into a kernel buffer is -EFAULT under USER_DS and works after
set_fs(KERNEL_DS) or in a kernel thread, as on 4.19."""

from __future__ import annotations

import pytest

from conftest import needs_gcc, needs_kernel
from shell_session import STAMP, module_shell, run

pytestmark = [needs_kernel, needs_gcc]


@pytest.fixture
def shell(kernel, tmp_path, test_module):
    return module_shell(kernel, tmp_path, test_module, "kfile_demo")


def test_regular_files_in_the_shell(shell):
    assert "drwxrwxrwt 2 root root     0 Oct 22 00:00 tmp" in run(shell, "ls -l /")
    assert run(shell, "echo hello > /tmp/x") == []
    assert run(shell, "echo world >> /tmp/x") == []
    assert run(shell, "cat /tmp/x") == ["hello", "world"]
    assert run(shell, "ls -l /tmp") == ["total 0", "-rw-r--r-- 1 root root    12 Oct 22 00:00 x"]
    assert run(shell, "grep -c o /tmp/x") == ["2"]
    assert run(shell, "echo again > /tmp/x") == [] and run(shell, "cat /tmp/x") == ["again"]
    assert run(shell, "echo -n > /tmp/x") == [] and run(shell, "wc -c /tmp/x") == ["0 /tmp/x"]
    assert run(shell, "echo top > /top.txt") == [] and run(shell, "cat /top.txt") == ["top"]
    assert run(shell, "echo a > /nodir/x") == ["bash: /nodir/x: No such file or directory"]
    assert run(shell, "echo a > /proc/newfile") == ["bash: /proc/newfile: No such file or directory"]
    assert run(shell, "echo a > /tmp") == ["bash: /tmp: Is a directory"]
    assert run(shell, "cat /tmp") == ["cat: /tmp: Is a directory"]
    assert run(shell, "cat /tmp/none") == ["cat: /tmp/none: No such file or directory"]
    assert run(shell, "rm /tmp/x /top.txt") == [] and run(shell, "ls /tmp") == []
    assert run(shell, "cat /tmp/x") == ["cat: /tmp/x: No such file or directory"]
    assert run(shell, "rm /tmp") == ["rm: cannot remove '/tmp': Is a directory"]


def test_a_module_writes_and_reads_a_file(shell, kernel):
    assert run(shell, "insmod kfile_demo.ko") == [
        "kfile_demo: wrote 22 bytes, pos 22, i_size 22",
        "kfile_demo: vfs_read without set_fs: -14",
        "kfile_demo: vfs_read with KERNEL_DS: 22: hello from the kernel",
        "kfile_demo: back to USER_DS: 1",
        "kfile_demo: llseek: 6",
        "kfile_demo: kernel_read at 6: 4: from",
        "kfile_demo: llseek end: 22, bad whence: -22",
        "kfile_demo: write to a read-only file: -9",
        "kfile_demo: /proc/version: 13: Linux version",
        "kfile_demo: kernel_read_file_from_path: 0, size 22",
        "kfile_demo: open /nonexistent: -2",
        "kfile_demo: open /nodir/file: -2",
        "kfile_demo: open /tmp: -21",
        "kfile_demo: open /tmp: ok",
        "kfile_demo: open /tmp/kfile.txt: -17",
        "kfile_demo: open /proc/newfile: -2",
        "kfile_demo: open /sys/kernel/livepatch: -21",
        "kfile_demo: open /dev/null: ok",
        "kfile_demo: kthread: uaccess_kernel 1, vfs_read 22: hello from the kernel"]
    assert run(shell, "cat /tmp/kfile.txt") == ["hello from the kernel"]
    assert run(shell, "ls -l /tmp") == ["total 0", "-rw-r--r-- 1 root root    22 Oct 22 00:00 kfile.txt"]
    assert run(shell, "rmmod kfile_demo") == []
    # a file the shell wrote, read by the module (its text parameter is written over it)
    run(shell, "echo 'from bash' > /tmp/mine")
    out = run(shell, "insmod kfile_demo.ko path=/tmp/mine text=again")
    assert out[0] == "kfile_demo: wrote 6 bytes, pos 6, i_size 6"
    assert run(shell, "cat /tmp/mine") == ["again"]
    assert not kernel.fs.kernel_files           # every file it opened it closed


def test_a_module_cannot_create_files_in_proc(shell):
    out = run(shell, "insmod kfile_demo.ko path=/proc/kfile")
    assert out == ["kfile_demo: cannot create /proc/kfile: -2",
                   "insmod: ERROR: could not insert module kfile_demo.ko: Unknown symbol in module"]


def test_returning_to_user_space_with_kernel_ds_is_caught(shell, kernel):
    n = len(shell.output)
    assert shell.run_line("insmod kfile_demo.ko leak_fs=1") == 137            # SIGKILL
    out = [STAMP.sub("", ln) for ln in shell.output[n + 1:]]
    at = out.index("------------[ cut here ]------------")
    assert out[at + 1] == "Invalid address limit on user-mode return"
    assert out[at + 2].startswith("WARNING: CPU: 0 PID: ")
    assert " at include/linux/syscalls.h:266 prepare_exit_to_usermode+" in out[at + 2]
    assert out[-1] == "Killed"
    assert "W" in kernel.tainted_string()
    assert "kfile_demo" in kernel.modules                # its init had returned: it stays
    assert run(shell, "rmmod kfile_demo") == []
