"""The 4.19 livepatch API's checks and errors, with modules written for the test (not the samples).

Each case is a small module built against kernel/include, loaded through the batch shell, and
judged by what the kernel prints and the tools report.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import needs_gcc, needs_kernel
from klpsh.shell import Shell

pytestmark = needs_kernel

REPO = Path(__file__).resolve().parent.parent
KLINE = re.compile(r"^\[ *\d+\.\d{6}\] (.*)$")

NOTRACE_TARGET = r"""
#include <linux/module.h>
#include <linux/kernel.h>

static noinline notrace int plain_helper(int x) { return x + 1; }
static noinline int traced_helper(int x) { return x + 2; }

static int target_init(void)
{
	pr_info("klp_notrace_target: %d %d\n", plain_helper(1), traced_helper(1));
	return 0;
}
static void target_exit(void) { }
module_init(target_init);
module_exit(target_exit);
MODULE_LICENSE("GPL");
"""

PATCH_OF = r"""
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static int new_helper(int x) { return x + 100; }
static struct klp_func funcs[] = { { .old_name = "%(func)s", .new_func = new_helper }, { } };
static struct klp_object objs[] = { { .name = "klp_notrace_target", .funcs = funcs }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };

static int lp_init(void)
{
	int ret = klp_register_patch(&patch);
	if (ret)
		return ret;
	ret = klp_enable_patch(&patch);
	if (ret) {
		WARN_ON(klp_unregister_patch(&patch));
		return ret;
	}
	return 0;
}
static void lp_exit(void) { WARN_ON(klp_unregister_patch(&patch)); }
module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""

TWO_PATCHES = r"""
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>

static int new_show(struct seq_file *m, void *v) { seq_printf(m, "twice\n"); return 0; }
static struct klp_func funcs1[] = { { .old_name = "cmdline_proc_show", .new_func = new_show }, { } };
static struct klp_func funcs2[] = { { .old_name = "cmdline_proc_show", .new_func = new_show }, { } };
static struct klp_object objs1[] = { { .name = NULL, .funcs = funcs1 }, { } };
static struct klp_object objs2[] = { { .name = NULL, .funcs = funcs2 }, { } };
static struct klp_patch p1 = { .mod = THIS_MODULE, .objs = objs1 };
static struct klp_patch p2 = { .mod = THIS_MODULE, .objs = objs2 };

static int dup_init(void)
{
	int r1 = klp_register_patch(&p1);
	int r2 = klp_register_patch(&p2);
	int r3 = klp_register_patch(&p1);

	pr_info("klp_two_patches: register %d %d %d\n", r1, r2, r3);
	return r1 ? r1 : klp_enable_patch(&p1);
}
static void dup_exit(void) { WARN_ON(klp_unregister_patch(&p1)); }
module_init(dup_init);
module_exit(dup_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""

SHADOW_USER = r"""
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/livepatch.h>

#define N 24
static int parents[N];
static int ctor_calls;

static int ctor(void *obj, void *data, void *arg) { ctor_calls++; *(long *)data = (long)arg; return 0; }
static int bad_ctor(void *obj, void *data, void *arg) { return -12; }
static void dtor(void *obj, void *data)
{
	pr_info("shadow_user: dtor %lx %ld\n", (unsigned long)obj, *(long *)data);
}

static int shadow_init(void)
{
	long *a = klp_shadow_alloc(&parents[0], 1, sizeof(long), GFP_KERNEL, ctor, (void *)7);
	long *b = klp_shadow_alloc(&parents[0], 1, sizeof(long), GFP_KERNEL, ctor, (void *)8);
	long *c = klp_shadow_get_or_alloc(&parents[0], 1, sizeof(long), GFP_KERNEL, ctor, (void *)9);
	long *d = klp_shadow_alloc(&parents[1], 1, sizeof(long), GFP_KERNEL, bad_ctor, NULL);
	int i;

	pr_info("shadow_user: a=%ld dup=%d same=%d failed=%d ctor_calls=%d gone=%d\n", *a, b == NULL,
		c == a, d == NULL, ctor_calls, klp_shadow_get(&parents[1], 1) == NULL);
	for (i = 2; i < N; i++)
		klp_shadow_alloc(&parents[i], 1, sizeof(long), GFP_KERNEL, ctor, (void *)(long)i);
	klp_shadow_alloc(&parents[2], 2, sizeof(long), GFP_KERNEL, ctor, (void *)-2L);
	klp_shadow_free(&parents[3], 1, dtor);
	pr_info("shadow_user: free_all\n");
	klp_shadow_free_all(1, dtor);
	pr_info("shadow_user: left %d %d\n", klp_shadow_get(&parents[2], 2) != NULL,
		klp_shadow_get(&parents[2], 1) != NULL);
	klp_shadow_free_all(2, dtor);
	return 0;
}
static void shadow_exit(void) { }
module_init(shadow_init);
module_exit(shadow_exit);
MODULE_LICENSE("GPL");
"""


def _shell(tmp_path: Path) -> tuple["object", Shell, list[str]]:
    from kernel.machine import Kernel

    k = Kernel.boot(clock_mode="virtual")
    out: list[str] = []
    return k, Shell(k, out.append, cwd=tmp_path), out


def run(shell: Shell, out: list[str], line: str) -> list[str]:
    """The texts a command printed (kernel lines without timestamps), after its echo."""
    start = len(out)
    shell.run_line(line)
    texts = [KLINE.sub(r"\1", t) for t in out[start + 1:]]
    assert not any("Traceback" in t or "internal error" in t for t in texts)
    return texts


@pytest.fixture
def modules(build, tmp_path):
    """Write the built modules into TMP_PATH so that `insmod NAME.ko` finds them."""
    def _mods(**sources: str) -> None:
        for name, src in sources.items():
            (tmp_path / f"{name}.ko").write_bytes(build(name, src))
    return _mods


@needs_gcc
def test_patching_a_function_without_fentry_fails_in_ftrace(tmp_path, modules):
    """x86 4.19: no "failed to find location"; ftrace_set_filter_ip() refuses the address."""
    modules(klp_notrace_target=NOTRACE_TARGET, klp_patch_plain=PATCH_OF % {"func": "plain_helper"},
            klp_patch_traced=PATCH_OF % {"func": "traced_helper"})
    k, sh, out = _shell(tmp_path)
    assert run(sh, out, "insmod klp_notrace_target.ko")[-1] == "klp_notrace_target: 2 3"
    got = run(sh, out, "insmod klp_patch_plain.ko")
    assert got[-7:] == [
        "livepatch: failed to set ftrace filter for function 'plain_helper' (-22)",
        "livepatch: failed to patch object 'klp_notrace_target'",
        "livepatch: failed to enable patch 'klp_patch_plain'",
        "livepatch: 'klp_patch_plain': canceling transition, going to unpatch",
        "livepatch: 'klp_patch_plain': completing unpatching transition",
        "livepatch: 'klp_patch_plain': unpatching complete",
        "insmod: ERROR: could not insert module klp_patch_plain.ko: Invalid parameters",
    ]
    assert "klp_patch_plain" not in k.modules
    # The same patch applied when the module loads later: the loader refuses the module.
    run(sh, out, "rmmod klp_notrace_target")
    assert run(sh, out, "insmod klp_patch_plain.ko") == [
        "livepatch: enabling patch 'klp_patch_plain'",
        "livepatch: 'klp_patch_plain': initializing patching transition",
        "livepatch: 'klp_patch_plain': starting patching transition"]
    assert run(sh, out, "insmod klp_notrace_target.ko") == [
        "livepatch: applying patch 'klp_patch_plain' to loading module 'klp_notrace_target'",
        "livepatch: failed to set ftrace filter for function 'plain_helper' (-22)",
        "livepatch: failed to apply patch 'klp_patch_plain' to module 'klp_notrace_target' (-22)",
        "livepatch: patch 'klp_patch_plain' failed for module 'klp_notrace_target', "
        "refusing to load module 'klp_notrace_target'",
        "insmod: ERROR: could not insert module klp_notrace_target.ko: Invalid parameters"]
    run(sh, out, "sleep 2")
    run(sh, out, "echo 0 > /sys/kernel/livepatch/klp_patch_plain/enabled")
    run(sh, out, "sleep 2")
    assert run(sh, out, "rmmod klp_patch_plain") == []
    # A traced function of the same module patches fine.
    run(sh, out, "insmod klp_notrace_target.ko")
    got = run(sh, out, "insmod klp_patch_traced.ko")
    assert got[-1] == "livepatch: 'klp_patch_traced': starting patching transition"


@needs_gcc
def test_a_second_registration_is_eexist_from_sysfs(tmp_path, modules):
    """4.19 has no "already registered" check: the patch's kobject name is taken (-EEXIST)."""
    modules(klp_two_patches=TWO_PATCHES)
    k, sh, out = _shell(tmp_path)
    got = run(sh, out, "insmod klp_two_patches.ko")
    dup = "sysfs: cannot create duplicate filename '/kernel/livepatch/klp_two_patches'"
    assert got.count(dup) == 2
    assert got.count("kobject_add_internal failed for klp_two_patches with -EEXIST, don't try to "
                     "register things with the same name in the same directory.") == 2
    assert "klp_two_patches: register 0 -17 -17" in got
    assert got[-1] == "livepatch: 'klp_two_patches': starting patching transition"
    assert [p.name for p in k.livepatch.patches] == ["klp_two_patches"]
    run(sh, out, "sleep 2")
    assert run(sh, out, "cat /proc/cmdline") == ["twice"]
    run(sh, out, "echo 0 > /sys/kernel/livepatch/klp_two_patches/enabled")
    run(sh, out, "sleep 2")
    assert run(sh, out, "rmmod klp_two_patches") == []
    assert run(sh, out, "ls /sys/kernel/livepatch") == []
    assert not k.livepatch.patches


def _hash_bucket(addr: int) -> int:
    """hash_min(addr, 12) on 64 bits: hash_64() with GOLDEN_RATIO_64 (include/linux/hash.h)."""
    return ((addr * 0x61C8864680B583EB) & ((1 << 64) - 1)) >> 52


@needs_gcc
def test_shadow_variable_api(tmp_path, modules):
    modules(shadow_user=SHADOW_USER)
    k, sh, out = _shell(tmp_path)
    got = run(sh, out, "insmod shadow_user.ko")
    assert "shadow_user: a=7 dup=1 same=1 failed=1 ctor_calls=1 gone=1" in got
    # The duplicate klp_shadow_alloc(): WARN(1, ...) at its line of kernel/livepatch/shadow.c.
    cut = got.index("------------[ cut here ]------------")
    assert re.fullmatch(r"Duplicate shadow variable <[0-9a-f]{16}, 1>", got[cut + 1])
    assert re.fullmatch(r"WARNING: CPU: \d PID: \d+ at kernel/livepatch/shadow\.c:177 "
                        r"__klp_shadow_get_or_alloc\+0x[0-9a-f]+/0x[0-9a-f]+", got[cut + 2])
    trace = got.index("Call Trace:", cut)
    assert got[trace + 1].startswith(" klp_shadow_alloc+0x") and got[trace + 2].endswith(" [shadow_user]")
    assert any(re.fullmatch(r"livepatch: Failed to construct shadow variable <[0-9a-f]{16}, 1> \(-12\)", t)
               for t in got)
    # klp_shadow_free() of one; klp_shadow_free_all() walks the hash table bucket by bucket.
    start, left = got.index("shadow_user: free_all"), got.index("shadow_user: left 1 0")
    freed_one = [t.split()[2:] for t in got[:start] if t.startswith("shadow_user: dtor ")]
    assert len(freed_one) == 1 and freed_one[0][1] == "3"
    dtors = [t.split()[2:] for t in got[start + 1:left] if t.startswith("shadow_user: dtor ")]
    assert sorted(int(v) for _a, v in dtors) == sorted([7, 2, *range(4, 24)])
    addrs = [int(a, 16) for a, _v in dtors]
    assert len({_hash_bucket(a) for a in addrs}) > 1, "the parents spread over several buckets"
    assert addrs == sorted(addrs, key=_hash_bucket), "hash_for_each() goes bucket by bucket"
    assert [t for t in got[left:] if t.startswith("shadow_user: dtor ")][0].endswith(" -2"), \
        "free_all(2) frees the id-2 variable only"


def test_sysfs_bools_are_parsed_like_kstrtobool():
    """kstrtobool() reads the first characters as they are: no leading blanks."""
    k, sh, out = _shell(REPO)
    run(sh, out, "insmod samples/livepatch/livepatch-sample.ko")
    run(sh, out, "sleep 2")
    enabled = "/sys/kernel/livepatch/livepatch_sample/enabled"
    assert run(sh, out, f"echo ' 0' > {enabled}") == ["bash: echo: write error: Invalid argument"]
    assert run(sh, out, f"echo '' > {enabled}") == ["bash: echo: write error: Invalid argument"]
    assert run(sh, out, f"echo Yes > {enabled}") == ["bash: echo: write error: Invalid argument"]
    got = run(sh, out, f"echo off > {enabled}")
    assert got[-1] == "livepatch: 'livepatch_sample': starting unpatching transition"
    got = run(sh, out, f"echo 1x > {enabled}")
    assert got[-1] == "livepatch: 'livepatch_sample': starting patching transition", "reversed"
    assert run(sh, out, "echo ' 1' > /sys/kernel/livepatch/livepatch_sample/force") == \
        ["bash: echo: write error: Invalid argument"]


def test_patch_sysfs_modes_and_layout():
    """transition is read-only, signal and force write-only (kernfs refuses the open: -EACCES)."""
    k, sh, out = _shell(REPO)
    run(sh, out, "insmod samples/livepatch/livepatch-sample.ko")
    d = "/sys/kernel/livepatch/livepatch_sample"
    assert run(sh, out, f"ls {d}") == ["enabled", "force", "signal", "transition", "vmlinux"]
    assert run(sh, out, f"ls {d}/vmlinux") == ["cmdline_proc_show,1"]
    assert run(sh, out, f"echo 1 > {d}/transition") == [f"bash: {d}/transition: Permission denied"]
    for name in ("signal", "force"):
        assert run(sh, out, f"cat {d}/{name}") == [f"cat: {d}/{name}: Permission denied"]
    assert run(sh, out, f"cat {d}/transition") == ["1"]
    assert run(sh, out, f"cat {d}/enabled") == ["1"]


@pytest.mark.parametrize("errno, reason", [(-1, "Operation not permitted"), (-12, "Cannot allocate memory"),
                                           (-16, "Device or resource busy"), (-22, "Invalid parameters")])
def test_a_pre_patch_callbacks_errno_reaches_insmod(errno, reason):
    """Both ways: the livepatch's own load (enable fails) and a target's load (coming refused)."""
    k, sh, out = _shell(REPO)
    demo = "samples/livepatch/livepatch-callbacks-demo.ko"
    got = run(sh, out, f"insmod {demo} pre_patch_ret={errno}")
    assert got[-1] == f"insmod: ERROR: could not insert module {demo}: {reason}"
    assert "livepatch: pre-patch callback failed for object 'vmlinux'" in got
    run(sh, out, f"insmod {demo}")
    run(sh, out, f"echo {errno} > /sys/module/livepatch_callbacks_demo/parameters/pre_patch_ret")
    mod = "samples/livepatch/livepatch-callbacks-mod.ko"
    got = run(sh, out, f"insmod {mod}")
    assert got[-2:] == ["livepatch: patch 'livepatch_callbacks_demo' failed for module 'livepatch_callbacks_mod', "
                        "refusing to load module 'livepatch_callbacks_mod'",
                        f"insmod: ERROR: could not insert module {mod}: {reason}"]
    assert "livepatch_callbacks_mod" not in k.modules


def test_a_positive_pre_patch_return_is_passed_on_as_is():
    """4.19 hands any non-zero callback value back unchanged: a livepatch init returning 1 is
    "suspicious" and the module stays (its patch unregistered); load_module() returning 1 makes
    init_module(2) succeed for kmod, though the target module was refused."""
    k, sh, out = _shell(REPO)
    demo = "samples/livepatch/livepatch-callbacks-demo.ko"
    got = run(sh, out, f"insmod {demo} pre_patch_ret=1")
    assert "livepatch: pre-patch callback failed for object 'vmlinux'" in got
    i = got.index("do_init_module: 'livepatch_callbacks_demo'->init suspiciously returned 1, "
                  "it should follow 0/-E convention")
    assert got[i + 1] == "do_init_module: loading module anyway..."
    trace = got[got.index("Call Trace:", i) + 1:]
    assert [t.split("+")[0].strip() for t in trace[:4]] == \
        ["dump_stack", "do_init_module", "load_module", "__do_sys_finit_module"]
    assert not any(t.startswith("insmod: ") for t in got)
    assert "livepatch_callbacks_demo" in k.modules and run(sh, out, "ls /sys/kernel/livepatch") == []
    got = run(sh, out, "rmmod livepatch_callbacks_demo")
    assert any(t.startswith("WARNING: ") and "livepatch-callbacks-demo.c" in t for t in got), \
        "its exit's WARN_ON(klp_unregister_patch()): the patch is not registered"
    run(sh, out, f"insmod {demo}")
    run(sh, out, "echo 1 > /sys/module/livepatch_callbacks_demo/parameters/pre_patch_ret")
    got = run(sh, out, "insmod samples/livepatch/livepatch-callbacks-mod.ko")
    assert got[-1] == ("livepatch: patch 'livepatch_callbacks_demo' failed for module "
                       "'livepatch_callbacks_mod', refusing to load module 'livepatch_callbacks_mod'")
    assert "livepatch_callbacks_mod" not in k.modules
