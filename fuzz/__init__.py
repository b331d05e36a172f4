"""Fuzzers of klpsh: mutated modules, random kernel-function calls, random command sequences
checked against callbacks.txt's rules, random shell input. `fuzz/run.py` runs them at a seed
and counts; tests/test_fuzz_quick.py runs each briefly."""
