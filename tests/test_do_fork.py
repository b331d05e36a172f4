"""_do_fork (kernel/fork.py): the fork every command's task and every kernel thread comes
from, probed as the kernel's samples/kprobes do by default: a kprobe's pre/post handlers
once per fork with the caller's clone flags, a kretprobe's handler with the new pid."""

from __future__ import annotations

import re

import pytest

from conftest import TEST_MODULES, needs_gcc, needs_kernel
from kernel import kbuild
from kernel.fork import CLONE_FILES, CLONE_FS, CLONE_UNTRACED, CLONE_VM
from kernel.machine import Kernel
from shell_session import module_shell, run

pytestmark = [needs_kernel, needs_gcc]
MODS = ("fork_kprobe", "fork_kretprobe", "fork_kthread")
HASH = r"[0-9a-f]{16}"
SIGCHLD = 17


def _pids(k: Kernel) -> list[int]:
    """The pids of the tasks K makes from here on (a spy on copy_process())."""
    made: list[int] = []
    new_task = k.sched.new_task

    def spy(*a, **kw):
        t = new_task(*a, **kw)
        made.append(t.pid)
        return t
    k.sched.new_task = spy
    return made


def _norm(lines: list[str]) -> list[str]:
    """LINES with the handlers' regs->flags as 0x2.. (the caller's arithmetic flags, IF set)."""
    return [re.sub(r"flags = 0x2[0-9a-f]{2}$", "flags = 0x2..", ln) for ln in lines]


def _kprobe_lines(k: Kernel, addr: str, flags: int, stack: str) -> list[str]:
    real = k.kallsyms.find("_do_fork").addr
    return [f"<_do_fork> pre_handler: p->addr = 0x{addr}, ip = {real + 1:x}, flags = 0x2..",
            f"<_do_fork> clone_flags = 0x{flags:x}, stack_start {stack}",
            f"<_do_fork> post_handler: p->addr = 0x{addr}, flags = 0x2.."]


def _check_kprobe(sh, clone_arg: int) -> None:
    k = sh.kernel
    planted = run(sh, "insmod fork_kprobe.ko")
    assert len(planted) == 1 and re.fullmatch(f"Planted kprobe at {HASH}", planted[0])
    addr = planted[0].split()[-1]
    assert _norm(run(sh, "cat /proc/version")) == [*_kprobe_lines(k, addr, clone_arg, "0"),
                                            k.profile.proc_version.rstrip("\n")]
    assert _norm(run(sh, "cat /sys/module/fork_kprobe/parameters/forks")) == [
        *_kprobe_lines(k, addr, clone_arg, "0"), "2"]
    real = k.kallsyms.find("_do_fork").addr
    assert run(sh, "cat /sys/kernel/debug/kprobes/list")[3:] == [f"{real:016x}  k  _do_fork+0x0    "]
    lines = _norm(run(sh, "rmmod fork_kprobe"))   # one fork: its reads of /sys and the unload
    assert lines == [*_kprobe_lines(k, addr, clone_arg, "0"), f"kprobe at {addr} unregistered"]
    assert run(sh, "cat /proc/version") == [k.profile.proc_version.rstrip("\n")]


def test_kprobe_on_do_fork(kernel, tmp_path, test_module):
    """A command's task is bash's fork(2): _do_fork(SIGCHLD, 0, 0, NULL, NULL, 0)."""
    _check_kprobe(module_shell(kernel, tmp_path, test_module, *MODS), SIGCHLD)


def test_do_fork_on_5_4(elf_cache, tmp_path):
    """5.4: _do_fork(struct kernel_clone_args *): regs->di is the struct's address (not the
    flags); the kretprobe sees the pid."""
    k = Kernel.boot(clock_mode="virtual", elf_cache=elf_cache, kernel="5.4")
    try:
        for name in ("fork_kprobe", "fork_kretprobe"):
            ko = kbuild.build_module(TEST_MODULES / f"{name}.c", tmp_path / "out", kernel="5.4")
            (tmp_path / f"{name}.ko").write_bytes(ko.read_bytes())
        sh = module_shell(k, tmp_path, lambda name: b"")
        addr = run(sh, "insmod fork_kprobe.ko")[0].split()[-1]
        run(sh, "insmod fork_kretprobe.ko")
        made = _pids(k)
        lines = _norm(run(sh, "cat /proc/version"))
        pair = _kprobe_lines(k, addr, 0, "0")
        assert lines[0] == pair[0] and lines[2] == pair[2]
        assert re.fullmatch(r"<_do_fork> clone_flags = 0x[0-9a-f]{6,}, stack_start (0|set)", lines[1])
        assert lines[1] != "<_do_fork> clone_flags = 0x11, stack_start 0"
        assert re.fullmatch(f"_do_fork returned {made[0]} and took \\d+ ns to execute", lines[3])
        assert lines[4:] == [k.profile.proc_version.rstrip("\n")]
        run(sh, "rmmod fork_kprobe")
        run(sh, "rmmod fork_kretprobe")
        assert run(sh, "cat /proc/version") == [k.profile.proc_version.rstrip("\n")]
    finally:
        k.shutdown()


def test_kretprobe_sees_the_new_pid(kernel, tmp_path, test_module):
    sh = module_shell(kernel, tmp_path, test_module, *MODS)
    planted = run(sh, "insmod fork_kretprobe.ko")
    assert re.fullmatch(f"Planted return probe at _do_fork: {HASH}", planted[-1])
    made = _pids(sh.kernel)
    lines = run(sh, "cat /proc/version")
    m = re.fullmatch(r"_do_fork returned (\d+) and took (\d+) ns to execute", lines[0])
    assert m and int(m[1]) == made[0] and len(made) == 1
    assert lines[1:] == [sh.kernel.profile.proc_version.rstrip("\n")]
    lines = run(sh, "cat /proc/version")                    # the next fork, the next pid
    assert lines[0].startswith(f"_do_fork returned {made[0] + 1} and took ")
    assert run(sh, "rmmod fork_kretprobe")[-2:] == [
        f"kretprobe at {planted[-1].split()[-1]} unregistered", "Missed probing 0 instances of _do_fork"]


def test_kthread_creation_forks_through_kthreadd(kernel, tmp_path, test_module):
    """kthread_run(): kthreadd's kernel_thread(kthread, ..., CLONE_FS | CLONE_FILES |
    SIGCHLD) passes CLONE_VM | CLONE_UNTRACED too, and the thread function in stack_start."""
    sh = module_shell(kernel, tmp_path, test_module, *MODS)
    addr = run(sh, "insmod fork_kprobe.ko")[0].split()[-1]
    run(sh, "insmod fork_kretprobe.ko")
    lines = _norm(run(sh, "insmod fork_kthread.ko"))
    flags = CLONE_VM | CLONE_UNTRACED | CLONE_FS | CLONE_FILES | SIGCHLD
    k = sh.kernel
    # insmod's own fork, then kthreadd's for the thread: one pre/post pair and one return each
    assert lines[:3] == _kprobe_lines(k, addr, SIGCHLD, "0")
    assert re.fullmatch(r"_do_fork returned \d+ and took \d+ ns to execute", lines[3])
    assert lines[4:7] == _kprobe_lines(k, addr, flags, "set")
    m = re.fullmatch(r"_do_fork returned (\d+) and took \d+ ns to execute", lines[7])
    assert m and lines[8:] == [f"fork_kthread: started pid {m[1]}"]
    assert int(m[1]) == int(lines[3].split()[2]) + 1


def test_one_process_per_command(kernel, tmp_path, test_module):
    """bash forks once per command and the program makes every system call in that process:
    lsmod's open, reads and close of /proc/modules, rmmod's reads of /sys/module/NAME and
    its delete_module(); pids advance by one a command, and each exits with its command."""
    sh = module_shell(kernel, tmp_path, test_module, *MODS)
    k = sh.kernel
    run(sh, "insmod fork_kretprobe.ko")
    made = _pids(k)
    assert run(sh, "lsmod")[0].startswith(f"_do_fork returned {made[0]} and took ")
    lines = run(sh, "rmmod fork_kretprobe")
    assert lines[0].startswith(f"_do_fork returned {made[0] + 1} and took ")
    assert lines[1:] == [ln for ln in lines[1:] if not ln.startswith("_do_fork returned ")]
    assert made == [made[0], made[0] + 1]
    assert not set(made) & {t.pid for t in k.sched.all_tasks()}
