"""Static keys (linux/jump_label.h over vmlinux's kernel/jump_label.c), the lib/cmdline.c
parsers, match_string, file_path() and task_struct references (linux/sched/task.h), through
the shell with tests/modules/keys_demo.c."""

from __future__ import annotations

import re

import pytest

from conftest import needs_gcc, needs_kernel
from shell_session import module_shell, run

pytestmark = [needs_kernel, needs_gcc]


@pytest.fixture
def shell(kernel, tmp_path, test_module):
    return module_shell(kernel, tmp_path, test_module, "keys_demo")


def test_parsers_and_a_task_struct_held_past_its_task(shell):
    lines = run(shell, "insmod keys_demo.ko size=3M list=2,5-8,1")
    assert lines[:7] == [
        "size 3M = 3145728 bytes, rest ''",
        "list[0] = 2", "list[1] = 5", "list[2] = 6", "list[3] = 7", "list[4] = 8", "list[5] = 1"]
    assert lines[7] == "mode 3, match_string 2, PATH_MAX 4096, NAME_MAX 255"
    pid = int(re.fullmatch(r"holding insmod \(pid (\d+), parent \d+\)", lines[8]).group(1))
    run(shell, "ls /proc")                     # other tasks come and go meanwhile
    assert run(shell, "rmmod keys_demo") == [f"still holding insmod (pid {pid})"]
    assert not any("refcount" in ln or "BUG" in ln for ln in shell.output)


def test_static_branch_follows_the_key(shell):
    run(shell, "insmod keys_demo.ko")
    assert run(shell, "cat /dev/keys_demo") == [     # read, then the read at end of file
        "read /dev/keys_demo: count 0, default_on 1", "off",
        "read /dev/keys_demo: count 0, default_on 1"]
    assert run(shell, "echo enable > /dev/keys_demo") == ["enable: count now 1"]
    assert run(shell, "echo enable > /dev/keys_demo") == ["enable: count now 1"]
    assert run(shell, "cat /dev/keys_demo")[1] == "on"
    assert run(shell, "echo inc > /dev/keys_demo") == ["inc: count now 2"]
    assert run(shell, "echo dec > /dev/keys_demo") == ["dec: count now 1"]
    assert run(shell, "echo disable > /dev/keys_demo") == ["disable: count now 0"]
    assert run(shell, "cat /dev/keys_demo")[1] == "off"
    assert run(shell, "echo bogus > /dev/keys_demo") == [
        "bash: echo: write error: Invalid argument"]
    lines = run(shell, "echo dec > /dev/keys_demo")   # below zero: 4.19's WARN
    assert "WARNING: CPU: 0 PID: " in "\n".join(lines)
    assert any(ln.endswith("jump label: negative count!") for ln in lines)
    assert lines[-1] == "dec: count now -1"
