"""Random sequences over the callback modules, checked against the rules of callbacks.txt
(the state machine and its rules: fuzz/callback_rules.py; `fuzz/run.py` runs it at length)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

from conftest import needs_kernel
from fuzz.callback_rules import CallbackRules

pytestmark = needs_kernel

CallbackRules.TestCase.settings = settings(
    max_examples=30, stateful_step_count=40, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
test_callback_rules = CallbackRules.TestCase
