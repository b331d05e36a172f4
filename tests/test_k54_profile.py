"""Kernel profiles: one kernel, two releases (4.19 default, 5.4), told apart by uname-like
surfaces and by the version magic the loader checks (kernel/profile.py)."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from conftest import ROOT, needs_gcc, needs_kernel
from kernel import kbuild
from kernel.errno import Errno, KernelError
from kernel.machine import Kernel
from kernel.profile import PROFILES, get_profile
from klpsh.cli import run_batch

pytestmark = [needs_kernel]

PLAIN = """
#include <linux/module.h>
#include <linux/kernel.h>
static int __init plain_init(void) { pr_info("plain: loaded\\n"); return 0; }
static void __exit plain_exit(void) { }
module_init(plain_init);
module_exit(plain_exit);
MODULE_LICENSE("GPL");
"""

OLD_API_PATCH = """
#include <linux/module.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>
static int new_show(struct seq_file *m, void *v) { seq_printf(m, "old api\\n"); return 0; }
static struct klp_func funcs[] = { { .old_name = "cmdline_proc_show", .new_func = new_show }, { } };
static struct klp_object objs[] = { { .funcs = funcs }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };
static int __init old_init(void)
{
	int ret = klp_register_patch(&patch);
	if (ret)
		return ret;
	return klp_enable_patch(&patch);
}
static void __exit old_exit(void) { klp_unregister_patch(&patch); }
module_init(old_init);
module_exit(old_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """plain.c built for each kernel: {kernel: .ko bytes}."""
    out = tmp_path_factory.mktemp("k54-profile")
    src = out / "plain.c"
    src.write_text(PLAIN)
    return {name: kbuild.build_module(src, out / name, kernel=name).read_bytes()
            for name in PROFILES}


def _boot(name, elf_cache):
    k = Kernel.boot(elf_cache=elf_cache, kernel=name)
    k.lines = []
    k.printk.consoles.append(lambda r: k.lines.append(r.text))
    return k


def test_profiles_tell_the_kernels_apart():
    old, new = get_profile("4.19"), get_profile("5.4")
    assert get_profile() is old and get_profile("5.4.0") is new and get_profile("5.4.0-klpsh") is new
    assert (old.release, new.release) == ("4.19.0-klpsh", "5.4.0-klpsh")
    assert new.vermagic.startswith("5.4.0-klpsh ") and old.vermagic.startswith("4.19.0-klpsh ")
    assert "signal" in old.livepatch.sysfs_attrs and "signal" not in new.livepatch.sysfs_attrs
    assert "klp_register_patch" in new.livepatch.absent_exports
    with pytest.raises(KeyError):
        get_profile("2.6")
    with pytest.raises(Exception):
        new.release = "x"  # frozen


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_release_surfaces_follow_the_profile(name, elf_cache):
    k = _boot(name, elf_cache)
    try:
        assert k.profile is PROFILES[name]
        assert k.release == PROFILES[name].release
        assert k.fs.read("/proc/version") == f"Linux version {k.release} (klpsh) {k.profile.version}\n"
        assert (k.utsname().release, k.utsname().version) == (k.release, k.profile.version)
    finally:
        k.shutdown()


@needs_gcc
def test_vermagic_of_a_build_is_the_kernels(built):
    for name, image in built.items():
        assert f"vermagic={PROFILES[name].vermagic}\0".encode() in image


@needs_gcc
@pytest.mark.parametrize("booted,module", [("5.4", "4.19"), ("4.19", "5.4")])
def test_a_module_of_the_other_kernel_is_refused(booted, module, built, elf_cache):
    k = _boot(booted, elf_cache)
    try:
        with pytest.raises(KernelError) as e:
            k.init_module(built[module], "")
        assert e.value.errno == Errno.ENOEXEC
        assert k.lines[-1] == (f"plain: version magic '{PROFILES[module].vermagic}' "
                               f"should be '{PROFILES[booted].vermagic}'")
        assert "plain" not in k.modules
        k.init_module(built[booted], "")
        assert k.lines[-1] == "plain: loaded"
    finally:
        k.shutdown()


@needs_gcc
def test_insmod_words_the_refusal_like_kmod(built, tmp_path):
    ko = tmp_path / "plain.ko"
    ko.write_bytes(built["4.19"])
    buf = io.StringIO()
    run_batch([f"insmod {ko}", "lsmod"], "virtual", buf, kernel="5.4")
    out = buf.getvalue().splitlines()
    assert f"insmod: ERROR: could not insert module {ko}: Invalid module format" in out
    assert any(ln.endswith("plain: version magic '4.19.0-klpsh SMP mod_unload ' "
                           "should be '5.4.0-klpsh SMP mod_unload '") for ln in out)


@needs_gcc
def test_a_4_19_style_livepatch_does_not_build_or_load_on_5_4(tmp_path, elf_cache):
    src = tmp_path / "old_api.c"
    # the 5.4 header does not declare klp_register_patch(); declared by hand, the module
    # builds, but 5.4 has no such symbol to link
    src.write_text(OLD_API_PATCH.replace(
        "#include <linux/seq_file.h>", "#include <linux/seq_file.h>\n"
        "int klp_register_patch(struct klp_patch *);\nint klp_unregister_patch(struct klp_patch *);"))
    image = kbuild.build_module(src, tmp_path / "54", kernel="5.4").read_bytes()
    k = _boot("5.4", elf_cache)
    try:
        with pytest.raises(KernelError) as e:
            k.init_module(image, "")
        assert e.value.errno == Errno.ENOENT
        assert "old_api: Unknown symbol klp_register_patch (err -2)" in k.lines
        assert "old_api: Unknown symbol klp_unregister_patch (err -2)" in k.lines
        assert "old_api" not in k.modules
    finally:
        k.shutdown()


def test_build_rejects_an_unknown_kernel(tmp_path):
    src = tmp_path / "x.c"
    src.write_text(PLAIN)
    with pytest.raises(kbuild.BuildError, match="unknown kernel '3.10'"):
        kbuild.build_module(src, tmp_path, kernel="3.10")


def test_cli_kernel_option_boots_5_4():
    proc = subprocess.run([sys.executable, "-m", "klpsh", "--kernel", "5.4", "-"],
                          input="cat /proc/version\n", capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Linux version 5.4.0-klpsh (klpsh) #1 SMP Sun Nov 24 00:00:00 UTC 2019" in proc.stdout
    bad = subprocess.run([sys.executable, "-m", "klpsh", "--kernel", "2.6", "-"], input="",
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert bad.returncode == 2 and "invalid choice: '2.6'" in bad.stderr
