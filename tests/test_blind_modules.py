"""Blind-set modules driven through the shell beyond what the corpus runner does: LDD3's scull
with the nodes its scull_load script makes (mknod), its ioctls and llseek-free reads, rm of the
nodes; the module notifier seeing another module come and go; LKMPG's devicemodel (a
platform driver, no platform device to probe)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, needs_gcc, needs_kernel
from kernel import kbuild

pytestmark = [needs_kernel, needs_gcc]
CORPUS = ROOT / "tests" / "modules" / "corpus"


def _built(tmp: Path, name: str) -> Path:
    import shutil
    work = tmp / name
    shutil.copytree(CORPUS / name, work)
    return kbuild.build_dir(work)[0]


def _run(kernel, lines: list[str]) -> str:
    from klpsh.shell import Shell
    out: list[str] = []
    sh = Shell(kernel, out.append)
    for line in lines:
        out.append(f"% {line}")
        sh.run_line(line)
    return "\n".join(out)


@pytest.fixture(scope="module")
def kos(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("blind")
    return {n: _built(tmp, n) for n in ("scull", "notifier_demo", "rcu_list", "hello-1", "devicemodel")}


def test_scull_through_mknod_nodes(kernel, kos) -> None:
    s = _run(kernel, [f"insmod {kos['scull']}", "grep scull /proc/devices",
                      "mknod /dev/scull0 c 251 0", "mknod -m 666 /dev/scull1 c 251 1",
                      "mknod /dev/scull0 c 251 0", "mknod /proc/x c 1 1", "mknod /dev/y c 1",
                      "ls -l /dev",
                      "echo hello scull > /dev/scull0", "cat /dev/scull0", "cat /dev/scull1",
                      "ioctl /dev/scull0 '_IOR(k,5,int)' 0", "ioctl /dev/scull0 '_IOW(k,1,int)' 8000",
                      "ioctl /dev/scull0 '_IO(k,7)'", "ioctl /dev/scull0 '_IO(q,7)'",
                      "rmmod scull", "cat /dev/scull0",
                      "rm /dev/scull0 /dev/nothere /proc/version", "rm -f /dev/scull1 /dev/nothere",
                      "ls /dev"])
    assert "251 scull" in s
    assert "mknod: /dev/scull0: File exists" in s
    assert "mknod: /proc/x: Operation not permitted" in s
    assert "mknod: missing operand after ‘1’\nSpecial files require major and minor device numbers." in s
    assert "crw-r--r-- 1 root root 251, 0 Oct 22 00:00 scull0" in s        # umask 022
    assert "crw-rw-rw- 1 root root 251, 1 Oct 22 00:00 scull1" in s
    assert "% cat /dev/scull0\nhello scull\n% cat /dev/scull1\n%" in s
    assert "arg: 4000 (0x00000fa0)" in s                                  # SCULL_IOCGQUANTUM
    assert "ioctl(/dev/scull0, _IO('k', 0x7)) = 8000" in s                # capable() let it set
    assert "_IO('q', 0x7): Inappropriate ioctl for device" in s           # -ENOTTY
    assert "cat: /dev/scull0: No such device or address" in s             # no driver: ENXIO
    assert "rm: cannot remove '/dev/nothere': No such file or directory" in s
    assert "rm: cannot remove '/proc/version': Operation not permitted" in s
    assert "scull" not in s.rsplit("% ls /dev", 1)[1]


def test_module_notifier_sees_other_modules(kernel, kos) -> None:
    ko = kos["hello-1"]
    s = _run(kernel, [f"insmod {kos['notifier_demo']}", f"insmod {ko}", "rmmod hello_1",
                      f"insmod {kos['rcu_list']}", "rmmod rcu_list", "rmmod notifier_demo",
                      f"insmod {ko}"])
    # COMING before its init's line, LIVE after it, GOING after its exit (kernel/module.c)
    assert ("module hello_1 state 1\n" in s and s.index("module hello_1 state 1") < s.index("Hello world 1.")
            < s.index("module hello_1 state 0") < s.index("Goodbye world 1.")
            < s.index("module hello_1 state 2"))
    assert "module rcu_list state 2" in s
    assert s.count("module hello_1 state 1") == 1                          # unregistered by then


def test_platform_driver_registers_on_the_platform_bus(kernel, kos) -> None:
    d = "/sys/bus/platform/drivers/devicemodel_example"
    s = _run(kernel, [f"insmod {kos['devicemodel']}", f"ls -l {d}", "rmmod devicemodel",
                      "ls /sys/bus/platform/drivers"])
    assert "devicemodel init" in s and "devicemodel exit" in s
    assert "devicemodel probe" not in s                      # no device of that name
    assert "module -> ../../../../module/devicemodel" in s
    assert "--w------- 1 root root  4096 Oct 22 00:00 bind" in s
    assert s.rstrip().endswith("% ls /sys/bus/platform/drivers")   # gone with platform_driver_unregister()
