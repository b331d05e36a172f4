"""kernel/panic.c: panic() stops the machine for good.

The report is 4.19's (the message, dump_stack() unless an Oops is in progress, the x86 panic
notifier's "Kernel Offset: disabled", the end marker); then every CPU stops. Here KernelPanic
unwinds whatever ran (a task's guest call, the scheduler's drive) up to the entry point the
shell called, which raises MachineDead: the machine answers nothing more until `reboot` boots
a new one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.printk import KERN_EMERG

if TYPE_CHECKING:
    from kernel.machine import Kernel

FATAL_IN_INTERRUPT = "Fatal exception in interrupt"   # oops_end() in interrupt context
KILL_IDLE = "Attempted to kill the idle task!"        # do_exit() of pid 0


class KernelPanic(BaseException):
    """Raised where the kernel panics: unwinds everything running on the machine (a
    BaseException, so that no kernel code's error handling stops it)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MachineDead(Exception):
    """An entry point of a machine that has panicked (or panicked during the call)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.panic_message = message

    def message(self) -> str:
        """What the shell says about it."""
        return (f"klpsh: the machine has panicked (Kernel panic - not syncing: {self.panic_message}); "
                "`reboot' boots a new one")


def panic(k: "Kernel", text: str) -> None:
    """panic(): the report, the machine marked dead, and KernelPanic raised."""
    if text.endswith("\n"):
        text = text[:-1]
    if k.panicked is not None:                 # a panic while panicking: the CPUs are stopped
        raise KernelPanic(k.panicked)
    k.printk.log(KERN_EMERG, f"Kernel panic - not syncing: {text}")
    task = k.sched.current
    if "D" not in k.taints and task is not None:   # no nested dump during an Oops
        k.dump_stack(task, ("dump_stack",))
    k.printk.log(KERN_EMERG, "Kernel Offset: disabled")
    k.printk.log(KERN_EMERG, f"---[ end Kernel panic - not syncing: {text} ]---")
    k.panicked = text
    raise KernelPanic(text)
