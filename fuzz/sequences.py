"""Random command sequences (insmod/rmmod of the callback modules, enable/disable writes,
pre_patch_ret writes, sleeps) typed into the batch shell, every step held to callbacks.txt's
rules by the state machine of fuzz/callback_rules.py. hypothesis draws the sequences (at a
seed); the first one that breaks a rule is shrunk and reported."""

from __future__ import annotations

import signal

from fuzz.common import HANG_S, SHELL_BUG, Findings, Hang, deadline

STEPS = 40


def fuzz_sequences(seed: int, count: int, findings: Findings, steps: int = STEPS) -> None:
    """COUNT sequences of up to STEPS commands each."""
    from hypothesis import HealthCheck, Phase, settings
    from hypothesis import seed as hseed
    from hypothesis.errors import Flaky
    from hypothesis.stateful import run_state_machine_as_test

    from fuzz.callback_rules import CallbackRules

    ran = [0]

    class Counted(CallbackRules):
        def __init__(self) -> None:
            signal.setitimer(signal.ITIMER_REAL, HANG_S)    # each sequence has HANG_S to run
            super().__init__()
            ran[0] += 1

    machine = hseed(seed)(Counted)
    opts = settings(max_examples=count, stateful_step_count=steps, deadline=None, database=None,
                    phases=[Phase.generate, Phase.shrink], print_blob=False,
                    suppress_health_check=list(HealthCheck))
    try:
        with deadline(HANG_S):
            run_state_machine_as_test(machine, settings=opts)
    except Hang as e:
        findings.hang(f"sequence {ran[0]}: {e}")
    except (AssertionError, Flaky) as e:
        text = str(e)
        if any(b in text for b in SHELL_BUG):
            findings.internal_error(f"sequence {ran[0]}: {text[:400]}")
        else:
            findings.violation(f"sequence {ran[0]}: {text[:400]}")
    except Exception as e:  # noqa: BLE001 - what the fuzzer is looking for
        findings.internal_error(f"sequence {ran[0]}: {type(e).__name__}: {e}")
    findings.cases += min(ran[0], count)
