"""5.4 livepatch semantics beyond the selftests' golden output (kernel/livepatch/core.c and
transition.c of 5.4): klp_enable_patch()'s checks, the sysfs of 5.4, one transition at a time,
no stacking rules, automatic signals every SIGNALS_TIMEOUT attempts, force and module pinning."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, S, needs_gcc, needs_kernel
from kernel import kbuild
from kernel.errno import Errno, KernelError
from kernel.machine import Kernel

pytestmark = [needs_kernel, needs_gcc]
LP = "/sys/kernel/livepatch"
MODULES_5_4 = ROOT / "tests" / "modules" / "5.4"


@pytest.fixture(scope="module")
def mods(tmp_path_factory):
    """name -> .ko bytes of tests/modules/5.4 built for 5.4 (and for 4.19, suffixed '@4.19')."""
    out = tmp_path_factory.mktemp("k54-mods")
    built: dict[str, bytes] = {}

    def get(name: str, source: str | None = None, kernel: str = "5.4") -> bytes:
        key = f"{name}@{kernel}"
        if key not in built:
            src = MODULES_5_4 / f"{name}.c"
            if source is not None:
                src = out / f"{name}.c"
                src.write_text(source)
            built[key] = kbuild.build_module(src, out / kernel, kernel=kernel).read_bytes()
        return built[key]
    return get


def _boot(elf_cache, kernel="5.4") -> Kernel:
    k = Kernel.boot(clock_mode="virtual", elf_cache=elf_cache, kernel=kernel)
    k.lines = []
    k.printk.consoles.append(lambda r: k.lines.append(r.text))
    return k


@pytest.fixture
def k(elf_cache):
    machine = _boot(elf_cache)
    yield machine
    machine.shutdown()


NOT_A_LIVEPATCH = """
#include <linux/module.h>
#include <linux/livepatch.h>
static struct klp_func funcs[] = { { .old_name = "cmdline_proc_show", .new_func = NULL }, { } };
static struct klp_object objs[] = { { .funcs = funcs }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };
static int __init nolp_init(void) { return klp_enable_patch(&patch); }
module_init(nolp_init);
MODULE_LICENSE("GPL");
"""

NO_FUNCS = """
#include <linux/module.h>
#include <linux/livepatch.h>
static struct klp_object objs[] = { { .name = "some_module" }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };
static int __init nofuncs_init(void) { return klp_enable_patch(&patch); }
static void __exit nofuncs_exit(void) { }
module_init(nofuncs_init);
module_exit(nofuncs_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""

BAD_SYMBOL = """
#include <linux/module.h>
#include <linux/livepatch.h>
static int nothing(void) { return 0; }
static struct klp_func funcs[] = { { .old_name = "no_such_function", .new_func = nothing }, { } };
static struct klp_object objs[] = { { .funcs = funcs }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };
static int __init badsym_init(void) { return klp_enable_patch(&patch); }
static void __exit badsym_exit(void) { }
module_init(badsym_init);
module_exit(badsym_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""


def test_enable_refuses_a_module_not_marked_livepatch(k, mods):
    with pytest.raises(KernelError) as e:
        k.init_module(mods("nolp", NOT_A_LIVEPATCH), "")
    assert e.value.errno == Errno.EINVAL
    assert "livepatch: module nolp is not marked as a livepatch module" in k.lines
    assert k.fs.listdir(LP) == [] and "nolp" not in k.modules


@pytest.mark.parametrize("name,source,errno,line", [
    ("nofuncs", NO_FUNCS, Errno.EINVAL, None),
    ("badsym", BAD_SYMBOL, Errno.EINVAL, "livepatch: symbol 'no_such_function' not found in symbol table"),
])
def test_a_patch_that_fails_to_initialise_is_freed(k, mods, name, source, errno, line):
    with pytest.raises(KernelError) as e:
        k.init_module(mods(name, source), "")
    assert e.value.errno == errno
    if line:
        assert line in k.lines
    assert not any("enabling patch" in ln for ln in k.lines)
    assert k.fs.listdir(LP) == [] and name not in k.modules
    assert k.livepatch.patches == []


def test_sysfs_of_a_5_4_patch(k, mods):
    k.init_module(mods("test_klp_livepatch"), "")
    assert k.fs.read(f"{LP}/test_klp_livepatch/transition") == "1\n"
    k.run_for(2 * S)
    d = f"{LP}/test_klp_livepatch"
    assert k.fs.listdir(d) == ["enabled", "force", "transition", "vmlinux"]     # no signal
    assert k.fs.listdir(f"{d}/vmlinux") == ["cmdline_proc_show,1"]
    assert (k.fs.read(f"{d}/enabled"), k.fs.read(f"{d}/transition")) == ("1\n", "0\n")
    for value in ("1\n", "y\n"):                        # already in the requested state
        with pytest.raises(KernelError) as e:
            k.fs.write(f"{d}/enabled", value)
        assert e.value.errno == Errno.EINVAL
    with pytest.raises(KernelError) as e:               # force only during a transition
        k.fs.write(f"{d}/force", "1\n")
    assert e.value.errno == Errno.EINVAL
    k.fs.write(f"{d}/enabled", "0\n")
    k.run_for(2 * S)
    assert not k.fs.exists(d)
    assert k.modules["test_klp_livepatch"].refcnt == 0
    k.delete_module("test_klp_livepatch")


def _stall(k, mods, secs: int) -> None:
    """A busy target sleeping in busymod_work_func, and the demo patch stuck in transition."""
    k.init_module(mods("test_klp_callbacks_busy"), f"sleep_secs={secs}")
    k.run_for(S // 10)
    k.init_module(mods("test_klp_callbacks_demo"), "")
    k.run_for(3 * S)
    assert k.fs.read(f"{LP}/test_klp_callbacks_demo/transition") == "1\n"


def test_one_transition_at_a_time(k, mods):
    _stall(k, mods, 30)
    with pytest.raises(KernelError) as e:
        k.init_module(mods("test_klp_livepatch"), "")
    assert e.value.errno == Errno.EBUSY
    assert "test_klp_livepatch" not in k.modules
    assert k.fs.listdir(LP) == ["test_klp_callbacks_demo"]
    # the stalled patch can still be reversed, and reversed again
    k.fs.write(f"{LP}/test_klp_callbacks_demo/enabled", "0\n")
    k.fs.write(f"{LP}/test_klp_callbacks_demo/enabled", "1\n")
    assert k.lines[-2:] == [
        "livepatch: 'test_klp_callbacks_demo': reversing transition from unpatching to patching",
        "livepatch: 'test_klp_callbacks_demo': starting patching transition"]


def test_signals_are_sent_automatically_every_15_attempts(k, mods):
    _stall(k, mods, 60)
    start = next(r.ts_ns for r in k.printk.records
                 if r.text == "livepatch: 'test_klp_callbacks_demo': starting patching transition")
    k.run_for(40 * S)
    signals = [r for r in k.printk.records if r.text == "livepatch: signaling remaining tasks"]
    assert len(signals) == 1                      # said the first time only, sent every 15
    assert 14 * S < signals[0].ts_ns - start < 17 * S
    assert k.livepatch.signals_cnt > 30
    # msleep() is uninterruptible: the kworker stays in busymod_work_func
    assert k.fs.read(f"{LP}/test_klp_callbacks_demo/transition") == "1\n"


def test_4_19_sends_no_signal_by_itself(elf_cache):
    k = _boot(elf_cache, "4.19")
    try:
        from conftest import ko
        k.init_module(ko("livepatch-callbacks-busymod"), "sleep_secs=60")
        k.run_for(S // 10)
        k.init_module(ko("livepatch-callbacks-demo"), "")
        k.run_for(40 * S)
        assert "livepatch: signaling remaining tasks" not in k.lines
        k.fs.write(f"{LP}/livepatch_callbacks_demo/signal", "1\n")
        assert k.lines[-1] == "livepatch: signaling remaining tasks"
    finally:
        k.shutdown()


def test_force_pins_the_forced_patch_only(k, mods):
    _stall(k, mods, 30)
    k.fs.write(f"{LP}/test_klp_callbacks_demo/force", "1\n")
    assert k.lines[-1] == "livepatch: forcing remaining tasks to the patched state"
    k.run_for(2 * S)
    assert "livepatch: 'test_klp_callbacks_demo': patching complete" in k.lines
    k.fs.write(f"{LP}/test_klp_callbacks_demo/enabled", "0\n")
    k.run_for(2 * S)
    assert k.lines[-1] == "livepatch: 'test_klp_callbacks_demo': unpatching complete"
    assert k.fs.listdir(LP) == []
    assert k.modules["test_klp_callbacks_demo"].refcnt == 1    # forced: never removable
    with pytest.raises(KernelError):
        k.delete_module("test_klp_callbacks_demo")
    # a patch enabled after the force is not affected
    k.init_module(mods("test_klp_livepatch"), "")
    k.run_for(2 * S)
    k.fs.write(f"{LP}/test_klp_livepatch/enabled", "0\n")
    k.run_for(2 * S)
    k.delete_module("test_klp_livepatch")


SECOND_CMDLINE = """
#include <linux/module.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>
static int show(struct seq_file *m, void *v) { seq_printf(m, "second\\n"); return 0; }
static struct klp_func funcs[] = { { .old_name = "cmdline_proc_show", .new_func = show }, { } };
static struct klp_object objs[] = { { .funcs = funcs }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };
static int __init second_init(void) { return klp_enable_patch(&patch); }
static void __exit second_exit(void) { }
module_init(second_init);
module_exit(second_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""


def test_patches_on_one_function_disable_in_any_order(k, mods):
    boot = k.fs.read("/proc/cmdline")
    k.init_module(mods("test_klp_livepatch"), "")
    k.run_for(2 * S)
    k.init_module(mods("second", SECOND_CMDLINE), "")
    k.run_for(2 * S)
    assert k.fs.read("/proc/cmdline") == "second\n"
    k.fs.write(f"{LP}/test_klp_livepatch/enabled", "0\n")     # 4.19 said -EBUSY here
    k.run_for(2 * S)
    assert k.fs.read("/proc/cmdline") == "second\n"
    k.delete_module("test_klp_livepatch")
    k.fs.write(f"{LP}/second/enabled", "0\n")
    k.run_for(2 * S)
    assert k.fs.read("/proc/cmdline") == boot
    k.delete_module("second")


def test_replace_with_a_target_module_loaded_later(k, mods):
    """The nop of a cumulative patch for a module object: applied when the module comes,
    discarded with the replaced patch once the transition is over."""
    k.init_module(mods("test_klp_callbacks_demo"), "")
    k.run_for(2 * S)
    k.init_module(mods("test_klp_callbacks_demo2"), "replace=1")
    assert sorted(k.fs.listdir(f"{LP}/test_klp_callbacks_demo2")) == [
        "enabled", "force", "test_klp_callbacks_busy", "test_klp_callbacks_mod", "transition",
        "vmlinux"]
    assert k.fs.listdir(f"{LP}/test_klp_callbacks_demo2/test_klp_callbacks_busy") == [
        "busymod_work_func,1"]
    k.run_for(2 * S)
    assert k.fs.listdir(LP) == ["test_klp_callbacks_demo2"]
    assert sorted(k.fs.listdir(f"{LP}/test_klp_callbacks_demo2")) == [
        "enabled", "force", "transition", "vmlinux"]
    assert not any("test_klp_callbacks_demo: pre_unpatch" in ln or
                   "test_klp_callbacks_demo: post_unpatch" in ln for ln in k.lines)
    k.delete_module("test_klp_callbacks_demo")
    n = len(k.lines)
    k.init_module(mods("test_klp_callbacks_busy"), "sleep_secs=0")
    k.run_for(S)
    assert "test_klp_callbacks_busy: busymod_work_func, sleeping 0 seconds ..." in k.lines[n:]
    assert not any("applying patch" in ln for ln in k.lines[n:])


WALKER = """
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>
static int replace;
module_param(replace, int, 0644);
static struct klp_patch patch;
static void walk(const char *when)
{
	struct klp_object *obj, *tmp_obj;
	struct klp_func *func, *tmp_func;
	klp_for_each_object(&patch, obj) {
		pr_info("%s: object %s%s\\n", when, obj->name ? obj->name : "vmlinux",
			obj->dynamic ? " (dynamic)" : "");
		klp_for_each_func(obj, func)
			pr_info("%s:   %s,%lu%s\\n", when, func->old_name, func->old_sympos ? func->old_sympos : 1,
				func->nop ? " (nop)" : "");
	}
	klp_for_each_object_safe(&patch, obj, tmp_obj)
		klp_for_each_func_safe(obj, func, tmp_func)
			if (!func->old_func)
				pr_info("%s: %s has no address\\n", when, func->old_name);
}
static int pre_patch(struct klp_object *obj) { walk("pre_patch"); return 0; }
static void post_patch(struct klp_object *obj) { walk("post_patch"); }
static int walker_meminfo(struct seq_file *m, void *v) { seq_puts(m, "walked\\n"); return 0; }
static struct klp_func funcs[] = { { .old_name = "meminfo_proc_show", .new_func = walker_meminfo }, { } };
static struct klp_object objs[] = {
	{ .funcs = funcs, .callbacks = { .pre_patch = pre_patch, .post_patch = post_patch } }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };
static int __init walker_init(void) { patch.replace = replace; return klp_enable_patch(&patch); }
static void __exit walker_exit(void) { }
module_init(walker_init);
module_exit(walker_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""


def test_klp_for_each_object_and_func_walk_the_5_4_lists(k, mods):
    """klp_for_each_object()/klp_for_each_func() walk patch->obj_list and obj->func_list: a
    cumulative patch's pre-patch callback sees the dynamic objects and nops the core added,
    its post-patch callback (after klp_discard_nops()) only its own functions."""
    k.init_module(mods("test_klp_callbacks_demo"), "")          # vmlinux, mod, busy objects
    k.run_for(2 * S)
    k.init_module(mods("test_klp_livepatch"), "")
    k.run_for(2 * S)
    n = len(k.lines)
    k.init_module(mods("walker", WALKER), "replace=1")
    k.run_for(2 * S)
    walked = [ln.partition(": ")[2] for ln in k.lines[n:] if ln.startswith("walker: ") and "taints" not in ln]
    assert walked == [
        "pre_patch: object vmlinux",
        "pre_patch:   meminfo_proc_show,1",
        "pre_patch:   cmdline_proc_show,1 (nop)",
        "pre_patch: object test_klp_callbacks_mod (dynamic)",
        "pre_patch: object test_klp_callbacks_busy (dynamic)",
        "pre_patch:   busymod_work_func,1 (nop)",
        "pre_patch: busymod_work_func has no address",         # its module is not loaded
        "post_patch: object vmlinux",
        "post_patch:   meminfo_proc_show,1",
    ]
    assert k.fs.listdir(LP) == ["walker"]
    k.fs.write(f"{LP}/walker/enabled", "0\n")
    k.run_for(2 * S)
    for name in ("walker", "test_klp_livepatch", "test_klp_callbacks_demo"):
        k.delete_module(name)
    assert k.fs.listdir(LP) == []


def test_a_patch_without_replace_has_only_its_own_objects(k, mods):
    n = len(k.lines)
    k.init_module(mods("test_klp_livepatch"), "")
    k.run_for(2 * S)
    k.init_module(mods("walker", WALKER), "")
    k.run_for(2 * S)
    walked = [ln.partition(": ")[2] for ln in k.lines[n:] if ln.startswith("walker: ") and "taints" not in ln]
    assert walked == ["pre_patch: object vmlinux", "pre_patch:   meminfo_proc_show,1",
                      "post_patch: object vmlinux", "post_patch:   meminfo_proc_show,1"]


PENDING_PROBE = """
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/livepatch.h>
#include <linux/sched/signal.h>
static int __init probe_init(void)
{
	struct task_struct *p;
	int n = 0;
	rcu_read_lock();
	for_each_process(p)
		if (klp_patch_pending(p)) {
			pr_info("pending %d %s\\n", p->pid, p->comm);
			n++;
		}
	rcu_read_unlock();
	pr_info("%d pending, current %d\\n", n, klp_patch_pending(current));
	return 0;
}
static void __exit probe_exit(void) { }
module_init(probe_init);
module_exit(probe_exit);
MODULE_LICENSE("GPL");
"""


def _probe_pending(k, mods) -> list[str]:
    n = len(k.lines)
    k.init_module(mods("pending_probe", PENDING_PROBE), "")
    k.delete_module("pending_probe")
    return [ln.partition(": ")[2] for ln in k.lines[n:]
            if ln.startswith("pending_probe: ") and "taints" not in ln]


def test_klp_patch_pending_is_the_tasks_tif_patch_pending(k, mods):
    """5.4 linux/livepatch.h klp_patch_pending(): true for the tasks that have yet to switch
    (the kworker held up in busymod_work_func), false for the others and once it is over."""
    assert _probe_pending(k, mods) == ["0 pending, current 0"]
    _stall(k, mods, 30)
    stalled = sorted((t.pid, t.comm) for t in k.sched.all_tasks() if t.patch_pending)
    assert stalled and all(comm.startswith("kworker/") for _, comm in stalled)
    assert _probe_pending(k, mods) == [f"pending {pid} {comm}" for pid, comm in stalled] + [
        f"{len(stalled)} pending, current 0"]
    k.fs.write(f"{LP}/test_klp_callbacks_demo/force", "1\n")
    k.run_for(2 * S)
    assert _probe_pending(k, mods) == ["0 pending, current 0"]


def test_rmmod_rules_of_5_4():
    """An enabled (or unpatching) patch holds its module; once unpatching completes the patch
    is freed: its sysfs directory is gone (nothing to re-enable) and the module goes."""
    import io

    from klpsh.cli import run_batch
    buf = io.StringIO()
    run_batch(["insmod samples/livepatch/livepatch-sample.ko", "sleep 2",
               "rmmod livepatch_sample",
               "echo 0 > /sys/kernel/livepatch/livepatch_sample/enabled",
               "rmmod livepatch_sample", "sleep 2",
               "echo 1 > /sys/kernel/livepatch/livepatch_sample/enabled",
               "rmmod livepatch_sample", "lsmod"], "virtual", buf, kernel="5.4")
    out = [ln for ln in buf.getvalue().splitlines() if not ln.startswith("[")]
    assert out == [
        "% insmod samples/livepatch/livepatch-sample.ko", "% sleep 2",
        "% rmmod livepatch_sample", "rmmod: ERROR: Module livepatch_sample is in use",
        "% echo 0 > /sys/kernel/livepatch/livepatch_sample/enabled",
        "% rmmod livepatch_sample", "rmmod: ERROR: Module livepatch_sample is in use",
        "% sleep 2",
        "% echo 1 > /sys/kernel/livepatch/livepatch_sample/enabled",
        "bash: /sys/kernel/livepatch/livepatch_sample/enabled: No such file or directory",
        "% rmmod livepatch_sample", "% lsmod", "Module                  Size  Used by"]
