"""irq raise N [COUNT]: a simulated device raises interrupt line N (COUNT times, default 1)
(klpsh's own tool: the machine's IO-APIC has lines 0-23).

The interrupts arrive on CPU 0 while it runs the tool's process: each line's handlers run in
hardirq context on that task, then the softirqs they raised (irq_exit). /proc/interrupts counts
them. A line that no driver has requested has no vector behind it: do_IRQ() says so.
"""

from __future__ import annotations

from klpsh.tools import ToolContext, tool

MAX_COUNT = 1_000_000
USAGE = "Usage: irq raise IRQ [COUNT]"


def _number(text: str) -> int | None:
    try:
        v = int(text, 0)
    except ValueError:
        return None
    return v if v >= 0 else None


@tool("irq", "irq raise IRQ [COUNT]", "raise interrupt line IRQ (COUNT times) from a simulated device")
def irq(ctx: ToolContext, args: list[str]) -> int:
    from kernel.irq import NR_IRQS, irqs
    if not args or args[0] != "raise" or not 2 <= len(args) <= 3:
        ctx.errln(USAGE)
        return 2
    line = _number(args[1])
    count = _number(args[2]) if len(args) == 3 else 1
    if line is None or line >= NR_IRQS:
        ctx.errln(f"irq: {args[1]}: no such interrupt line (the IO-APIC has 0-{NR_IRQS - 1})")
        return 1
    if count is None or not 1 <= count <= MAX_COUNT:
        ctx.errln(f"irq: {args[2]}: invalid count (1-{MAX_COUNT})")
        return 1
    k = ctx.kernel
    desc = irqs(k)

    def raise_line() -> None:
        task = k.current
        for _ in range(count):
            desc.handle(line)
            if ctx.interrupted():
                break
            k.sched.cond_preempt(task)
    k.syscall("irq", raise_line)
    return 0
