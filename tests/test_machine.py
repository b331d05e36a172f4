"""The machine end to end: real .ko modules loaded and run on the emulated CPU."""

from __future__ import annotations

import pytest

from conftest import S, ko, needs_gcc, needs_kernel
from kernel.errno import Errno, KernelError
from kernel.sched import TaskKilled

pytestmark = needs_kernel


def test_busymod_sleeps_in_virtual_time(kernel):
    kernel.run_for(10 * S)
    start = kernel.clock.now
    kernel.init_module(ko("livepatch-callbacks-busymod"), "sleep_secs=5")
    assert kernel.lines[-2:] == ["livepatch_callbacks_busymod: livepatch_callbacks_mod_init",
                                 "livepatch_callbacks_busymod: busymod_work_func, sleeping 5 seconds ..."]
    kernel.run_for(6 * S)
    exit_rec = [r for r in kernel.printk.records if r.text.endswith("busymod_work_func exit")]
    assert len(exit_rec) == 1
    assert 5 * S < exit_rec[0].ts_ns - start < 6 * S
    assert kernel.fs.read("/sys/module/livepatch_callbacks_busymod/parameters/sleep_secs") == "5\n"
    kernel.delete_module("livepatch_callbacks_busymod")
    assert kernel.lines[-1] == "livepatch_callbacks_busymod: livepatch_callbacks_mod_exit"
    assert "livepatch_callbacks_busymod" not in kernel.modules


def test_rmmod_waits_for_running_work(kernel):
    kernel.init_module(ko("livepatch-callbacks-busymod"), "sleep_secs=30")
    kernel.run_for(1 * S)
    t0 = kernel.clock.now
    kernel.delete_module("livepatch_callbacks_busymod")
    assert kernel.clock.now - t0 > 28 * S
    assert kernel.lines[-2:] == ["livepatch_callbacks_busymod: busymod_work_func exit",
                                 "livepatch_callbacks_busymod: livepatch_callbacks_mod_exit"]


@pytest.mark.parametrize("image", [b"", b"hello world", b"\x7fELF" + b"\0" * 60])
def test_bad_images_are_invalid_module_format(kernel, image):
    with pytest.raises(KernelError) as e:
        kernel.init_module(image, "")
    assert e.value.errno == Errno.ENOEXEC


def test_truncated_module(kernel):
    data = ko("livepatch-callbacks-mod")
    with pytest.raises(KernelError) as e:
        kernel.init_module(data[: len(data) // 2], "")
    assert e.value.errno == Errno.ENOEXEC
    kernel.init_module(data, "")
    assert "livepatch_callbacks_mod" in kernel.modules


def test_duplicate_load_and_bad_params(kernel):
    kernel.init_module(ko("livepatch-callbacks-mod"), "")
    with pytest.raises(KernelError) as e:
        kernel.init_module(ko("livepatch-callbacks-mod"), "")
    assert e.value.errno == Errno.EEXIST
    with pytest.raises(KernelError) as e:
        kernel.init_module(ko("livepatch-callbacks-busymod"), "sleep_secs=abc")
    assert e.value.errno == Errno.EINVAL
    assert kernel.lines[-1] == "livepatch_callbacks_busymod: `abc' invalid for parameter `sleep_secs'"
    kernel.init_module(ko("livepatch-callbacks-busymod"), "bogus=1 sleep_secs=0")
    assert "livepatch_callbacks_busymod: unknown parameter 'bogus' ignored" in kernel.lines


def test_sysfs_param_write_and_perms(kernel):
    kernel.init_module(ko("livepatch-callbacks-demo"), "")
    path = "/sys/module/livepatch_callbacks_demo/parameters/pre_patch_ret"
    kernel.fs.write(path, "-19\n")
    assert kernel.fs.read(path) == "-19\n"
    with pytest.raises(KernelError) as e:
        kernel.fs.write(path, "nonsense\n")
    assert e.value.errno == Errno.EINVAL
    with pytest.raises(KernelError) as e:
        kernel.fs.write("/sys/kernel/livepatch/livepatch_callbacks_demo/transition", "1\n")
    assert e.value.errno == Errno.EACCES


def test_cmdline_patched_only_while_enabled(kernel):
    before = kernel.fs.read("/proc/cmdline")
    assert before.startswith("BOOT_IMAGE=")
    kernel.init_module(ko("livepatch-sample"), "")
    kernel.run_for(2 * S)
    assert kernel.fs.read("/proc/cmdline") == "this has been live patched\n"
    kernel.fs.write("/sys/kernel/livepatch/livepatch_sample/enabled", "0\n")
    kernel.run_for(2 * S)
    assert kernel.fs.read("/proc/cmdline") == before
    kernel.delete_module("livepatch_sample")


def test_stalled_transition_visible_and_reversible(kernel):
    kernel.init_module(ko("livepatch-callbacks-busymod"), "sleep_secs=30")
    kernel.run_for(2 * S)
    kernel.init_module(ko("livepatch-callbacks-demo"), "")
    kernel.run_for(3 * S)
    assert kernel.fs.read("/sys/kernel/livepatch/livepatch_callbacks_demo/transition") == "1\n"
    stuck = [t for t in kernel.ps() if t.patch_state == 0]
    assert len(stuck) == 1 and stuck[0].comm.startswith("kworker")
    stack = kernel.fs.read(f"/proc/{stuck[0].pid}/stack")
    assert "busymod_work_func+0x" in stack and "[livepatch_callbacks_busymod]" in stack
    with pytest.raises(KernelError) as e:
        kernel.fs.write("/sys/kernel/livepatch/livepatch_callbacks_demo/enabled", "1\n")
    assert e.value.errno == Errno.EINVAL
    kernel.fs.write("/sys/kernel/livepatch/livepatch_callbacks_demo/enabled", "0\n")
    assert kernel.lines[-2].endswith("reversing transition from patching to unpatching")
    kernel.run_for(2 * S)
    assert kernel.lines[-1] == "livepatch: 'livepatch_callbacks_demo': unpatching complete"
    kernel.delete_module("livepatch_callbacks_demo")


def test_force_pins_the_patch_module(kernel):
    kernel.init_module(ko("livepatch-callbacks-busymod"), "sleep_secs=30")
    kernel.run_for(1 * S)
    kernel.init_module(ko("livepatch-callbacks-demo"), "")
    kernel.fs.write("/sys/kernel/livepatch/livepatch_callbacks_demo/force", "1\n")
    assert kernel.lines[-1] == "livepatch: forcing remaining tasks to the patched state"
    kernel.run_for(2 * S)
    assert kernel.lines[-1] == "livepatch: 'livepatch_callbacks_demo': patching complete"
    kernel.fs.write("/sys/kernel/livepatch/livepatch_callbacks_demo/enabled", "0\n")
    kernel.run_for(2 * S)
    assert kernel.modules["livepatch_callbacks_demo"].refcnt > 0


@needs_gcc
def test_faulting_module_oopses_and_machine_survives(kernel, build):
    image = build("oopsy", """
#include <linux/module.h>
static int *ptr;
static int __init oopsy_init(void) { return *ptr; }
module_init(oopsy_init);
MODULE_LICENSE("GPL");
""")
    kernel.init_module(ko("livepatch-callbacks-mod"), "")
    with pytest.raises(TaskKilled) as e:
        kernel.init_module(image, "")
    assert e.value.text == "Killed"
    # insmod died in init: the module stays half-loaded for good, as in Linux
    assert kernel.modules["oopsy"].state.name == "COMING"
    with pytest.raises(KernelError) as err:
        kernel.delete_module("oopsy")
    assert err.value.errno == Errno.EBUSY
    text = "\n".join(kernel.lines)
    assert "BUG: unable to handle kernel NULL pointer dereference" in text
    assert any(l.startswith("RIP: 0010:") and l.endswith("[oopsy]") for l in kernel.lines)
    assert any("do_one_initcall" in l for l in kernel.lines)
    assert "livepatch_callbacks_mod" in kernel.modules
    kernel.delete_module("livepatch_callbacks_mod")


@needs_gcc
def test_looping_module_soft_lockup(kernel, build):
    image = build("spinner", """
#include <linux/module.h>
static volatile int stop;
static int __init spinner_init(void) { while (!stop) ; return 0; }
module_init(spinner_init);
MODULE_LICENSE("GPL");
""")
    with pytest.raises(TaskKilled):
        kernel.init_module(image, "")
    assert any("soft lockup" in line for line in kernel.lines)
    kernel.init_module(ko("livepatch-callbacks-mod"), "")


@needs_gcc
def test_unknown_symbol(kernel, build):
    image = build("needy", """
#include <linux/module.h>
extern int no_such_function(void);
static int __init needy_init(void) { return no_such_function(); }
module_init(needy_init);
MODULE_LICENSE("GPL");
""")
    with pytest.raises(KernelError) as e:
        kernel.init_module(image, "")
    assert e.value.errno == Errno.ENOENT
    assert kernel.lines[-1] == "needy: Unknown symbol no_such_function (err -2)"
