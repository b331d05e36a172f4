"""The 5.4 transcripts (transcripts/5.4): `klpsh replay --kernel 5.4` passes them, 4.19 does not,
and their kernel lines are the 5.4 selftests' expected output.

Each transcript is a session with the 5.4 samples (modules/5.4). Those marked `# Selftest: NAME`
replay the selftest case tests/k54_scenarios/NAME with the samples in place of lib/livepatch's
test modules; what the livepatch core and the callbacks print there must be the case's golden
output (NAME.out, from tools/testing/selftests/livepatch of 5.4) with the module names mapped.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from conftest import ROOT, needs_kernel
from klpsh import transcript

pytestmark = [needs_kernel]

TRANSCRIPTS = sorted((ROOT / "transcripts" / "5.4").glob("*.txt"))
SCENARIOS = ROOT / "tests" / "k54_scenarios"
# the 5.4 sample (modules/5.4) -> the lib/livepatch test module of the selftests
SAMPLE_TO_SELFTEST = {
    "livepatch_callbacks_demo": "test_klp_callbacks_demo",
    "livepatch_callbacks_busymod": "test_klp_callbacks_busy",
    "livepatch_callbacks_mod": "test_klp_callbacks_mod",
    "livepatch_sample": "test_klp_livepatch",
    "livepatch_replace": "test_klp_atomic_replace",
}
_NAMES = re.compile("|".join(sorted(SAMPLE_TO_SELFTEST, key=len, reverse=True)))
# what the livepatch core prints, and what the demo's callbacks print: the kernel's logic
_CORE = re.compile(r"^(livepatch: |\w+: (pre|post)_(un)?patch_callback: )")


def _core_lines(lines: list[str]) -> list[str]:
    """The livepatch core's and the callbacks' lines, in order, module names as the selftests'."""
    out = []
    for line in lines:
        line = re.sub(r"^\s*\[\s*[0-9.]+\]\s?", "", line)
        line = _NAMES.sub(lambda m: SAMPLE_TO_SELFTEST[m.group(0)], line)
        if _CORE.match(line):
            out.append(line)
    return out


def _replay(paths: list[Path], *options: str) -> tuple[int, str]:
    out = io.StringIO()
    status = transcript.replay([*options, *map(str, paths)], out)
    return status, out.getvalue()


def test_there_are_5_4_transcripts():
    assert len(TRANSCRIPTS) >= 5


def test_replay_on_5_4_passes_them_all(elf_cache):
    status, text = _replay(TRANSCRIPTS, "--kernel", "5.4")
    assert status == 0, text
    assert text.count("ok   ") == len(TRANSCRIPTS)


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=lambda p: p.stem)
def test_4_19_fails_them(path):
    """Each shows something only 5.4 does (freed patches, nops, automatic signals, its cancel
    message), so the default kernel cannot replay it."""
    status, text = _replay([path])
    assert status == 1 and "FAIL" in text, text


@pytest.mark.parametrize("path", [p for p in TRANSCRIPTS if "# Selftest:" in p.read_text()],
                         ids=lambda p: p.stem)
def test_kernel_lines_are_the_selftests_golden_output(path):
    name = re.search(r"^# Selftest: (\S+)", path.read_text(), re.M).group(1)
    golden = (SCENARIOS / f"{name}.out").read_text().splitlines()
    ours = [ln for ln in path.read_text().splitlines() if not ln.startswith("#")]
    assert len(_core_lines(golden)) >= 4
    assert _core_lines(ours) == _core_lines(golden)


def test_replay_rejects_an_unknown_kernel():
    status, text = _replay(TRANSCRIPTS[:1], "--kernel", "2.6")
    assert status == 2 and "invalid kernel '2.6'" in text
