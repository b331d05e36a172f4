"""Interrupt lines (kernel/irq.py, linux/interrupt.h) through the shell with
tests/modules/irq_demo.c and the `irq raise` tool: hardirq context, bottom halves at irq_exit,
threaded handlers, sharing rules, disable/enable, free_irq, /proc/interrupts, and what goes
wrong in a handler (an Oops, a sleep, a loop, a handler freed with its module)."""

from __future__ import annotations

import re

import pytest

from conftest import needs_gcc, needs_kernel
from shell_session import module_shell, run

pytestmark = [needs_kernel, needs_gcc]


@pytest.fixture
def shell(kernel, tmp_path, test_module):
    return module_shell(kernel, tmp_path, test_module, "irq_demo")


def interrupts(sh) -> dict[str, str]:
    """/proc/interrupts by its first column."""
    return {ln.split(":")[0].strip(): ln for ln in run(sh, "cat /proc/interrupts")[1:]}


def test_proc_interrupts_at_boot_is_4_19s_layout(shell):
    lines = run(shell, "cat /proc/interrupts")
    assert lines[0] == " " * 11 + "CPU0       CPU1       "
    assert lines[1] == "  0:          0          0   IO-APIC   2-edge      timer"
    assert lines[2] == "  1:          0          0   IO-APIC   1-edge      i8042"
    assert "  9:          0          0   IO-APIC   9-fasteoi   acpi" in lines
    assert not any(ln.startswith(" 10:") for ln in lines)        # nobody's, never raised
    assert "NMI:          0          0   Non-maskable interrupts" in lines
    assert "ERR:          0" in lines and lines[-1].startswith("PIW:")


def test_a_handler_runs_in_hardirq_context_and_its_tasklet_at_irq_exit(shell):
    assert run(shell, "insmod irq_demo.ko") == ["irq_demo: got IRQ 10"]
    assert interrupts(shell)["10"] == " 10:          0          0   IO-APIC  10-edge      irq_demo"
    assert run(shell, "irq raise 10 2") == [
        "irq_demo: interrupt 1 on line 10, dev_id ok, in_irq 1 in_interrupt 1",
        "irq_demo: bottom half 1 (in_softirq 1, in_irq 0)",
        "irq_demo: interrupt 2 on line 10, dev_id ok, in_irq 1 in_interrupt 1",
        "irq_demo: bottom half 2 (in_softirq 1, in_irq 0)"]
    assert interrupts(shell)["10"].startswith(" 10:          2          0 ")
    assert run(shell, "cat /proc/irq_demo") == ["hard 2 thread 0 bh 2 in_irq 1 thread_in_task 0"]
    assert "     TASKLET:          2          0" in run(shell, "cat /proc/softirqs")
    # free_irq() gives back the devname; the line has no vector any more
    assert run(shell, "rmmod irq_demo") == ["irq_demo: freed IRQ 10 (irq_demo)",
                                            "irq_demo: exit after 2 interrupts"]
    assert run(shell, "irq raise 10") == ["do_IRQ: 0.58 No irq handler for vector"]
    assert interrupts(shell)["10"] == " 10:          2          0   IO-APIC  10-edge    "


def test_a_disabled_line_keeps_the_event_for_enable_irq(shell):
    run(shell, "insmod irq_demo.ko")
    assert run(shell, "echo d > /proc/irq_demo") == []
    assert run(shell, "irq raise 10 3") == []                   # pending, and counted once
    assert run(shell, "echo e > /proc/irq_demo") == [
        "irq_demo: interrupt 1 on line 10, dev_id ok, in_irq 1 in_interrupt 1",
        "irq_demo: bottom half 1 (in_softirq 1, in_irq 0)"]
    assert interrupts(shell)["10"].startswith(" 10:          1 ")
    lines = run(shell, "echo e > /proc/irq_demo")                # once too often
    assert lines[:2] == ["------------[ cut here ]------------", "Unbalanced enable for IRQ 10"]
    assert lines[2].startswith("WARNING: CPU: 0 PID: ") and " __enable_irq+" in lines[2]


def test_a_threaded_handler_runs_in_its_irq_thread(shell, kernel):
    run(shell, "insmod irq_demo.ko mode=1")
    assert any(ln.endswith(" irq/10-irq_demo") for ln in run(shell, "ps"))
    lines = run(shell, "irq raise 10 2")
    # two interrupts before the thread ran: IRQTF_RUNTHREAD makes that one run
    assert lines == ["irq_demo: interrupt 1 on line 10, dev_id ok, in_irq 1 in_interrupt 1",
                     "irq_demo: interrupt 2 on line 10, dev_id ok, in_irq 1 in_interrupt 1",
                     "irq_demo: thread irq/10-irq_demo runs for line 10 (in_task 1)"]
    assert run(shell, "sleep 1") == ["irq_demo: thread done 1"]      # it slept: process context
    assert run(shell, "cat /proc/irq_demo") == ["hard 2 thread 1 bh 0 in_irq 1 thread_in_task 1"]
    run(shell, "rmmod irq_demo")
    assert not any("irq/10" in ln for ln in run(shell, "ps"))         # stopped by free_irq
    assert kernel.panicked is None and "W" not in kernel.taints


def test_a_oneshot_thread_without_primary_handler(shell):
    run(shell, "insmod irq_demo.ko mode=9")
    assert run(shell, "irq raise 10") == [
        "irq_demo: thread irq/10-irq_demo runs for line 10 (in_task 1)"]
    assert run(shell, "irq raise 10") == []          # the line is masked until the thread ends
    assert run(shell, "sleep 1") == [
        "irq_demo: thread done 1",
        "irq_demo: thread irq/10-irq_demo runs for line 10 (in_task 1)",
        "irq_demo: thread done 2"]


def test_request_rules(shell):
    lines = run(shell, "insmod irq_demo.ko mode=6")
    assert lines[:2] == ["Threaded irq requested with handler=NULL and !ONESHOT for irq 10",
                         "irq_demo: can't get IRQ 10: -22"]
    # the timer's line is not shared; i8042's is, with a shared request only
    assert run(shell, "insmod irq_demo.ko irq=0")[:2] == [
        "Flags mismatch irq 0. 00000080 (irq_demo) vs. 00014200 (timer)",
        "irq_demo: can't get IRQ 0: -16"]
    assert run(shell, "insmod irq_demo.ko irq=1 flags=0")[:2] == [
        "Flags mismatch irq 1. 00000000 (irq_demo) vs. 00000080 (i8042)",
        "irq_demo: can't get IRQ 1: -16"]
    assert run(shell, "insmod irq_demo.ko irq=24")[0] == "irq_demo: can't get IRQ 24: -22"
    assert run(shell, "insmod irq_demo.ko irq=1") == ["irq_demo: got IRQ 1"]
    assert interrupts(shell)["1"].endswith("IO-APIC   1-edge      i8042, irq_demo")
    assert run(shell, "irq raise 1")[0] == (
        "irq_demo: interrupt 1 on line 1, dev_id ok, in_irq 1 in_interrupt 1")
    assert run(shell, "rmmod irq_demo")[0] == "irq_demo: freed IRQ 1 (irq_demo)"
    assert interrupts(shell)["1"].endswith("IO-APIC   1-edge      i8042")     # i8042's stays


def test_freeing_a_free_line_warns_and_gives_null(shell):
    run(shell, "insmod irq_demo.ko mode=7")
    lines = run(shell, "rmmod irq_demo")
    assert lines[0] == "irq_demo: freed IRQ 10 (irq_demo)"
    assert lines[1:3] == ["------------[ cut here ]------------", "Trying to free already-free IRQ 10"]
    assert " __free_irq+" in lines[3]
    assert "irq_demo: second free gives           (null)" in lines


def test_an_oops_in_a_handler_is_fatal_in_interrupt(shell, kernel):
    run(shell, "insmod irq_demo.ko mode=3")
    lines = run(shell, "irq raise 10")
    assert "BUG: unable to handle kernel NULL pointer dereference at 0000000000000000" in lines
    trace = lines[lines.index("Call Trace:") + 1:]
    assert [ln.split("+")[0].strip() for ln in trace[:7]] == [
        "__handle_irq_event_percpu", "handle_irq_event_percpu", "handle_irq_event",
        "handle_edge_irq", "handle_irq", "do_IRQ", "common_interrupt"]
    assert "Kernel panic - not syncing: Fatal exception in interrupt" in lines
    assert kernel.panicked == "Fatal exception in interrupt"


def test_sleeping_in_a_handler_is_scheduling_while_atomic(shell, kernel):
    run(shell, "insmod irq_demo.ko mode=4")
    lines = run(shell, "irq raise 10")
    assert re.fullmatch(r"BUG: scheduling while atomic: irq/\d+/0x00010000", lines[1])
    assert lines[-1] == "irq_demo: bottom half 1 (in_softirq 1, in_irq 0)"
    assert kernel.panicked is None


def test_a_handler_that_never_returns_is_a_hard_lockup(shell, kernel):
    run(shell, "echo 1 > /proc/sys/kernel/watchdog_thresh")      # found within 2 s, not 20
    run(shell, "insmod irq_demo.ko mode=2")
    lines = run(shell, "irq raise 10")
    assert "NMI watchdog: Watchdog detected hard LOCKUP on cpu 0" in lines
    assert any(ln.startswith("RIP: 0010:demo_handler+") for ln in lines)
    assert lines[-1] == "Killed"                                 # the interrupted task
    assert kernel.panicked is None
    assert run(shell, "echo hi") == ["hi"]                       # the shell has control


def test_a_handler_left_behind_by_rmmod_faults_when_raised(shell, kernel):
    run(shell, "insmod irq_demo.ko mode=5")                     # exit forgets free_irq
    run(shell, "rmmod irq_demo")
    assert interrupts(shell)["10"].endswith("irq_demo")          # the action stays
    lines = run(shell, "irq raise 10")
    assert lines[0].startswith("BUG: unable to handle kernel paging request at ")
    assert "Kernel panic - not syncing: Fatal exception in interrupt" in lines


def test_the_irq_tool_refuses_what_is_no_line(shell):
    assert run(shell, "irq raise 24") == ["irq: 24: no such interrupt line (the IO-APIC has 0-23)"]
    assert run(shell, "irq raise 3 0") == ["irq: 0: invalid count (1-1000000)"]
    assert run(shell, "irq") == ["Usage: irq raise IRQ [COUNT]"]
    assert run(shell, "irq raise 3") == ["do_IRQ: 0.51 No irq handler for vector"]


def test_a_line_nobody_handles_is_disabled_after_99900_of_100000(shell, kernel):
    # i8042 finds no byte in its buffer: every interrupt on its line is unhandled
    lines = run(shell, "irq raise 1 100000")
    assert lines[0] == 'irq 1: nobody cared (try booting with the "irqpoll" option)'
    trace = lines[lines.index("Call Trace:") + 1:lines.index("handlers:")]
    assert [ln.split("+")[0].strip() for ln in trace[:4]] == [
        "dump_stack", "__report_bad_irq", "note_interrupt", "handle_irq_event_percpu"]
    assert re.fullmatch(r"\[<[0-9a-f]{16}>\] i8042_interrupt", lines[lines.index("handlers:") + 1])
    assert lines[-1] == "Disabling IRQ #1"
    assert interrupts(shell)["1"].startswith("  1:     100000          0 ")
    assert run(shell, "irq raise 1") == []                          # disabled: not counted
    assert interrupts(shell)["1"].startswith("  1:     100000 ")


def test_a_bogus_return_value_is_reported_with_the_handlers(shell):
    run(shell, "insmod irq_demo.ko mode=10")
    lines = run(shell, "irq raise 10")
    assert lines[1] == "irq event 10: bogus return value 4"
    assert re.fullmatch(r"\[<[0-9a-f]{16}>\] demo_handler \[irq_demo\]",
                        lines[lines.index("handlers:") + 1])


def test_no_irq_handler_for_vector_is_ratelimited(shell):
    assert run(shell, "irq raise 3 25") == ["do_IRQ: 0.51 No irq handler for vector"] * 10
    run(shell, "sleep 6")                                          # a new 5 s window
    assert run(shell, "irq raise 3") == ["do_IRQ: 15 callbacks suppressed",
                                         "do_IRQ: 0.51 No irq handler for vector"]


def test_request_any_context_irq_and_wake_nesting(shell):
    lines = run(shell, "insmod irq_demo.ko mode=11")
    assert lines[0] == "irq_demo: request_any_context_irq: 0 (hardirq 1)"
    assert lines[1:3] == ["------------[ cut here ]------------", "Unbalanced IRQ 10 wake disable"]
    assert "irq_demo: wake 0 0 0" in lines and "irq_demo: got IRQ 10" in lines
    assert run(shell, "irq raise 10")[0].startswith("irq_demo: interrupt 1 on line 10")
