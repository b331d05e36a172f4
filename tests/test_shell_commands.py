"""The commands people type on a real box: pipes into head/tail/grep/wc, uname, ls -l, clear,
dmesg -T/-l/-w, modinfo -F and depends=, echo of several values."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import needs_kernel
from klpsh.shell import parse
from klpsh.tools.filters import posix_regex

REPO = Path(__file__).resolve().parent.parent
KLINE = re.compile(r"^\[ *\d+\.\d{6}\] ")


def test_parse_splits_a_pipeline() -> None:
    cmd = parse("dmesg | grep -i 'live patch' | tail -n 3 > /sys/x")
    assert cmd.argv == ["dmesg"] and cmd.pipe == [["grep", "-i", "live patch"], ["tail", "-n", "3"]]
    assert cmd.redirect == "/sys/x"


@pytest.mark.parametrize("bre, ere, text, hit", [
    (r"a\(b\|c\)d", "a(b|c)d", "xacd", True),
    (r"ab\+", "ab+", "abbb", True),
    ("a+b", r"a\+b", "a+b", True),
    ("^*x", r"^\*x", "*x", True),
    ("[[:digit:]]\\{2\\}", "[[:digit:]]{2}", "a12", True),
    (r"\<patch\>", r"\<patch\>", "livepatch", False),
])
def test_posix_regular_expressions(bre: str, ere: str, text: str, hit: bool) -> None:
    assert bool(re.search(posix_regex(bre, False), text)) is hit
    assert bool(re.search(posix_regex(ere, True), text)) is hit


@pytest.fixture
def sh():
    from kernel.machine import Kernel
    from klpsh.shell import Shell

    k = Kernel.boot(clock_mode="virtual")
    out: list[str] = []
    shell = Shell(k, out.append, cwd=REPO)

    def run(line: str, stamps: bool = False) -> list[str]:
        start = len(out)
        shell.run_line(line)
        got = out[start + 1:]
        assert not any("Traceback" in t or "internal error" in t for t in got), got
        return got if stamps else [KLINE.sub("", t) for t in got]
    run.kernel = k  # type: ignore[attr-defined]
    run.shell = shell  # type: ignore[attr-defined]
    yield run
    k.shutdown()


pytestmark = needs_kernel


def _patched(run) -> None:
    run("insmod samples/livepatch/livepatch-sample.ko")
    run("sleep 2")


def test_pipes_into_head_tail_grep_wc(sh) -> None:
    _patched(sh)
    log = sh("dmesg")
    assert sh("dmesg | head -n 2") == log[:2]
    assert sh("dmesg | head -2") == log[:2]
    assert sh("dmesg | head -n -1") == log[:-1]
    assert sh("dmesg | tail -n 1") == log[-1:]
    assert sh("dmesg | tail -n +2") == log[1:]
    assert sh("dmesg | grep complete") == [ln for ln in log if "complete" in ln]
    assert sh("dmesg | grep -c livepatch") == [str(sum("livepatch" in ln for ln in log))]
    assert sh("dmesg | grep -v livepatch:") == [ln for ln in log if "livepatch:" not in ln]
    assert sh("dmesg | grep -i PATCHING | wc -l") == [str(sum("patching" in ln for ln in log))]
    assert sh("dmesg | grep -n enabling")[0].startswith(f"{[i for i, l in enumerate(log, 1) if 'enabling' in l][0]}:")
    assert sh("dmesg | grep -E 'enabling|complete$' | wc -l") == [
        str(sum("enabling" in ln or ln.endswith("complete") for ln in log))]
    assert sh("dmesg | grep -w patch") == [ln for ln in log if re.search(r"\bpatch\b", ln)]
    assert sh("dmesg | grep -F '(x'") == []
    assert sh("lsmod | grep -c sample") == ["1"]
    assert sh("cat /proc/modules | wc -l") == ["1"]
    assert sh("dmesg | wc -l | cat") == [str(len(log))]
    assert sh("grep -l sample /proc/modules /proc/cmdline") == ["/proc/modules"]
    assert sh("echo a b  c | wc -w") == ["3"]
    assert sh("echo a b c") == ["a b c"]
    assert sh("head -n 1 /proc/nosuch") == ["head: /proc/nosuch: No such file or directory"]
    assert sh("grep") == ["Usage: grep [OPTION]... PATTERNS [FILE]...", "Try 'grep --help' for more information."]
    assert sh("dmesg | grep -E 'a{'") == []  # a literal brace: no match, no crash


def test_grep_exit_status(sh) -> None:
    assert sh.shell.run_line("echo abc | grep b") == 0
    assert sh.shell.run_line("echo abc | grep x") == 1
    assert sh.shell.run_line("grep x /proc/nosuch") == 2


def test_uname(sh) -> None:
    k = sh.kernel
    assert sh("uname") == ["Linux"]
    assert sh("uname -r") == [k.release]
    assert sh("uname -a") == [f"Linux klpsh {k.release} {k.utsname().version} x86_64 GNU/Linux"]
    assert sh("uname -sm") == ["Linux x86_64"]
    assert sh("uname -x") == ["uname: invalid option -- 'x'", "Try 'uname --help' for more information."]


def test_ls_long(sh) -> None:
    _patched(sh)
    rows = sh("ls -l /sys/kernel/livepatch/livepatch_sample")
    assert rows[0] == "total 0"
    by_name = {r.split()[-1]: r for r in rows[1:]}
    assert by_name["enabled"].startswith("-rw-r--r-- 1 root root  4096 ")
    assert by_name["transition"].startswith("-r--r--r-- ")
    assert by_name["force"].startswith("--w------- ")
    assert by_name["vmlinux"].startswith("drwxr-xr-x ")
    assert sh("ls -l /proc/modules")[0].startswith("-r--r--r-- 1 root root     0 ")


def test_ls_long_shows_a_device_node_as_major_minor(sh) -> None:
    from kernel.fs import Attr
    import stat as st

    node = Attr(0o600)
    node.mode = st.S_IFCHR | 0o600   # as /dev nodes carry their type in the mode
    node.major, node.minor = 10, 61  # type: ignore[attr-defined]
    sh.kernel.vfs.root.mkdir("dev").children["klp"] = node
    assert sh("ls -l /dev/klp")[0].startswith("crw------- 1 root root 10, 61 ")
    assert "crw------- 1 root root 10, 61 Oct 22 00:00 klp" in sh("ls -l /dev")


def test_clear_erases_the_screen_where_there_is_one(sh) -> None:
    cleared = []
    sh.shell.clear = lambda: cleared.append(1)
    assert sh("clear") == [] and cleared == [1]


def test_dmesg_levels_ctime_and_follow(sh) -> None:
    sh("insmod samples/livepatch/livepatch-sample.ko")
    notices = sh("dmesg -l notice")
    assert notices and all("initializing" not in ln for ln in notices)  # that one is pr_debug
    assert sh("dmesg -l debug") == [ln for ln in sh("dmesg") if "initializing" in ln]
    assert sh("dmesg -T | head -n 1")[0].startswith("[Mon Oct 22 00:00:00 2018] ")
    assert sh("dmesg -l nope") == ["dmesg: unknown level 'nope'"]
    # -w: the transition completes while it follows; each line shown once (not by the console too)
    got = sh("dmesg -w", stamps=True)
    done = [ln for ln in got if ln.endswith("'livepatch_sample': patching complete")]
    assert len(done) == 1 and done[0].startswith("[    1.")


def test_modinfo_field_and_depends_as_modpost_computes_it(sh, test_module, tmp_path) -> None:
    (tmp_path / "export_a.ko").write_bytes(test_module("export_a"))
    (tmp_path / "export_b.ko").write_bytes(test_module("export_b"))
    sh.shell.cwd = tmp_path
    assert sh(f"modinfo -F depends {tmp_path}/export_b.ko") == ["export_a"]
    assert sh(f"modinfo -F depends {tmp_path}/export_a.ko") == [""]
    assert any(ln.startswith("depends:        export_a") for ln in sh(f"modinfo {tmp_path}/export_b.ko"))
    assert sh("modinfo -F license samples/livepatch/livepatch-sample.ko") == ["GPL"]
