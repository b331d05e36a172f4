"""arch/x86/kernel/traps.c and irq.c: what each CPU exception is called when it kills the
kernel (die()'s first word), and interrupts no handler was set up for.

Unicorn delivers an exception raised by guest code (or an `int $N` it executes) to the engine's
interrupt hook with its vector; kernel.cpu turns it into a GuestFault named from TRAPS, or, for
a vector past the CPU's exceptions, logs do_IRQ()'s complaint and lets the code run on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.printk import KERN_EMERG, RateLimit

if TYPE_CHECKING:
    from kernel.machine import Kernel

X86_TRAP_PF = 14
FIRST_EXTERNAL_VECTOR = 0x20

# vector -> the string do_error_trap()/do_trap() hand to die() (arch/x86/kernel/traps.c)
TRAPS: dict[int, str] = {
    0: "divide error",                  # X86_TRAP_DE
    1: "debug",                         # X86_TRAP_DB (do_debug: an int $1 with no debugger)
    3: "int3",                          # X86_TRAP_BP
    4: "overflow",                      # X86_TRAP_OF
    5: "bounds",                        # X86_TRAP_BR
    6: "invalid opcode",                # X86_TRAP_UD
    7: "device not available",          # X86_TRAP_NM
    8: "double fault",                  # X86_TRAP_DF
    9: "coprocessor segment overrun",   # X86_TRAP_OLD_MF
    10: "invalid TSS",                  # X86_TRAP_TS
    11: "segment not present",          # X86_TRAP_NP
    12: "stack segment",                # X86_TRAP_SS
    13: "general protection fault",     # X86_TRAP_GP
    16: "coprocessor error",            # X86_TRAP_MF
    17: "alignment check",              # X86_TRAP_AC
    19: "simd exception",               # X86_TRAP_XF
}


def trap_name(vector: int) -> str:
    """The name die() prints for exception VECTOR."""
    return TRAPS.get(vector, f"trap {vector}")


def is_external(vector: int) -> bool:
    """A device interrupt vector (an `int $N` of one lands in do_IRQ())."""
    return vector >= FIRST_EXTERNAL_VECTOR


def do_irq_no_handler(k: "Kernel", cpu: int, vector: int) -> None:
    """do_IRQ() for a vector no irq_desc is behind: the EOI is sent and the interrupted code
    goes on (pr_emerg_ratelimited)."""
    rs = k.ratelimits.setdefault("do_IRQ", RateLimit())
    if rs.ok(k.printk, k.clock.jiffies, "do_IRQ"):
        k.printk.log(KERN_EMERG, f"do_IRQ: {cpu}.{vector} No irq handler for vector")
