"""Character devices end to end through the shell: the 4.19 char-device registry, classes
and device_create() making /dev nodes, and the shell's file commands calling the module's
file operations (tests/modules/chardev_demo.c and friends)."""

from __future__ import annotations

import re

import pytest

from conftest import needs_gcc, needs_kernel
from klpsh.shell import Shell

pytestmark = [needs_kernel, needs_gcc]

STAMP = re.compile(r"^\[ *\d+\.\d{6}\] ")
NOTICE = re.compile(r".*: loading out-of-tree module taints kernel\.")
MODULES = ("chardev_demo",)


@pytest.fixture
def shell(kernel, tmp_path, test_module):
    for name in MODULES:
        (tmp_path / f"{name}.ko").write_bytes(test_module(name))
    out: list[str] = []
    sh = Shell(kernel, out.append, cwd=tmp_path)
    sh.output = out
    return sh


def run(sh, line: str) -> list[str]:
    """The lines LINE printed (kernel lines without their timestamp), the command echo and
    the once-per-boot taint notice left out."""
    n = len(sh.output)
    sh.run_line(line)
    return [STAMP.sub("", ln) for ln in sh.output[n + 1:] if not NOTICE.fullmatch(STAMP.sub("", ln))]


def test_lkmpg_chardev_from_insmod_to_rmmod(shell, kernel):
    assert run(shell, "insmod chardev_demo.ko") == [
        "I was assigned major number 251.", "Device created on /dev/chardev_demo"]
    assert " 10 misc" in run(shell, "cat /proc/devices")
    devices = run(shell, "cat /proc/devices")
    assert devices[devices.index("136 pts") + 1] == "251 chardev_demo"
    assert run(shell, "ls -l /dev") == [
        "total 0", "crw------- 1 root root 251, 0 Oct 22 00:00 chardev_demo"]
    assert run(shell, "cat /sys/class/chardev_demo/chardev_demo/dev") == ["251:0"]
    assert run(shell, "cat /sys/class/chardev_demo/chardev_demo/uevent") == [
        "MAJOR=251", "MINOR=0", "DEVNAME=chardev_demo"]
    for n in range(2):
        assert run(shell, "cat /dev/chardev_demo") == [
            "chardev_demo: open by cat, minor 0 of major 251",
            f"I already told you {n} times Hello world!"]
    assert run(shell, "echo hi > /dev/chardev_demo") == [
        "chardev_demo: open by bash, minor 0 of major 251",
        "Sorry, this operation is not supported.",
        "bash: echo: write error: Invalid argument"]
    assert kernel.modules["chardev_demo"].refcnt == 0, "every open was released"
    assert run(shell, "rmmod chardev_demo") == []
    assert run(shell, "ls /dev") == []
    assert "251 chardev_demo" not in run(shell, "cat /proc/devices")
    assert "chardev_demo" not in run(shell, "ls /sys/class")


def test_open_of_a_node_without_its_module_is_enxio(shell, kernel):
    run(shell, "insmod chardev_demo.ko")
    node = kernel.devtmpfs.nodes["chardev_demo"]
    kernel.chrdevs.cdev_unmap(kernel.chrdevs.lookup(node.rdev))   # the driver is gone
    assert run(shell, "cat /dev/chardev_demo") == ["cat: /dev/chardev_demo: No such device or address"]
    assert run(shell, "cat /dev/nothing") == ["cat: /dev/nothing: No such file or directory"]
