"""The kernel's own WARN*() sites print 4.19's splat: the 'WARNING: CPU: N PID: P at FILE:LINE
FUNC+0xOFF/0xSIZE' line of the 4.19 source's WARN, registers and trace, the end-trace line."""

import re

import pytest

from kernel.errno import KernelError
from kernel.livepatch import transition as tr
from conftest import S, ko

CUT = "------------[ cut here ]------------"


def _splats(lines: list[str]) -> list[list[str]]:
    """Each WARN report: from its cut-here line to its end-trace line."""
    out = []
    for i, ln in enumerate(lines):
        if ln == CUT:
            end = next(j for j in range(i, len(lines)) if lines[j].startswith("---[ end trace "))
            out.append(lines[i:end + 1])
    return out


def test_warn_on_splat_has_the_419_layout(kernel):
    kernel.init_module(ko("livepatch-sample"), "")
    kernel.run_for(2 * S)
    patch = kernel.livepatch.patches[0]
    assert patch.enabled and kernel.livepatch.transition_patch is None
    del kernel.lines[:]
    # __klp_enable_patch()'s WARN_ON(patch->enabled): no message line, then 4.19's WARNING line
    with pytest.raises(KernelError):
        kernel.syscall("klp_test", lambda: kernel.livepatch._klp_enable_patch(patch))
    [splat] = _splats(kernel.lines)
    assert re.fullmatch(r"WARNING: CPU: 0 PID: \d+ at kernel/livepatch/core\.c:359 "
                        r"__klp_enable_patch\+0x[0-9a-f]+/0x[0-9a-f]+", splat[1]), splat[:3]
    assert splat[2].startswith("Modules linked in: livepatch_sample(K)")
    assert any(re.match(r"CPU: 0 PID: \d+ Comm: klp_test Tainted: G +K ", ln) for ln in splat)
    assert "Call Trace:" in splat
    assert re.fullmatch(r"---\[ end trace [0-9a-f]{16} \]---", splat[-1])
    assert "W" in kernel.tainted_string()


def test_warn_on_once_reports_once_per_machine(kernel):
    # klp_try_complete_transition()'s WARN_ON_ONCE(klp_target_state == KLP_UNDEFINED)
    for _ in range(2):
        kernel.syscall("klp_test", lambda: tr.klp_try_complete_transition(kernel.livepatch))
    splats = _splats(kernel.lines)
    assert len(splats) == 1
    assert re.fullmatch(r"WARNING: CPU: 0 PID: \d+ at kernel/livepatch/transition\.c:364 "
                        r"klp_try_complete_transition\+0x[0-9a-f]+/0x[0-9a-f]+", splats[0][1])
