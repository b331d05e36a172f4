"""Platform devices and drivers (kernel/api/platform.py, linux/platform_device.h) through the
shell with tests/modules/platform_demo.c: probe when a device meets its driver (whichever came
first), a failing probe, unbind/bind through sysfs, remove at rmmod, the release() of each kind
of device, dev_info's "DRIVER DEVICE:" prefix, and a device a module left behind."""

from __future__ import annotations

import pytest

from conftest import needs_gcc, needs_kernel
from shell_session import module_shell, run

pytestmark = [needs_kernel, needs_gcc]
DRV = "/sys/bus/platform/drivers/platform_demo"
DEV = "/sys/devices/platform/platform_demo.0"
DEVICES = "platform_demo: devices platform_demo.0 platform_demo.0.auto demo_alt, platform data 42"
PROBES = [
    "platform_demo platform_demo.0: probe 1: id 0, entry platform_demo/1, parent platform",
    "platform_demo platform_demo.0: no mem, irq -6",
    "platform_demo platform_demo.0.auto: probe 2: id 0, entry platform_demo/1, parent platform",
    "platform_demo platform_demo.0.auto: mem fed00000-fed00fff (4096 bytes, platform_demo.0.auto),"
    " irq 7",
    "platform_demo demo_alt: probe 3: id -1, entry demo_alt/2, parent platform",
    "platform_demo demo_alt: no mem, irq -6",
]
ADDED = "platform demo_alt: added, unbound"       # dev_info() of a device no driver has: the bus


def link(sh, path: str) -> str:
    """Where the symbolic link PATH points (ls -l's "NAME -> TARGET")."""
    return run(sh, f"ls -l {path}")[0].split(" -> ", 1)[1]


@pytest.fixture
def shell(kernel, tmp_path, test_module):
    return module_shell(kernel, tmp_path, test_module, "platform_demo")


def test_devices_first_are_probed_when_the_driver_registers(shell):
    assert run(shell, "insmod platform_demo.ko") == [ADDED, DEVICES, *PROBES]
    assert run(shell, "ls /sys/bus/platform/devices") == [
        "demo_alt", "platform_demo.0", "platform_demo.0.auto"]
    assert run(shell, f"ls {DRV}") == ["bind", "demo_alt", "module", "note", "platform_demo.0",
                                       "platform_demo.0.auto", "probes", "uevent", "unbind"]
    assert run(shell, f"ls {DEV}") == ["driver", "driver_override", "modalias", "power",
                                       "serial", "subsystem", "uevent"]
    assert link(shell, f"{DEV}/driver") == "../../../bus/platform/drivers/platform_demo"
    assert link(shell, "/sys/bus/platform/devices/demo_alt") == "../../../devices/platform/demo_alt"
    assert run(shell, f"cat {DEV}/uevent") == ["DRIVER=platform_demo",
                                               "MODALIAS=platform:platform_demo"]
    assert run(shell, f"cat {DEV}/modalias {DEV}/driver_override") == [
        "platform:platform_demo", "(null)"]
    assert link(shell, "/sys/module/platform_demo/drivers/platform:platform_demo") == "../../../bus/platform/drivers/platform_demo"
    assert run(shell, "rmmod platform_demo") == [
        "platform_demo demo_alt: remove 3 (tag3)",               # driver_detach: last bound first
        "platform_demo platform_demo.0.auto: remove 2 (tag2)",
        "platform_demo platform_demo.0: remove 1 (tag1)",
        "platform_demo: release platform_demo.0",                # the static device's release()
        "platform_demo: exit after 3 probes"]
    assert run(shell, "ls /sys/bus/platform/devices /sys/bus/platform/drivers") == [
        "/sys/bus/platform/devices:", "", "/sys/bus/platform/drivers:"]
    assert run(shell, "ls /sys/devices/platform") == ["power", "uevent"]


def test_driver_first_probes_each_device_as_it_is_added(shell):
    assert run(shell, "insmod platform_demo.ko order=1") == [
        *PROBES, "platform_demo demo_alt: added, bound", DEVICES]
    assert run(shell, "rmmod platform_demo")[:3] == [
        "platform_demo demo_alt: remove 3 (tag3)",
        "platform_demo platform_demo.0.auto: remove 2 (tag2)",
        "platform_demo platform_demo.0: remove 1 (tag1)"]


def test_a_failing_probe_is_reported_and_leaves_the_device_unbound(shell):
    lines = run(shell, "insmod platform_demo.ko probe_err=12")
    assert lines[2:4] == ["platform_demo platform_demo.0: refusing with -12",
                          "platform_demo: probe of platform_demo.0 failed with error -12"]
    assert "driver" not in run(shell, f"ls {DEV}")
    assert "platform_demo.0" not in run(shell, f"ls {DRV}")
    assert run(shell, f"cat {DEV}/uevent") == ["MODALIAS=platform:platform_demo"]
    # dev_err() of an unbound device names the bus
    assert run(shell, f"echo platform_demo.0 > {DRV}/bind") == [
        "platform_demo platform_demo.0: refusing with -12",
        "platform_demo: probe of platform_demo.0 failed with error -12",
        "bash: echo: write error: No such device"]


def test_enodev_and_enxio_are_quiet(shell):
    lines = run(shell, "insmod platform_demo.ko probe_err=19 fail=demo_alt")
    assert lines[-1] == "platform_demo demo_alt: refusing with -19"
    assert not any("failed with error" in ln for ln in lines)
    assert "demo_alt" not in run(shell, f"ls {DRV}")
    lines = run(shell, "rmmod platform_demo")
    assert not any("demo_alt: remove" in ln for ln in lines)


def test_unbind_and_bind_through_sysfs(shell):
    run(shell, "insmod platform_demo.ko")
    assert run(shell, f"echo platform_demo.0 > {DRV}/unbind") == [
        "platform_demo platform_demo.0: remove 1 (tag1)"]
    assert "driver" not in run(shell, f"ls {DEV}")
    assert run(shell, f"echo platform_demo.0 > {DRV}/unbind") == [
        "bash: echo: write error: No such device"]
    assert run(shell, f"echo nosuch > {DRV}/bind") == ["bash: echo: write error: No such device"]
    assert run(shell, f"echo platform_demo.0 > {DRV}/bind") == [
        "platform_demo platform_demo.0: probe 4: id 0, entry platform_demo/1, parent platform",
        "platform_demo platform_demo.0: no mem, irq -6"]
    assert run(shell, f"echo demo_alt > {DRV}/bind") == ["bash: echo: write error: No such device"]
    assert link(shell, f"{DEV}/driver") == "../../../bus/platform/drivers/platform_demo"


def test_driver_override_decides_the_match(shell):
    run(shell, "insmod platform_demo.ko")
    run(shell, f"echo platform_demo.0 > {DRV}/unbind")
    assert run(shell, f"echo other > {DEV}/driver_override") == []
    assert run(shell, f"cat {DEV}/driver_override") == ["other"]
    assert run(shell, f"echo platform_demo.0 > {DRV}/bind") == [
        "bash: echo: write error: No such device"]
    run(shell, f"echo platform_demo > {DEV}/driver_override")
    assert run(shell, "echo platform_demo.0 > /sys/bus/platform/drivers_probe") == [
        "platform_demo platform_demo.0: probe 4: id 0, entry platform_demo/1, parent platform",
        "platform_demo platform_demo.0: no mem, irq -6"]
    run(shell, f"echo > {DEV}/driver_override")
    assert run(shell, f"cat {DEV}/driver_override") == ["(null)"]


def test_a_static_device_without_release_warns(shell):
    run(shell, "insmod platform_demo.ko norelease=1")
    lines = run(shell, "rmmod platform_demo")
    assert ("Device 'platform_demo.0' does not have a release() function, it is broken and "
            "must be fixed.") in lines
    warn = next(ln for ln in lines if ln.startswith("WARNING:"))
    assert "at drivers/base/core.c:893 device_release" in warn
    assert lines[-1] == "platform_demo: exit after 3 probes"


def test_a_device_left_behind_faults_when_the_kernel_follows_it(shell, kernel):
    run(shell, "insmod platform_demo.ko leave=1")
    lines = run(shell, "rmmod platform_demo")
    assert "platform_demo platform_demo.0: remove 1 (tag1)" in lines   # the driver went first
    assert run(shell, "ls /sys/devices/platform") == ["platform_demo.0", "power", "uevent"]
    assert run(shell, "ls /sys/bus/platform/devices") == ["platform_demo.0"]
    out = run(shell, f"cat {DEV}/modalias")
    assert out[0].startswith("BUG: unable to handle kernel paging request at ")
    assert any("RIP: 0010:modalias_show" in ln for ln in out)
    # the module again (at the same address): its driver walks the bus into the stale device,
    # which is the new module's own demo_dev now, not registered: whatever happens, the
    # machine and the shell carry on
    out = run(shell, "insmod platform_demo.ko order=1")
    assert any(ln.startswith("BUG: unable to handle kernel") for ln in out) or out
    assert kernel.panicked is None
    assert run(shell, "echo alive") == ["alive"]


def test_a_driver_left_behind_stays_on_the_bus(shell, kernel):
    run(shell, "insmod platform_demo.ko keep_driver=1")
    lines = run(shell, "rmmod platform_demo")
    assert "platform_demo demo_alt: remove 3 (tag3)" in lines   # its devices went: unbound
    assert run(shell, f"ls {DRV}") == ["bind", "module", "note", "probes", "uevent", "unbind"]
    assert run(shell, f"echo platform_demo.0 > {DRV}/bind") == [
        "bash: echo: write error: No such device"]
    run(shell, "insmod platform_demo.ko")
    assert kernel.panicked is None
    assert run(shell, "echo alive") == ["alive"]


def test_the_same_module_on_5_4(tmp_path, elf_cache):
    """5.4's struct platform_device has platform_dma_mask after its device: built against
    kernel/include-5.4, the module reads its fields where the 5.4 kernel writes them."""
    from pathlib import Path

    from kernel import kbuild
    from kernel.machine import Kernel
    src = Path(__file__).resolve().parent / "modules" / "platform_demo.c"
    ko = kbuild.build_module(src, tmp_path, kernel="5.4").read_bytes()
    k = Kernel.boot(clock_mode="virtual", elf_cache=elf_cache, kernel="5.4")
    try:
        lines: list[str] = []
        k.printk.consoles.append(lambda r: lines.append(r.text))
        k.init_module(ko, "order=1")
        no_irq = ["platform_demo platform_demo.0: IRQ index 0 not found",     # 5.4's dev_err
                  "platform_demo demo_alt: IRQ index 0 not found"]
        assert lines[-10:] == [no_irq[0], *PROBES[:4], no_irq[1], *PROBES[4:],
                               "platform_demo demo_alt: added, bound", DEVICES]
        assert k.fs.read(f"{DEV}/modalias") == "platform:platform_demo\n"
        # the driver's dev_groups (5.3+) on each device it binds, gone when it unbinds
        assert k.fs.read(f"{DEV}/state") == "bound by platform_demo, probe 1\n"
        k.fs.write(f"{DRV}/unbind", "platform_demo.0")
        assert not k.fs.exists(f"{DEV}/state")
        assert k.fs.exists(f"{DEV}/modalias")
        k.delete_module("platform_demo")
        assert lines[-2:] == ["platform_demo: release platform_demo.0",
                              "platform_demo: exit after 3 probes"]
    finally:
        k.shutdown()


def test_a_deferred_probe_is_tried_again_after_the_next_bind(shell):
    lines = run(shell, "insmod platform_demo.ko defer=platform_demo.0")
    assert lines[2:] == [
        "platform_demo platform_demo.0: not yet",
        "platform_demo platform_demo.0.auto: probe 1: id 0, entry platform_demo/1, parent platform",
        PROBES[3],
        "platform_demo demo_alt: probe 2: id -1, entry demo_alt/2, parent platform",
        PROBES[5],
        # driver_bound() queued deferred_probe_work_func, which runs in a kworker after init
        "platform_demo platform_demo.0: probe 3: id 0, entry platform_demo/1, parent platform",
        PROBES[1]]


def test_a_device_that_always_defers_waits_for_each_next_bind(shell):
    lines = run(shell, "insmod platform_demo.ko defer=platform_demo.0 defer_always=1")
    assert lines.count("platform_demo platform_demo.0: not yet") == 2     # at attach, by the work
    assert run(shell, f"echo demo_alt > {DRV}/unbind") == ["platform_demo demo_alt: remove 2 (tag2)"]
    assert run(shell, f"echo demo_alt > {DRV}/bind") == [
        "platform_demo demo_alt: probe 3: id -1, entry demo_alt/2, parent platform",
        PROBES[5], "platform_demo platform_demo.0: not yet"]            # the bind triggered it
    assert "driver" not in run(shell, f"ls {DEV}")


def test_without_autoprobe_devices_wait_for_drivers_probe(shell):
    assert run(shell, "cat /sys/bus/platform/drivers_autoprobe") == ["1"]
    run(shell, "echo 0 > /sys/bus/platform/drivers_autoprobe")
    assert run(shell, "insmod platform_demo.ko order=1") == [ADDED, DEVICES]
    assert run(shell, f"ls {DRV}") == ["bind", "module", "note", "probes", "uevent", "unbind"]
    assert run(shell, "echo demo_alt > /sys/bus/platform/drivers_probe") == [
        "platform_demo demo_alt: probe 1: id -1, entry demo_alt/2, parent platform",
        "platform_demo demo_alt: no mem, irq -6"]
    assert run(shell, "echo nosuch > /sys/bus/platform/drivers_probe") == [
        "bash: echo: write error: No such device"]


def test_probe_may_sleep_and_make_device_attributes(shell, kernel):
    start = kernel.clock.now
    assert len(run(shell, "insmod platform_demo.ko probe_sleep=20")) == 8
    assert kernel.clock.now - start >= 60_000_000                 # three msleep(20)s
    assert run(shell, f"cat {DEV}/serial") == ["1 tag1"]
    assert run(shell, "cat /sys/devices/platform/demo_alt/serial") == ["3 tag3"]
    run(shell, f"echo platform_demo.0 > {DRV}/unbind")
    assert "serial" not in run(shell, f"ls {DEV}")                # remove() took it away


def test_an_oops_in_probe_kills_insmod_and_the_machine_goes_on(shell, kernel):
    lines = run(shell, "insmod platform_demo.ko oops=platform_demo.0.auto")
    assert "BUG: unable to handle kernel NULL pointer dereference at 0000000000000000" in lines
    assert any(ln.startswith("RIP: 0010:demo_probe+") for ln in lines)
    assert lines[-1] == "Killed"
    trace = lines[lines.index("Call Trace:") + 1:]
    names = [ln.split("+")[0].strip() for ln in trace]
    assert names[:8] == [                                           # the driver core's chain
        "platform_drv_probe", "really_probe", "driver_probe_device", "__driver_attach",
        "bus_for_each_dev", "bus_add_driver", "driver_register", "__platform_driver_register"]
    assert names.index("demo_init") < names.index("do_one_initcall")    # (gcc may inline
    # register_driver() into it)
    # what really_probe() had done stays: dev->driver and the links, never bound
    assert run(shell, "cat /sys/devices/platform/platform_demo.0.auto/uevent") == [
        "DRIVER=platform_demo", "MODALIAS=platform:platform_demo"]
    assert run(shell, "rmmod platform_demo") == ["rmmod: ERROR: Module platform_demo is in use"]
    assert kernel.panicked is None
    assert run(shell, "echo alive") == ["alive"]


def test_registering_a_static_device_again_complains(shell):
    lines = run(shell, "insmod platform_demo.ko twice=1")
    assert lines[0] == "platform_demo: release platform_demo.0"
    assert lines[1].endswith("tried to init an initialized object, something is seriously wrong.")
    trace = lines[lines.index("Call Trace:") + 1:]
    assert [ln.split("+")[0].strip() for ln in trace[:4]] == [
        "kobject_init", "device_initialize", "platform_device_register", "add_devices"]
    assert lines[-len(PROBES):] == PROBES                 # registered all the same


def test_driver_attributes_from_groups_and_driver_create_file(shell):
    run(shell, "insmod platform_demo.ko")
    assert run(shell, f"cat {DRV}/probes") == ["platform_demo: 3"]       # show(drv, buf)
    assert run(shell, f"cat {DRV}/note") == ["none"]
    assert run(shell, f"echo hello > {DRV}/note") == []
    assert run(shell, f"cat {DRV}/note") == ["hello"]
    assert run(shell, f"echo {'x' * 40} > {DRV}/note") == [
        "bash: echo: write error: Invalid argument"]
    assert run(shell, f"echo 1 > {DRV}/probes") == [
        f"bash: {DRV}/probes: Permission denied"]


def test_platform_create_bundle_binds_once(kernel, tmp_path, test_module):
    sh = module_shell(kernel, tmp_path, test_module, "platform_once")
    assert run(sh, "insmod platform_once.ko") == ["platform_once platform_once: probed once (id -1)",
                                                 "platform_once: bundle platform_once"]
    d = "/sys/bus/platform/drivers/platform_once"
    assert run(sh, f"ls {d}") == ["module", "platform_once", "uevent"]    # suppress_bind_attrs
    assert run(sh, "rmmod platform_once") == ["platform_once platform_once: removed"]
    assert run(sh, "ls /sys/bus/platform/devices") == []


def test_platform_driver_probe_without_a_device_fails(kernel, tmp_path, test_module):
    sh = module_shell(kernel, tmp_path, test_module, "platform_once")
    assert run(sh, "insmod platform_once.ko mode=1") == [
        "insmod: ERROR: could not insert module platform_once.ko: No such device"]
    assert run(sh, "ls /sys/bus/platform/drivers") == []                  # unregistered again


def test_a_driver_of_another_module_matches_by_name(kernel, tmp_path, test_module):
    sh = module_shell(kernel, tmp_path, test_module, "platform_demo", "platform_simple")
    run(sh, "insmod platform_demo.ko nodriver=1")
    assert run(sh, "insmod platform_simple.ko") == [          # not demo_alt: another name
        "platform_demo platform_demo.0: simple probe, id_entry none",
        "platform_demo platform_demo.0.auto: simple probe, id_entry none"]
    assert run(sh, "rmmod platform_demo") == [                # its devices go: unbound first
        "platform_demo platform_demo.0.auto: simple remove",
        "platform_demo platform_demo.0: simple remove",
        "platform_demo: release platform_demo.0",
        "platform_demo: exit after 0 probes"]
    assert run(sh, f"ls {DRV}") == ["bind", "module", "uevent", "unbind"]
    assert link(sh, f"{DRV}/module") == "../../../../module/platform_simple"
    assert run(sh, "rmmod platform_simple") == []


def test_load_bind_unbind_unload_leaves_no_allocation_behind(shell, kernel):
    """platform_device_release(), devres and the driver core's own buffers free what they
    took: after the first cycle (which makes the bus) each one ends where it began."""
    use = []
    for _ in range(3):
        run(shell, "insmod platform_demo.ko")
        run(shell, f"echo platform_demo.0 > {DRV}/unbind")
        run(shell, f"echo platform_demo.0 > {DRV}/bind")
        run(shell, f"cat {DEV}/uevent {DEV}/serial {DRV}/probes")
        run(shell, "rmmod platform_demo")
        use.append(kernel.heap.bytes_in_use)
    assert use[1] == use[0] and use[2] == use[0]
