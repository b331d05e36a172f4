"""The virtual-time cost model: how long the kernel's own work takes on the clock.

The lines one command makes carry distinct times, spread as on the machine of
Documentation/livepatch/callbacks.txt (the figures below are fitted to its 170 kernel lines,
`bench/bench_timestamps.py` measures the fit). What the current task spends goes through the
watchdog's accounting (Watchdog.spend: the CPU time of the command, and the clock), so there is
one clock and one notion of CPU time. Deterministic: the cost of an operation is a number.

- A line printed on the console (a level below the console loglevel: pr_debug lines are only
  stored) costs its console write: ~76 us + 7.0 us a character of `[%5lu.%06lu] text\\n`
  (fit of the document's gaps after such lines: "enabling patch" -> "initializing" 0.49 ms,
  a 120-character callback line -> the next line 0.9 ms).
- register_ftrace_function() for a function's first klp_ops, and its unregistering, patch
  kernel text (~3 ms: "pre_patch_callback: busymod" -> "starting patching" 3.9 ms where the
  console accounts for 0.9 ms; "completing unpatching" -> "post_unpatch" 3.0 ms against 0.2 ms
  without a function).
- synchronize_rcu() in klp_complete_transition() when unpatching (0.2 ms against 0.08 ms).
- A call from the kernel into module code (a callback, init, exit, a work function): 20 us
  ("initializing" -> "pre_patch_callback: vmlinux" 25 us, no console between).
- load_module() before the module's init runs: ~1 ms (not in the document, whose insmod lines
  start with the init's; a small module's copy, relocation, sysfs and kallsyms).
- A system call a command makes (write to sysfs, delete_module): 40 us.
- Walking the task list (klp_init/start/complete_transition, each attempt): 0.25 us a task.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.printk import Record

__all__ = ["COST_NS", "CONSOLE_LOGLEVEL", "console_ns", "spend"]

CONSOLE_LOGLEVEL = 7            # CONSOLE_LOGLEVEL_DEFAULT: levels 0-6 reach the console
CONSOLE_LINE_NS = 76_000
CONSOLE_CHAR_NS = 7_000
TS_CHARS = 15                   # "[   36.503719] "

COST_NS: dict[str, int] = {
    "ftrace_register": 3_000_000,
    "ftrace_unregister": 2_800_000,
    "synchronize_rcu": 120_000,
    "guest_call": 20_000,
    "load_module": 100_000,
    "mod_sysfs_setup": 900_000,
    "work_dispatch": 100_000,
    "syscall": 40_000,
    "task": 250,
    "list_step": 750,         # one list_head hop: ~3 instructions at NS_PER_INSN
}


def console_ns(rec: "Record") -> int:
    """What writing REC to the console costs (0 for a level the console does not show)."""
    if rec.level >= CONSOLE_LOGLEVEL:
        return 0
    return CONSOLE_LINE_NS + CONSOLE_CHAR_NS * (TS_CHARS + len(rec.text) + 1)


def spend(k: "Kernel", what: str, times: int = 1) -> None:
    """The current task does WHAT (COST_NS) TIMES: its time passes on the clock."""
    k.watchdog.spend(COST_NS[what] * times)
