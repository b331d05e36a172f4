"""Kbuild-style builds: a module directory's Kbuild/Makefile read as 4.19's make reads it, multi-object
modules, 4.19's warning flags, modpost's checks, `klpsh build DIR` and `klpsh make ...`."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import needs_gcc, needs_kernel

from kernel import kbuild
from kernel.kbuild_makefile import Makefile, MakeError, read_kbuild_dir

RELEASE = kbuild.DEFAULT_TREE.release


def _write(d: Path, files: dict[str, str]) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        p = d / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text).lstrip("\n"))
    return d


def _read(d: Path, **variables: str):
    return read_kbuild_dir(d, release=RELEASE, config=kbuild.DEFAULT_TREE.config(),
                           variables=variables or None)


# --- the make language ---------------------------------------------------------------------

def test_make_assignment_flavours_and_functions() -> None:
    mk = Makefile({"CLI": "cmd"}, release=RELEASE)
    mk.read_text(textwrap.dedent("""
        A = $(B) x
        B = b
        C := $(B) y
        B = late
        D ?= d
        D ?= ignored
        E = e1
        E += e2
        CLI = file-loses
        SRCS := one.c two.c three.S
        OBJS := $(SRCS:.c=.o)
        P := $(patsubst %.c,%.o,$(filter %.c,$(SRCS)))
        Q := $(addprefix sub/,$(notdir a/b.o c.o)) $(words $(SRCS)) $(strip   lots   of  space  )
        R := $(foreach f,x y,[$(f)]) $(if $(UNSET),yes,no) $(subst o,0,foo) $(firstword $(SRCS))
        S := $(shell uname -r) $(sort b a b)
        """), "Makefile")
    assert mk.get("A") == "late x"          # recursive: expanded at use
    assert mk.get("C") == "b y"             # simple: expanded once
    assert mk.get("D") == "d" and mk.get("E") == "e1 e2" and mk.get("CLI") == "cmd"
    assert mk.get("OBJS") == "one.o two.o three.S"
    assert mk.get("P") == "one.o two.o"
    assert mk.get("Q") == "sub/b.o sub/c.o 3 lots of space"
    assert mk.get("R") == "[x] [y] no f00 one.c"
    assert mk.get("S") == f"{RELEASE} a b"


def test_make_conditionals_rules_and_continuations() -> None:
    mk = Makefile({"KERNELRELEASE": RELEASE})
    mk.read_text(textwrap.dedent("""
        # a classic out-of-tree Makefile
        ifneq ($(KERNELRELEASE),)
        obj-m := a.o \\
                 b.o
        ifdef CONFIG_MISSING
        obj-m += never.o
        else ifeq ($(KERNELRELEASE),nope)
        obj-m += never2.o
        else
        obj-m += c.o  # comment
        endif
        else
        KDIR ?= /lib/modules/$(shell uname -r)/build
        default:
        	$(MAKE) -C $(KDIR) M=$$PWD
        obj-m += never3.o
        endif
        .PHONY: all clean
        all: ; @echo ignored
        clean:
        	rm -f *.o obj-m=broken
        """), "Makefile")
    assert mk.words("obj-m") == ["a.o", "b.o", "c.o"]
    assert not mk.defined("KDIR")


@pytest.mark.parametrize("text,message", [
    ("ifeq (a,b)\nx = 1\n", "missing 'endif'"),
    ("endif\n", "extraneous 'endif'"),
    ("this is not make\n", "missing separator"),
    ("$(error no kernel here)\n", "no kernel here"),
])
def test_make_errors_are_makes_words(text: str, message: str) -> None:
    with pytest.raises(MakeError, match=message):
        Makefile().read_text(text, "Makefile")


def test_kbuild_reads_composite_modules_and_flags(tmp_path: Path) -> None:
    d = _write(tmp_path / "m", {"Kbuild": """
        obj-m += startstop.o single.o
        obj-$(CONFIG_DEMO) += smp-only.o
        obj-$(CONFIG_SMP) += builtin-only.o
        obj-$(CONFIG_NOT_SET) += never.o
        startstop-objs := start.o stop.o
        multi-y := one.o
        multi-$(CONFIG_SMP) += two.o
        obj-m += multi.o
        ccflags-y := -DFROM_CCFLAGS -I$(src)/include
        EXTRA_CFLAGS += -DFROM_EXTRA
        CFLAGS_stop.o := -DONLY_STOP
        """, "Makefile": "obj-m := ignored.o\n"})
    kd = _read(d, CONFIG_DEMO="m")                   # make CONFIG_DEMO=m
    assert kd.kbuild_file.name == "Kbuild"           # Kbuild wins over Makefile
    mods = {m.name: (m.objects, m.composite) for m in kd.modules}
    assert mods == {"startstop": (["start.o", "stop.o"], True), "single": (["single.o"], False),
                    "smp-only": (["smp-only.o"], False), "multi": (["one.o", "two.o"], True)}
    assert kd.ccflags == ["-DFROM_CCFLAGS", f"-I{d.resolve()}/include", "-DFROM_EXTRA"]
    assert kd.obj_cflags == {"stop.o": ["-DONLY_STOP"]}


def test_kbuild_refuses_cflags_as_419_does(tmp_path: Path) -> None:
    d = _write(tmp_path / "m", {"Makefile": "obj-m := x.o\nCFLAGS += -DX\n"})
    with pytest.raises(MakeError, match=r'CFLAGS was changed in ".*/Makefile". Fix it to use ccflags-y'):
        _read(d)


def test_auto_conf_and_autoconf_h_agree() -> None:
    config = kbuild.DEFAULT_TREE.config()
    header = (kbuild.INCLUDE_DIR / "generated" / "autoconf.h").read_text()
    defines = {}
    for line in header.splitlines():
        parts = line.split(None, 2)
        if len(parts) == 3 and parts[0] == "#define":
            defines[parts[1]] = parts[2]
    expect = {}
    for key, value in config.items():
        if value == "y":
            expect[key] = "1"
        elif value == "m":
            expect[f"{key}_MODULE"] = "1"
        else:
            expect[key] = value
    assert defines == expect
    assert config["CONFIG_HZ"] == "1000" and config["CONFIG_MODULES"] == "y"


# --- building ---------------------------------------------------------------------------------

STARTSTOP = {
    "start.c": """
        #include <linux/kernel.h>
        #include <linux/module.h>
        #include "common.h"
        int init_module(void)
        {
        \tpr_info("start %d %d %s\\n", COMMON, CMDLINE_DEF, IS_ENABLED(CONFIG_SMP) ? "smp" : "up");
        \treturn 0;
        }
        """,
    "stop.c": """
        #include <linux/kernel.h>
        #include <linux/module.h>
        #include <linux/version.h>
        void cleanup_module(void)
        {
        #if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 19, 0) && LINUX_VERSION_CODE < KERNEL_VERSION(4, 20, 0)
        \tpr_info("stop on 4.19 %d\\n", ONLY_STOP);
        #else
        \tpr_info("stop elsewhere\\n");
        #endif
        }
        MODULE_LICENSE("GPL");
        """,
    "inc/common.h": "#define COMMON 7\n",
    "Makefile": """
        obj-m += startstop.o
        startstop-objs := start.o stop.o
        ccflags-y := -I$(src)/inc
        CFLAGS_stop.o := -DONLY_STOP=2

        all:
        \tmake -C /lib/modules/$(shell uname -r)/build M=$(PWD) modules
        """,
}


@needs_gcc
@needs_kernel
def test_multi_object_module_builds_links_and_runs(kernel, tmp_path: Path) -> None:
    d = _write(tmp_path / "startstop", STARTSTOP)
    lines: list[str] = []
    kos = kbuild.build_dir(d, log=lines.append, extra_cflags=["-DCMDLINE_DEF=5"])
    assert kos == [d.resolve() / "startstop.ko"]
    assert lines == [f"  CC [M]  {d.resolve()}/start.o", f"  CC [M]  {d.resolve()}/stop.o",
                     f"  LD [M]  {d.resolve()}/startstop.o", "  Building modules, stage 2.",
                     "  MODPOST 1 modules", f"  CC      {d.resolve()}/startstop.mod.o",
                     f"  LD [M]  {d.resolve()}/startstop.ko"]
    kernel.init_module(kos[0].read_bytes(), "")
    kernel.delete_module("startstop")
    assert [ln for ln in kernel.lines if "taints" not in ln] == ["start 7 5 smp", "stop on 4.19 2"]


@needs_gcc
def test_build_errors_show_gcc_then_make(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = _write(tmp_path / "bad", {
        "bad.c": """
            #include <linux/module.h>
            int helper();
            static int __init bad_init(void) { return undeclared_fn(3); }
            module_init(bad_init);
            MODULE_LICENSE("GPL");
            """,
        "Kbuild": "obj-m := bad.o\n"})
    assert kbuild.main([str(d)]) == 2
    err = capsys.readouterr().err.replace("\u2018", "'").replace("\u2019", "'")
    assert "error: function declaration isn't a prototype [-Werror=strict-prototypes]" in err
    assert "error: implicit declaration of function 'undeclared_fn' [-Werror=implicit-function-declaration]" \
        in err
    assert f"make[1]: *** [scripts/Makefile.build:304: {d.resolve()}/bad.o] Error 1" in err
    assert err.rstrip().endswith(f"make: *** [Makefile:1517: _module_{d.resolve()}] Error 2")
    assert not (d / "bad.ko").exists()


@needs_gcc
def test_missing_object_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = _write(tmp_path / "ss", {"start.c": STARTSTOP["start.c"], "inc/common.h": "#define COMMON 1\n",
                                 "Kbuild": "obj-m := ss.o\nss-y := start.o stop.o\nccflags-y := -I$(src)/inc -DCMDLINE_DEF=0\n"})
    assert kbuild.main([str(d)]) == 2
    err = capsys.readouterr().err
    assert f"make[1]: *** No rule to make target '{d.resolve()}/stop.o', needed by '{d.resolve()}/ss.o'.  Stop." in err


@needs_gcc
def test_modpost_warnings_and_gpl_fatal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = _write(tmp_path / "mp", {
        "nolic.c": """
            #include <linux/module.h>
            extern int nowhere_fn(void);
            static int __init nolic_init(void) { return nowhere_fn(); }
            module_init(nolic_init);
            """,
        "prop.c": """
            #include <linux/module.h>
            #include <linux/kallsyms.h>
            static int __init prop_init(void) { return !kallsyms_lookup_name("jiffies"); }
            module_init(prop_init);
            MODULE_LICENSE("Proprietary");
            """,
        "Kbuild": "obj-m := nolic.o\n"})
    assert kbuild.main([str(d)]) == 0
    err = capsys.readouterr().err
    assert f"WARNING: modpost: missing MODULE_LICENSE() in {d.resolve()}/nolic.o" in err
    assert f'WARNING: "nowhere_fn" [{d.resolve()}/nolic.ko] undefined!' in err
    (d / "Kbuild").write_text("obj-m := prop.o\n")
    assert kbuild.main([str(d)]) == 2
    err = capsys.readouterr().err
    assert (f"FATAL: modpost: GPL-incompatible module {d.resolve()}/prop.ko uses GPL-only symbol "
            "'kallsyms_lookup_name'") in err
    assert "make[1]: *** [scripts/Makefile.modpost:92: __modpost] Error 1" in err
    assert not (d / "prop.ko").exists()


@needs_gcc
def test_build_without_argument_and_make_one_liner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    d = _write(tmp_path / "ss", STARTSTOP)
    monkeypatch.chdir(d)
    assert kbuild.main(["-D", "CMDLINE_DEF=1"]) == 0
    assert (d / "startstop.ko").is_file()
    assert kbuild.make_main(["clean"]) == 0
    assert not (d / "startstop.ko").exists()
    monkeypatch.chdir(tmp_path)
    assert kbuild.make_main(["-C", "/lib/modules/6.1.0-host/build", f"M={d}", "modules",
                             "KCFLAGS=-DCMDLINE_DEF=3"]) == 0
    assert (d / "startstop.ko").is_file()
    assert "MODPOST 1 modules" in capsys.readouterr().out
    assert kbuild.make_main(["-C", str(d), "bogus"]) == 2
    assert "No rule to make target 'bogus'" in capsys.readouterr().err


@needs_gcc
def test_command_line_include_dir(tmp_path: Path) -> None:
    inc = _write(tmp_path / "shared", {"shared.h": "#define SHARED 42\n"})
    src = _write(tmp_path / "one", {"one.c": """
        #include <linux/module.h>
        #include <shared.h>
        static int __init one_init(void) { return SHARED - 42; }
        module_init(one_init);
        MODULE_LICENSE("GPL");
        """})
    assert kbuild.main([str(src / "one.c"), "-I", str(inc)]) == 0
    assert (src / "one.ko").is_file()
