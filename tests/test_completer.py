"""Tab completion: commands, module files (host and samples/livepatch/), parameters with their
descriptions, loaded modules, /sys and /proc paths; and that it never raises."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import MODULES, needs_kernel
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from klpsh.completer import KlpshCompleter, split_line
from klpsh.shell import Shell
from klpsh.tools import load_tools

pytestmark = needs_kernel


@pytest.fixture
def complete(kernel, tmp_path: Path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "mine.ko").write_bytes((MODULES / "livepatch-sample.ko").read_bytes())
    (tmp_path / "notes.txt").write_text("")
    (tmp_path / "fix.c").write_text("")
    shell = Shell(kernel, lambda _: None, echo=False, cwd=tmp_path)
    completer = KlpshCompleter(kernel, load_tools(), tmp_path, MODULES)

    def run(text: str) -> dict[str, str]:
        """{completed word: meta} for TEXT with the cursor at its end."""
        got = completer.get_completions(Document(text), CompleteEvent(completion_requested=True))
        return {c.text: c.display_meta_text for c in got}
    run.shell = shell  # type: ignore[attr-defined]
    return run


def test_commands_with_their_summaries(complete) -> None:
    got = complete("")
    assert set(got) == set(load_tools())
    assert got["insmod"] == "insert a module file into the kernel"
    assert set(complete("mod")) == {"modinfo", "modprobe"}
    assert complete("zz") == {}


def test_insmod_files_host_and_bundled(complete) -> None:
    got = complete("insmod ")
    assert {"sub/", "mine.ko", "samples/"} <= set(got)
    assert "notes.txt" not in got and "fix.c" not in got
    assert set(complete("insmod samples/livepatch/livepatch-callbacks-")) == {
        f"samples/livepatch/livepatch-callbacks-{n}.ko" for n in ("busymod", "demo", "mod")}
    assert set(complete("insmod m")) == {"mine.ko"}


def test_parameters_with_descriptions_from_modinfo(complete) -> None:
    assert complete("insmod samples/livepatch/livepatch-callbacks-demo.ko ") == {
        "pre_patch_ret=": "pre_patch_ret (default=0) (int)"}
    assert complete("insmod samples/livepatch/livepatch-callbacks-busymod.ko sl") == {
        "sleep_secs=": "sleep_secs (default=0) (int)"}
    # a parameter already given is not offered again; nothing to offer inside a value
    assert complete("insmod samples/livepatch/livepatch-callbacks-busymod.ko sleep_secs=3 ") == {}
    assert complete("insmod samples/livepatch/livepatch-callbacks-busymod.ko sleep_secs=") == {}
    assert complete("modprobe livepatch-callbacks-busymod ") == {
        "sleep_secs=": "sleep_secs (default=0) (int)"}


def test_modprobe_names_and_rmmod_loaded_modules(complete) -> None:
    assert {"livepatch_callbacks_demo", "livepatch_callbacks_mod", "mine"} <= set(complete("modprobe "))
    assert set(complete("modprobe livepatch-callbacks-m")) == {"livepatch_callbacks_mod"}
    assert complete("rmmod ") == {}
    complete.shell.run_line("insmod samples/livepatch/livepatch-callbacks-mod.ko")
    complete.shell.run_line("insmod samples/livepatch/livepatch-callbacks-demo.ko")
    assert complete("rmmod ") == {"livepatch_callbacks_demo": "live",
                                  "livepatch_callbacks_mod": "live"}
    assert set(complete("rmmod livepatch_callbacks_mod ")) == {"livepatch_callbacks_demo"}
    assert set(complete("modprobe -r livepatch_callbacks_d")) == {"livepatch_callbacks_demo"}
    assert set(complete("rmmod -")) == {"-f"}


def test_kernfs_paths_follow_the_live_tree(complete) -> None:
    assert set(complete("cat ")) == {"/sys/", "/proc/"}
    assert "/sys/kernel/livepatch/" in complete("ls /sys/kernel/")
    complete.shell.run_line("insmod samples/livepatch/livepatch-callbacks-demo.ko")
    base = "/sys/kernel/livepatch/livepatch_callbacks_demo/"
    got = complete(f"cat {base}")
    assert got[base + "enabled"] == "rw" and got[base + "transition"] == "ro"
    assert base + "signal" not in got  # write-only: nothing to cat
    assert base + "vmlinux/" in got
    writable = complete(f"echo 0 > {base}")
    assert writable[base + "signal"] == "wo" and base + "transition" not in writable
    assert complete(f"echo 0 >{base}en") == {base + "enabled": "rw"}
    assert set(complete(f"ls {base}")) == {base + d + "/" for d in
                                          ("vmlinux", "livepatch_callbacks_mod", "livepatch_callbacks_busymod")}
    assert complete("cat /sys/nonexistent/") == {}
    pids = complete("cat /proc/1")
    assert "/proc/1/" in pids and all(p.startswith("/proc/1") for p in pids)


def test_other_commands(complete) -> None:
    assert set(complete("help ins")) == {"insmod"}
    assert set(complete("dmesg -")) == {"-c", "-C"}
    assert set(complete("build ")) >= {"fix.c", "sub/"}
    assert complete("sleep ") == {}
    assert complete("echo hi # comment") == {}


@pytest.mark.parametrize("text,words,word", [
    ("", [], ""),
    ("ins", [], "ins"),
    ("insmod ", ["insmod"], ""),
    ("echo 1 >/sys/k", ["echo", "1", ">"], "/sys/k"),
    ("echo 1 >", ["echo", "1", ">"], ""),
    ("echo 'a b' c", ["echo", "a b"], "c"),
    ("echo 'unterminated /sys", ["echo"], "unterminated /sys"),
])
def test_split_line(text: str, words: list[str], word: str) -> None:
    line = split_line(text)
    assert line is not None and (line.words, line.word) == (words, word)


def test_never_raises_on_odd_input(complete) -> None:
    rng = random.Random(4)
    alphabet = "insmod rmcat/echo>'\"#-=.ko samples/livepatch/ \\|;&()$~*?"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        complete(text)  # any exception fails the test


def test_timeline_completes_transitions_by_number_and_patch(complete) -> None:
    assert complete("timeline ") == {}
    complete.shell.run_line("insmod samples/livepatch/livepatch-callbacks-demo.ko")
    complete.shell.run_line("sleep 2")
    complete.shell.run_line("echo 0 > /sys/kernel/livepatch/livepatch_callbacks_demo/enabled")
    complete.shell.run_line("sleep 2")
    assert complete("timeline ") == {
        "2": "livepatch_callbacks_demo unpatching, complete",
        "livepatch_callbacks_demo": "its last transition (2)",
        "1": "livepatch_callbacks_demo patching, complete"}
    assert set(complete("timeline live")) == {"livepatch_callbacks_demo"}
    assert set(complete("timeline -")) == {"-l", "-w", "-o"}
