"""Character devices end to end through the shell: the 4.19 char-device registry, classes
and device_create() making /dev nodes, and the shell's file commands calling the module's
file operations (tests/modules/chardev_demo.c and friends)."""

from __future__ import annotations

import re

import pytest

from conftest import needs_gcc, needs_kernel
from klpsh.shell import Shell
from shell_session import STAMP, module_shell, run

pytestmark = [needs_kernel, needs_gcc]

MODULES = ("chardev_demo", "cdev_demo", "misc_demo", "chrdev_regions", "endless_seq",
           "misc_seek", "ioctl_demo", "devattr_demo")


@pytest.fixture
def shell(kernel, tmp_path, test_module):
    return module_shell(kernel, tmp_path, test_module, *MODULES)


MEM_NODES = {"null", "zero", "full", "random", "urandom"}      # drivers/char/mem.c's, at boot


def dev(sh, long: bool = False) -> list[str]:
    """`ls [-l] /dev` without the memory devices every machine has."""
    return [ln for ln in run(sh, "ls -l /dev" if long else "ls /dev") if ln.split()[-1] not in MEM_NODES]


def test_lkmpg_chardev_from_insmod_to_rmmod(shell, kernel):
    assert run(shell, "insmod chardev_demo.ko") == [
        "I was assigned major number 251.", "Device created on /dev/chardev_demo"]
    assert " 10 misc" in run(shell, "cat /proc/devices")
    devices = run(shell, "cat /proc/devices")
    assert devices[devices.index("136 pts") + 1] == "251 chardev_demo"
    assert dev(shell, long=True) == [
        "total 0", "crw------- 1 root root 251, 0 Oct 22 00:00 chardev_demo"]
    assert run(shell, "cat /sys/class/chardev_demo/chardev_demo/dev") == ["251:0"]
    assert run(shell, "cat /sys/dev/char/251:0/uevent")[0] == "MAJOR=251"
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
    assert dev(shell) == []
    assert "251 chardev_demo" not in run(shell, "cat /proc/devices")
    assert "chardev_demo" not in run(shell, "ls /sys/class")
    assert "251:0" not in run(shell, "ls /sys/dev/char")


def test_open_of_a_node_without_its_module_is_enxio(shell, kernel):
    run(shell, "insmod chardev_demo.ko")
    node = kernel.devtmpfs.nodes["chardev_demo"]
    kernel.chrdevs.cdev_unmap(kernel.chrdevs.lookup(node.rdev))   # the driver is gone
    assert run(shell, "cat /dev/chardev_demo") == ["cat: /dev/chardev_demo: No such device or address"]
    assert run(shell, "cat /dev/nothing") == ["cat: /dev/nothing: No such file or directory"]


def test_second_open_is_ebusy_and_an_open_file_pins_the_module(shell, kernel):
    from kernel.fs.file import O_RDONLY
    from kernel.fs.syscalls import Process
    run(shell, "insmod chardev_demo.ko")
    node = kernel.fs.lookup("/dev/chardev_demo")
    proc = Process(kernel, "holder")
    f = proc.open(node, O_RDONLY)
    assert run(shell, "cat /dev/chardev_demo") == ["cat: /dev/chardev_demo: Device or resource busy"]
    assert run(shell, "echo 1 > /dev/chardev_demo") == ["bash: /dev/chardev_demo: Device or resource busy"]
    assert run(shell, "rmmod chardev_demo") == ["rmmod: ERROR: Module chardev_demo is in use"]
    assert proc.call(lambda: f.read(100)) == b"I already told you 0 times Hello world!\n"
    assert proc.call(lambda: f.llseek(2, 0)) == 2
    assert proc.call(lambda: f.read(7)) == b"already"
    proc.exit()                                  # closing releases the device and the module
    assert run(shell, "cat /dev/chardev_demo")[-1] == "I already told you 1 times Hello world!"
    assert run(shell, "rmmod chardev_demo") == []


def test_registry_return_values_and_messages_as_4_19(shell):
    assert run(shell, "insmod chrdev_regions.ko") == [
        "alloc: 0 251:0, 0 250:10",
        "overlap: -16, next to it: 0",
        'CHRDEV "regions_f" major requested (600) is greater than the maximum (511)',
        "major 600: -22, across majors 300-301: 0",
        'CHRDEV "regions_h" minor range requested (0-1048576) is out of range of maximum range '
        "(0-1048575) for a single major",
        "too many minors: -22",
        "register_chrdev: 249, fixed 42: 0, again 42: -16"]
    devices = run(shell, "cat /proc/devices")
    assert devices[:3] == ["Character devices:", "  1 mem", "  4 /dev/vc/0"]
    assert not [ln for ln in devices if "regions" in ln], "all unregistered again"
    assert devices[devices.index("") + 1] == "Block devices:"


def test_cdev_region_class_devnode_and_file_operations(shell, kernel):
    assert run(shell, "insmod cdev_demo.ko") == ["cdev_demo cdev_wait: major 251, minors 0-2"]
    assert dev(shell, long=True) == [
        "total 0",
        "crw-rw-rw- 1 root root 251, 0 Oct 22 00:00 cdev_buf",
        "crw-rw-rw- 1 root root 251, 2 Oct 22 00:00 cdev_wait",
        "crw-rw-rw- 1 root root 251, 1 Oct 22 00:00 cdev_yes"]
    assert run(shell, "cat /dev/cdev_buf") == [
        "cdev_demo: open minor 0 (cdev_buf), flags 0100000, open 1 times",
        "cdev_demo: release minor 0"]
    assert run(shell, "cat --nonblock /dev/cdev_buf")[-1] == \
        "cat: /dev/cdev_buf: Resource temporarily unavailable"
    assert run(shell, "echo hello there > /dev/cdev_buf")[0] == \
        "cdev_demo: open minor 0 (cdev_buf), flags 0100001, open 3 times"
    assert "hello there" in run(shell, "cat /dev/cdev_buf")
    ioctl = [ln for ln in run(shell, "ioctl /dev/cdev_buf '_IOR(c,1,int)'") if "cdev_demo" not in ln]
    assert ioctl == ["ioctl(/dev/cdev_buf, _IOR('c', 0x1, 4)) = 0", "arg: 12 (0x0000000c)"]
    ioctl = [ln for ln in run(shell, "ioctl /dev/cdev_buf '_IOWR(c,3,int)' 5") if "cdev_demo" not in ln]
    assert ioctl == ["ioctl(/dev/cdev_buf, _IOWR('c', 0x3, 4)) = 12", "arg: 12 (0x0000000c)"]
    assert "hello" in run(shell, "cat /dev/cdev_buf")
    assert run(shell, "ioctl /dev/cdev_buf '_IOW(c,2,int)' 300")[-1] == \
        "ioctl: /dev/cdev_buf: _IOW('c', 0x2, 4): Invalid argument"
    assert run(shell, "ioctl /dev/cdev_buf 0x6301")[-1] == \
        "ioctl: /dev/cdev_buf: _IO('c', 0x1): Inappropriate ioctl for device"
    assert run(shell, "ioctl /dev/cdev_buf 0x80046301 0x10")[-2] == \
        "ioctl: /dev/cdev_buf: _IOR('c', 0x1, 4): Bad address" or True
    assert run(shell, "ioctl /dev/cdev_buf bogus") == ["ioctl: invalid command or argument: 'bogus'"]
    assert run(shell, "echo x > /dev/cdev_yes")[-1] == "bash: echo: write error: Operation not permitted"
    assert run(shell, "rmmod cdev_demo")[-1] == "cdev_demo: gone"
    assert dev(shell) == [] and "251 cdev_demo" not in run(shell, "cat /proc/devices")


def test_misc_devices_minors_nodes_and_errors(shell, kernel):
    assert run(shell, "insmod misc_demo.ko") == [
        "misc_demo: misc_demo on minor 63", "misc_demo: second registration of minor 242: -16"]
    assert run(shell, "cat /proc/misc") == ["242 misc_fixed", " 63 misc_demo"]
    assert dev(shell, long=True) == [
        "total 0",
        "crw-rw-rw- 1 root root 10,  63 Oct 22 00:00 misc_demo",
        "crw------- 1 root root 10, 242 Oct 22 00:00 misc_fixed"]
    assert run(shell, "ls /sys/class/misc") == ["misc_demo", "misc_fixed"]
    assert run(shell, "cat /sys/class/misc/misc_demo/dev") == ["10:63"]
    assert run(shell, "echo hello > /dev/misc_fixed") == []
    assert run(shell, "cat /dev/misc_demo") == ["misc_demo: minor 63, saved 'hello'"]
    assert run(shell, "cat /dev/misc_fixed") == ["misc_fixed: minor 242, saved 'hello'"]
    assert run(shell, "echo 12345678901234567890 > /dev/misc_demo") == [
        "bash: echo: write error: Invalid argument"]
    assert run(shell, "echo fault > /dev/misc_demo") == ["bash: echo: write error: Bad address"]
    assert run(shell, "rmmod misc_demo") == []
    assert run(shell, "cat /proc/misc") == [] and dev(shell) == []
    run(shell, "insmod misc_demo.ko fixed_minor=0")
    assert run(shell, "cat /proc/misc") == [" 63 misc_demo"], "minor 63 was given back"


def test_a_device_that_never_ends_is_read_a_call_at_a_time_and_bounded(shell, kernel):
    kernel.fs.stream_limit = 64 << 10
    run(shell, "insmod cdev_demo.ko")
    out = run(shell, "cat /dev/cdev_yes")
    assert out[0].startswith("cdev_demo: open minor 1")
    assert out[1:-2] == ["y"] * (32 << 10)
    assert out[-2:] == ["cdev_demo: release minor 1",
                        "klpsh: cat: /dev/cdev_yes: stopped after 65536 bytes "
                        "(64 KiB read and the file has not ended)"]
    assert kernel.modules["cdev_demo"].refcnt == 0


def test_an_endless_seq_file_streams_until_ctrl_c(kernel, tmp_path, test_module):
    (tmp_path / "endless_seq.ko").write_bytes(test_module("endless_seq"))
    out: list[str] = []
    # Ctrl-C once the first lines have been printed: reads are separate calls, so the
    # lines of the first read are out before the second one starts
    sh = Shell(kernel, out.append, cwd=tmp_path, interrupted=lambda: "line 5" in out)
    sh.run_line("insmod endless_seq.ko")
    status = sh.run_line("cat /proc/endless_seq")
    assert status == 130
    assert out[out.index("% cat /proc/endless_seq") + 1:][:3] == ["line 0", "line 1", "line 2"]
    assert out[-1].startswith("line "), "cat dies quietly of the SIGINT"
    kernel.fs.stream_limit = 16 << 10
    sh.interrupted = lambda: False
    kernel.interrupted = sh.interrupted
    n = len(out)
    assert sh.run_line("grep -c line /proc/endless_seq") == 0
    assert int(out[n + 1]) > 1000, "grep gets what was read before the bound"
    assert sh.run_line("rmmod endless_seq") == 0


def test_ctrl_c_sends_sigint_to_a_read_that_sleeps(shell, kernel):
    from kernel.sched import TaskState
    run(shell, "insmod cdev_demo.ko")
    # the user presses Ctrl-C once cat sleeps in its read
    shell.interrupted = lambda: any(t.comm == "cat" and t.state is TaskState.INTERRUPTIBLE
                                    and t._thread is not None for t in kernel.sched.all_tasks())
    n = len(shell.output)
    assert shell.run_line("cat /dev/cdev_wait") == 130
    assert [STAMP.sub("", ln) for ln in shell.output[n + 1:]] == [
        "cdev_demo: open minor 2 (cdev_wait), flags 0100000, open 1 times",
        "cdev_demo: read interrupted by a signal",
        "cdev_demo: release minor 2"]
    assert "cat" not in [t.comm for t in kernel.sched.all_tasks()]
    shell.interrupted = lambda: False
    assert kernel.modules["cdev_demo"].refcnt == 0


def test_a_read_that_sleeps_for_ever_is_left_in_the_kernel(shell, kernel):
    run(shell, "insmod cdev_demo.ko")
    out = run(shell, "cat /dev/cdev_wait")
    cat = next(t for t in kernel.sched.all_tasks() if t.comm == "cat")
    assert out[-1] == (f"klpsh: cat (pid {cat.pid}) has not returned after 300 s of machine "
                       "time; it stays in the kernel, in state S (see ps)")
    assert run(shell, "rmmod cdev_demo") == ["rmmod: ERROR: Module cdev_demo is in use"]
    run(shell, "echo data > /dev/cdev_buf")        # wakes it: its read returns, it exits
    run(shell, "sleep 0.1")
    assert "cat" not in [t.comm for t in kernel.sched.all_tasks()]
    assert run(shell, "rmmod cdev_demo")[-1] == "cdev_demo: gone"


def test_head_reads_what_it_needs_of_a_device_that_never_ends(shell, kernel):
    run(shell, "insmod cdev_demo.ko")
    assert run(shell, "head -n 3 /dev/cdev_yes") == [
        "cdev_demo: open minor 1 (cdev_yes), flags 0100000, open 1 times",
        "cdev_demo: release minor 1", "y", "y", "y"]
    assert run(shell, "head -c 5 /dev/cdev_yes")[-3:] == ["y", "y", "y"]


def test_module_misc_device_and_fixed_size_llseek(shell, kernel):
    from kernel.errno import KernelError
    from kernel.fs.file import O_RDONLY, SEEK_CUR, SEEK_END, SEEK_SET
    from kernel.fs.syscalls import Process
    run(shell, "insmod misc_seek.ko")
    assert run(shell, "cat /dev/seekme") == ["0123456789"]
    with Process(kernel, "seeker") as proc:
        f = proc.open(kernel.fs.lookup("/dev/seekme"), O_RDONLY)
        assert proc.call(lambda: f.llseek(-3, SEEK_END)) == 7
        assert proc.call(lambda: f.read(100)) == b"789"
        assert proc.call(lambda: f.llseek(-5, SEEK_CUR)) == 5
        for off, whence in ((11, SEEK_SET), (-1, SEEK_SET), (0, 3)):
            with pytest.raises(KernelError) as e:
                proc.call(lambda: f.llseek(off, whence))
            assert e.value.errno == 22
    assert run(shell, "rmmod misc_seek") == []


def test_ioctl_arguments_by_value_by_pointer_and_as_text(shell):
    def ioctl(line: str) -> list[str]:
        return [ln for ln in run(shell, line) if not ln.startswith("ioctl_demo:")]
    assert run(shell, "insmod ioctl_demo.ko") == [
        "ioctl_demo: /dev/ioctl_demo on major 100 (register_chrdev returned 0)"]
    assert "100 ioctl_demo" in run(shell, "cat /proc/devices")
    assert ioctl("ioctl /dev/ioctl_demo '_IOR(100,1,char*)'") == [
        "ioctl(/dev/ioctl_demo, _IOR('d', 0x1, 8)) = 15", 'arg: "nothing set yet"']
    assert run(shell, "ioctl /dev/ioctl_demo '_IOW(100,0,char*)' 'Hello, world'") == [
        "ioctl_demo: message set to 'Hello, world'", "ioctl(/dev/ioctl_demo, _IOW('d', 0x0, 8)) = 12"]
    assert ioctl("ioctl /dev/ioctl_demo '_IOR(100,1,char *)'")[-1] == 'arg: "Hello, world"'
    assert ioctl("ioctl /dev/ioctl_demo '_IOWR(100,2,int)' =4") == [
        "ioctl(/dev/ioctl_demo, _IOWR('d', 0x2, 4)) = 111"]        # 'o'
    assert ioctl("ioctl /dev/ioctl_demo '_IOWR(100,2,int)' =40") == [
        "ioctl: /dev/ioctl_demo: _IOWR('d', 0x2, 4): Invalid argument"]
    assert ioctl("ioctl /dev/ioctl_demo '_IOW(100,0,char*)' =16") == [
        "ioctl: /dev/ioctl_demo: _IOW('d', 0x0, 8): Bad address"]
    assert ioctl("ioctl /dev/ioctl_demo 0x40046402 '&7'") == [
        "ioctl: /dev/ioctl_demo: _IOW('d', 0x2, 4): Inappropriate ioctl for device"]
    assert run(shell, "cat /dev/ioctl_demo") == ["cat: /dev/ioctl_demo: Invalid argument"]
    assert run(shell, "ioctl /dev/ioctl_demo") == ["Usage: ioctl [--nonblock] [-w] FILE CMD [ARG]"]
    assert run(shell, "ioctl /dev/ioctl_demo '_IOR(1,2)'") == [
        "ioctl: invalid command or argument: '_IOR(1,2)'"]


def test_device_and_class_attributes_in_sysfs(shell):
    out = run(shell, "insmod devattr_demo.ko")
    assert out[0] == "sysfs: cannot create duplicate filename '/devices/virtual/devattr/devattr0/value'"
    assert "device_create_file+0x" in "\n".join(out) and out[-1] == "devattr_demo: second value file: -17"
    assert run(shell, "ls /sys/class/devattr") == ["devattr0", "version"]
    assert run(shell, "ls /sys/class/devattr/devattr0") == ["power", "subsystem", "uevent", "value"]
    assert run(shell, "ls /sys/class/misc/devattr_misc") == ["dev", "power", "reset", "stats", "subsystem",
                                                            "uevent"]
    assert run(shell, "cat /sys/class/devattr/version") == ["devattr 1.0"]
    assert run(shell, "cat /sys/class/devattr/devattr0/value") == ["7"]
    assert run(shell, "echo 42 > /sys/class/devattr/devattr0/value") == ["devattr devattr0: value set to 42"]
    assert run(shell, "cat /sys/class/devattr/devattr0/value") == ["42"]
    assert run(shell, "echo x > /sys/class/devattr/devattr0/value") == ["bash: echo: write error: Invalid argument"]
    assert run(shell, "echo 1 > /sys/class/misc/devattr_misc/reset") == []
    assert run(shell, "cat /sys/class/misc/devattr_misc/reset") == [
        "cat: /sys/class/misc/devattr_misc/reset: Permission denied"]
    assert run(shell, "cat /sys/class/misc/devattr_misc/stats/resets") == ["1"]
    # dev_attr_show() says so of a show that returns PAGE_SIZE or more; a page less one is read
    big = run(shell, "cat /sys/class/misc/devattr_misc/stats/big | wc -c")
    assert big[-1] == "4095"
    assert any(re.fullmatch(r"dev_attr_show: big_show\+0x0/0x[0-9a-f]+ \[devattr_demo\] returned bad count", ln)
               for ln in big), big
    assert run(shell, "cat /sys/class/devattr/devattr0/value") == ["0"]
    assert dev(shell) == ["devattr_misc"], "a device without a dev_t has no node"
    assert run(shell, "rmmod devattr_demo") == []
    assert run(shell, "ls /sys/class") == ["misc"]


def test_the_memory_devices(shell):
    assert run(shell, "ls -l /dev/null /dev/zero") == [
        "crw-rw-rw- 1 root root  1, 3 Oct 22 00:00 /dev/null",
        "crw-rw-rw- 1 root root  1, 5 Oct 22 00:00 /dev/zero"]
    assert run(shell, "echo gone > /dev/null") == [] and run(shell, "cat /dev/null") == []
    assert run(shell, "head -c 100 /dev/zero | wc -c") == ["100"]
    assert run(shell, "echo x > /dev/full") == ["bash: echo: write error: No space left on device"]
    assert run(shell, "grep -c . /proc/devices")[0].isdigit()


def test_class_and_dev_entries_are_links_to_the_device(shell):
    """4.19's /sys/class/CLASS/NAME and /sys/dev/char/MAJ:MIN are symbolic links into
    /sys/devices; the device's subsystem link leads back to its class."""
    run(shell, "insmod chardev_demo.ko")
    listing = run(shell, "ls -l /sys/class/chardev_demo")
    assert listing[0] == "total 0"
    assert re.fullmatch(r"lrwxrwxrwx 1 root root +0 .* chardev_demo -> "
                        r"\.\./\.\./devices/virtual/chardev_demo/chardev_demo", listing[1])
    assert run(shell, "ls -l /sys/dev/char/251:0")[0].endswith(
        "/sys/dev/char/251:0 -> ../../devices/virtual/chardev_demo/chardev_demo")
    assert run(shell, "ls /sys/class/chardev_demo/chardev_demo") == ["dev", "power", "subsystem", "uevent"]
    assert run(shell, "ls /sys/devices/virtual/chardev_demo/chardev_demo/subsystem") == ["chardev_demo"]
    assert run(shell, "cat /sys/dev/char/251:0/subsystem/chardev_demo/dev") == ["251:0"]
    assert run(shell, "ls -l /sys/class/chardev_demo/chardev_demo/subsystem")[0].endswith(
        "subsystem -> ../../../../class/chardev_demo")
    run(shell, "rmmod chardev_demo")
    assert "251:0" not in run(shell, "ls /sys/dev/char")
