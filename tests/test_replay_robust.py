"""Replay that never loses its place: extra once-per-boot notices, prose copied along with a
section of the document, a diff that names only what differs, --tolerance for timestamps."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, needs_kernel
from klpsh import transcript as tr
from klpsh.repl import document_commands

TRANSCRIPTS = ROOT / "transcripts"
DOC = Path("/work/shared/docs/livepatch/callbacks.txt")


def test_once_per_boot_notices_are_all_alike() -> None:
    for text in ("x: tainting kernel with TAINT_LIVEPATCH", "x: loading out-of-tree module taints kernel.",
                 "x: module license 'Proprietary' taints kernel.", "Disabling lock debugging due to kernel taint"):
        assert tr._ignored(text), text
    assert not tr._ignored("livepatch: 'x': patching complete")


def test_once_per_boot_answers_are_kept_per_text_and_bounded(monkeypatch) -> None:
    seen: dict[str, bool] = {}
    monkeypatch.setattr(tr, "_IGNORED_SEEN", seen)
    monkeypatch.setattr(tr, "_IGNORED_SEEN_MAX", 3)
    assert tr._ignored("m: tainting kernel with TAINT_LIVEPATCH") and not tr._ignored("m: init")
    assert seen == {"m: tainting kernel with TAINT_LIVEPATCH": True, "m: init": False}
    seen["m: init"] = True                  # the kept answer is the one given (no search again)
    assert tr._ignored("m: init")
    tr._ignored("a")
    tr._ignored("b")                        # a fourth text: the cache starts afresh
    assert seen == {"b": False}


def test_the_literals_tested_first_are_the_longest_plain_runs() -> None:
    split = re.compile(r"\\.|.[*?{]|[.^$+()]")
    for p in (*tr.ONCE_PER_BOOT, r"a\.b+cd*e", r"^x(yz)?$", "ab{2}", "\\", "a\\", "", "...", "q*"):
        assert tr._literal(p) == max(split.split(p), key=len), p
    assert tr._literal("a|b") == tr._literal("[ab]") == ""


def test_prose_copied_with_a_section_is_not_transcript() -> None:
    section = "\n".join([
        "Test 1", "------", "", "Test a combination of loading a kernel module and a livepatch",
        "- load target module", "", "First load a target module:", "",
        "  % insmod samples/livepatch/livepatch-callbacks-mod.ko",
        "  [   34.475708] livepatch_callbacks_mod: livepatch_callbacks_mod_init",
        "  insmod: ERROR: could not insert module x.ko: File exists", "",
        "On livepatch enable, before the livepatch transition starts, pre-patch"])
    got = tr.parse(section)
    assert [(ln.kind, ln.text) for ln in got] == [
        (tr.CMD, "insmod samples/livepatch/livepatch-callbacks-mod.ko"),
        (tr.KERNEL, "livepatch_callbacks_mod: livepatch_callbacks_mod_init"),
        (tr.OUTPUT, "insmod: ERROR: could not insert module x.ko: File exists")]
    # a batch transcript (nothing indented) keeps every line
    assert len(tr.parse("% echo a\na\nb")) == 3


def test_differences_name_only_what_differs() -> None:
    want = tr.parse("% a\n[ 1.0] one\n[ 2.0] two\n[ 3.0] three\n[ 4.0] four\n")
    got = tr.parse("% a\n[ 1.0] one\n[ 2.5] two\n[ 3.0] tree\n[ 4.0] four\n[ 5.0] five\n")
    assert tr.differences(want, got) == [
        "  line 4: expected: [    3.000000] three",
        "          got:      [    3.000000] tree",
        "  after line 5: extra: [    5.000000] five"]
    strict = tr.differences(want, got, tolerance=0.1)
    assert strict[0].startswith("  line 3: +0.500000 s off (tolerance 0.1 s): [    2.000000] two")
    assert tr.differences(want, want, tolerance=0.0) == []


def test_tolerance_option(tmp_path: Path) -> None:
    out = io.StringIO()
    assert tr.replay(["--tolerance", "nope", "x.txt"], out) == 2
    assert out.getvalue() == "klpsh replay: invalid tolerance 'nope' (seconds, e.g. 0.005)\n"


@needs_kernel
def test_tolerance_is_strict_when_asked() -> None:
    t8 = str(TRANSCRIPTS / "callbacks-test-8.txt")   # its lines land within ~1 ms (cost model)
    out = io.StringIO()
    assert tr.replay([t8], out) == 0
    out = io.StringIO()
    assert tr.replay(["--tolerance", "0.0002", t8], out) == 1
    lines = out.getvalue().splitlines()
    assert lines[0] == f"FAIL {t8}" and len(lines) > 1
    assert all(" s off (tolerance 0.0002 s): " in ln for ln in lines[1:])
    out = io.StringIO()
    assert tr.replay(["--tolerance=0.002", t8], out) == 0, out.getvalue()


@needs_kernel
def test_replay_keeps_its_place_with_out_of_tree_modules(tmp_path: Path, monkeypatch) -> None:
    """Built out of tree, the modules make the kernel say `loading out-of-tree module taints
    kernel.` once: every transcript still replays (that line is boot history, like the taint)."""
    from kernel import kbuild

    samples = tmp_path / "samples" / "livepatch"
    src = tmp_path / "src"
    src.mkdir()
    for name in ("livepatch-callbacks-mod", "livepatch-callbacks-demo", "livepatch-callbacks-busymod"):
        shutil.copy(ROOT / "modules" / f"{name}.c", src)
        kbuild.build_module(src / f"{name}.c", samples, intree=False)
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    files = [str(TRANSCRIPTS / f"callbacks-test-{n}.txt") for n in range(1, 10)]
    status = tr.replay(files, out)
    assert status == 0, out.getvalue()


@needs_kernel
def test_a_section_of_the_document_with_its_prose_replays(tmp_path: Path) -> None:
    if not DOC.exists():
        pytest.skip("the document is not beside the repository")
    text = DOC.read_text()
    start = text.index("\nTest 1\n")
    section = text[start:text.index("\nTest 2\n")]
    path = tmp_path / "test1.txt"
    path.write_text(section)
    out = io.StringIO()
    assert tr.replay([str(path)], out) == 0, out.getvalue()


def test_a_pasted_document_block_runs_its_commands_only() -> None:
    block = "\n".join([" % insmod samples/livepatch/livepatch-callbacks-mod.ko",
                       " [   54.607948] livepatch_callbacks_mod: livepatch_callbacks_mod_init",
                       "", "Then the livepatch:", " % insmod samples/livepatch/livepatch-callbacks-demo.ko",
                       " [   56.613700] livepatch: enabling patch 'livepatch_callbacks_demo'"])
    assert document_commands(block) == ["insmod samples/livepatch/livepatch-callbacks-mod.ko",
                                        "insmod samples/livepatch/livepatch-callbacks-demo.ko"]
    assert document_commands("lsmod") == ["lsmod"]
    assert document_commands("[   54.607948] livepatch: hi") == []
    assert document_commands("echo a\necho b") == ["echo a", "echo b"]
