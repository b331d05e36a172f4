"""Interrupt lines (kernel/irq/: manage.c, chip.c, handle.c, proc.c, spurious.c) behind the
machine's IO-APIC.

The machine has the 24 pins of one IO-APIC: IRQs 0-15 (ISA, edge) and 16-23 (PCI, fasteoi),
each an irq_desc. At boot the platform's drivers hold some (the timer, i8042, rtc0, acpi);
modules request lines with request_threaded_irq(). A line nobody has requested has no vector:
an interrupt raised on it reaches do_IRQ() with no irq_desc behind the vector. Raised on a
requested line, the flow handler (handle_edge_irq / handle_fasteoi_irq) runs every action's
handler in hardirq context on the interrupted task (HARDIRQ_OFFSET in its preempt count), wakes
the thread of those that return IRQ_WAKE_THREAD (irq/N-NAME, running thread_fn in process
context), and irq_exit() runs the softirqs raised meanwhile. A disabled line keeps the event
pending and replays it when enabled again.

The shell raises lines (klpsh's `irq raise N`), interrupting the task that runs the tool.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from kernel import cost
from kernel.bug import WarnSite
from kernel.cpu import GuestBug, GuestFault
from kernel.errno import Errno, KernelError
from kernel.record import field, record
from kernel.sched import SIGKILL, TaskKilled, TaskKind, TaskState
from kernel.softirq import HARDIRQ_OFFSET, in_interrupt
from kernel.traps import do_irq_no_handler
from kernel.wait import WaitQueue

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.sched import Task

NR_IRQS = 24                    # one IO-APIC's pins
NR_LEGACY_IRQS = 16
IRQ0_VECTOR = 0x30              # ISA_IRQ_VECTOR(0): FIRST_EXTERNAL_VECTOR + 0x10
TASK_COMM_LEN = 16

IRQ_NONE, IRQ_HANDLED, IRQ_WAKE_THREAD = 0, 1, 2
IRQF_TRIGGER_MASK = 0x0F
IRQF_SHARED = 0x80
IRQF_PROBE_SHARED = 0x100
IRQF_PERCPU = 0x400
IRQF_ONESHOT = 0x2000
IRQF_NO_THREAD = 0x10000
IRQF_TIMER = 0x200 | 0x4000 | IRQF_NO_THREAD

# the WARNs of kernel/irq/manage.c (4.19.0; 5.4's lines: kernel/profile.py WARN_MOVES_5_4)
WARN_ALREADY_FREE = WarnSite("kernel/irq/manage.c", 1593, "__free_irq", callers=("free_irq",))
WARN_FREE_FROM_IRQ = WarnSite("kernel/irq/manage.c", 1578, "__free_irq", callers=("free_irq",))
WARN_UNBALANCED_ENABLE = WarnSite("kernel/irq/manage.c", 558, "__enable_irq", callers=("enable_irq",))
WARN_UNBALANCED_WAKE = WarnSite("kernel/irq/manage.c", 657, "irq_set_irq_wake")

# the platform's drivers on the lines at boot: irq -> (devname, flags, handler, what it returns)
BOOT_ACTIONS: tuple[tuple[int, str, int, str, int], ...] = (
    (0, "timer", IRQF_TIMER, "timer_interrupt", IRQ_HANDLED),
    (1, "i8042", IRQF_SHARED, "i8042_interrupt", IRQ_NONE),         # no byte in the buffer
    (8, "rtc0", 0, "rtc_cmos_int_handler", IRQ_NONE),               # no RTC event latched
    (9, "acpi", IRQF_SHARED, "acpi_irq", IRQ_NONE),                 # no SCI event
    (12, "i8042", IRQF_SHARED, "i8042_interrupt", IRQ_NONE),
)
LEVEL_IRQS = frozenset({9, *range(NR_LEGACY_IRQS, NR_IRQS)})      # ACPI SCI, PCI: fasteoi
HWIRQ = {0: 2}                  # the timer is wired to IO-APIC pin 2 (the PIC cascade's)
NOREQUEST = frozenset({2})      # the cascade
SPURIOUS_EVENTS, SPURIOUS_STUCK = 100_000, 99_900   # note_interrupt()'s window and its limit
SPURIOUS_WINDOW = 1000 // 10    # HZ/10: unhandled ones further apart start the count again


@record(eq=False)
class IrqAction:
    """struct irqaction: one handler on a line (a module's, or a platform driver's)."""

    irq: int
    name: str
    name_ptr: int                   # the devname pointer free_irq() gives back
    flags: int
    dev_id: int
    handler: int = 0                # guest function; 0: irq_default_primary_handler
    thread_fn: int = 0
    host: Callable[[], int] | None = None       # a platform driver's handler (returns irqreturn)
    host_name: str = ""
    thread: "Task | None" = None
    runthread: bool = False         # IRQTF_RUNTHREAD
    stop: bool = False
    warned: bool = False            # IRQTF_WARNED


@record(eq=False)
class IrqDesc:
    """struct irq_desc of one IO-APIC pin."""

    irq: int
    hwirq: int
    flow: str                       # desc->name: the flow handler's ("edge", "fasteoi")
    chip: str = "IO-APIC"
    actions: list[IrqAction] = field(default_factory=list)
    kstat: list[int] = field(default_factory=lambda: [0, 0])      # per CPU
    depth: int = 1                  # disable depth; 1 until the first action starts the line
    pending: bool = False           # IRQS_PENDING: raised while disabled
    masked: bool = False            # a oneshot line waits for its threads
    threads_active: int = 0
    wait_for_threads: WaitQueue = field(default_factory=WaitQueue)
    in_progress: bool = False       # IRQD_IRQ_INPROGRESS
    norequest: bool = False
    wake_depth: int = 0             # irq_set_irq_wake() nesting
    irq_count: int = 0              # note_interrupt(): events, unhandled ones, when the last was
    irqs_unhandled: int = 0
    last_unhandled: int = 0

    @property
    def vector(self) -> int:
        return IRQ0_VECTOR + self.irq


class Irqs:
    """The interrupt descriptors of one machine."""

    def __init__(self, k: "Kernel") -> None:
        self.k = k
        self.descs = {i: IrqDesc(i, HWIRQ.get(i, i), "fasteoi" if i in LEVEL_IRQS else "edge",
                                 norequest=i in NOREQUEST) for i in range(NR_IRQS)}
        self.err_count = 0          # irq_err_count (ERR:)
        self.bad_reports = 100      # report_bad_irq()'s budget
        for irq, name, flags, fn, ret in BOOT_ACTIONS:
            self._setup(self.descs[irq], IrqAction(irq, name, 0, flags, 0, host=lambda r=ret: r,
                                                   host_name=fn))

    # --- request and free ---------------------------------------------------------------------
    def request(self, irq: int, handler: int, thread_fn: int, flags: int, name_ptr: int,
                dev_id: int) -> None:
        """request_threaded_irq(); KernelError with its errno."""
        k = self.k
        desc = self.descs.get(irq)
        if (flags & IRQF_SHARED and not dev_id) or desc is None or desc.norequest:
            raise KernelError(Errno.EINVAL)
        if not handler and not thread_fn:
            raise KernelError(Errno.EINVAL)
        name = k.mem.cstr(name_ptr, 64) if name_ptr else "(null)"
        if not handler and not flags & IRQF_ONESHOT:
            k.log.err(f"Threaded irq requested with handler=NULL and !ONESHOT for irq {irq}")
            raise KernelError(Errno.EINVAL)
        action = IrqAction(irq, name, name_ptr, flags & 0xFFFF_FFFF, dev_id, handler, thread_fn)
        if desc.actions:
            old = desc.actions[0]
            if (not (old.flags & action.flags & IRQF_SHARED)
                    or (old.flags ^ action.flags) & (IRQF_TRIGGER_MASK | IRQF_ONESHOT | IRQF_PERCPU)):
                if not action.flags & IRQF_PROBE_SHARED:
                    k.log.err(f"Flags mismatch irq {irq}. {action.flags:08x} ({name}) vs. "
                              f"{old.flags:08x} ({old.name})")
                raise KernelError(Errno.EBUSY)
        if thread_fn:
            self._setup_thread(action)
        self._setup(desc, action)

    def _setup(self, desc: IrqDesc, action: IrqAction) -> None:
        """__setup_irq(): the first action starts (unmasks) the line."""
        first = not desc.actions
        desc.actions.append(action)
        if first:
            desc.depth = 0
            desc.pending = desc.masked = False
            desc.irq_count = desc.irqs_unhandled = 0

    def _setup_thread(self, action: IrqAction) -> None:
        """setup_irq_thread(): kthread_create(irq_thread, ..., "irq/%d-%s")."""
        k = self.k
        comm = f"irq/{action.irq}-{action.name}"[:TASK_COMM_LEN - 1]
        from kernel.fork import kernel_thread
        t = kernel_thread(k, comm)
        action.thread = t
        k.sched.start(t, lambda: self._irq_thread(t, action))

    def free(self, irq: int, dev_id: int) -> int:
        """free_irq(): the devname pointer of the action removed, 0 if none was found."""
        k = self.k
        desc = self.descs.get(irq)
        if desc is None:
            return 0
        task = k.current
        if in_interrupt(task):
            k.warn_at(WARN_FREE_FROM_IRQ, f"Trying to free IRQ {irq} from IRQ context!\n")
        action = next((a for a in desc.actions if a.dev_id == dev_id and a.host is None), None)
        if action is None:
            k.warn_at(WARN_ALREADY_FREE, f"Trying to free already-free IRQ {irq}\n")
            return 0
        desc.actions.remove(action)
        if not desc.actions:
            desc.depth, desc.pending, desc.masked = 1, False, False     # irq_shutdown()
        self.synchronize(desc)
        t = action.thread
        if t is not None and t.alive:
            action.stop = True                                         # kthread_stop()
            k.sched.wake(t)
            desc.wait_for_threads.wait_event(k, lambda: not t.alive)
        return action.name_ptr

    # --- enable / disable ---------------------------------------------------------------------
    def disable(self, irq: int, sync: bool) -> None:
        desc = self.descs.get(irq)
        if desc is None:
            return
        desc.depth += 1
        if sync:
            self.synchronize(desc)

    def enable(self, irq: int) -> None:
        """enable_irq(): the last enable unmasks, and a pending event is resent."""
        k = self.k
        desc = self.descs.get(irq)
        if desc is None:
            return
        if desc.depth == 0:
            k.warn_at(WARN_UNBALANCED_ENABLE, f"Unbalanced enable for IRQ {irq}\n")
            return
        desc.depth -= 1
        if desc.depth == 0 and desc.pending and desc.actions:
            desc.pending = False
            self.handle(desc.irq)                                      # check_irq_resend()

    def set_wake(self, irq: int, on: bool) -> int:
        """irq_set_irq_wake(): nest the wake enables (the IO-APIC skips set_wake: 0)."""
        k = self.k
        desc = self.descs.get(irq)
        if desc is None:
            return -Errno.EINVAL
        if on:
            desc.wake_depth += 1
        elif desc.wake_depth == 0:
            k.warn_at(WARN_UNBALANCED_WAKE, f"Unbalanced IRQ {irq} wake disable\n")
        else:
            desc.wake_depth -= 1
        return 0

    def synchronize(self, desc: IrqDesc) -> None:
        """synchronize_irq(): wait for the line's threads to be done with what they were woken
        for (its hard handlers run to completion on the CPU they interrupted)."""
        k = self.k
        if desc.threads_active or any(a.runthread for a in desc.actions):
            desc.wait_for_threads.wait_event(
                k, lambda: not desc.threads_active and not any(a.runthread for a in desc.actions))

    # --- an interrupt ---------------------------------------------------------------------------
    def handle(self, irq: int) -> None:
        """An interrupt on line IRQ, in the current task: do_IRQ() and the flow handler."""
        k = self.k
        task = k.current
        desc = self.descs.get(irq)
        softirq = k.softirq
        task.host_stack.extend(("common_interrupt", "do_IRQ"))
        softirq.preempt_add(task, HARDIRQ_OFFSET)                     # irq_enter()
        try:
            if desc is None or not desc.actions:
                do_irq_no_handler(k, task.cpu, IRQ0_VECTOR + irq)
            else:
                self._flow(task, desc)
        except BaseException:
            softirq.preempt_add(task, -HARDIRQ_OFFSET)                 # the task is gone
            del task.host_stack[-2:]
            raise
        task.host_stack.append("irq_exit")
        try:
            softirq.irq_exit(task)
        finally:
            del task.host_stack[-3:]

    def _flow(self, task: "Task", desc: IrqDesc) -> None:
        """handle_edge_irq() / handle_fasteoi_irq()."""
        if desc.depth or desc.masked or desc.in_progress:
            desc.pending = True                 # masked: resent when enabled again
            return
        desc.kstat[task.cpu] += 1
        flow = f"handle_{desc.flow}_irq"
        task.host_stack.extend(("handle_irq", flow, "handle_irq_event", "handle_irq_event_percpu"))
        desc.in_progress = True
        try:
            ret = self._handle_event(task, desc)
            task.host_stack.append("note_interrupt")
            try:
                self.note_interrupt(task, desc, ret)
            finally:
                task.host_stack.pop()
        finally:
            desc.in_progress = False
            del task.host_stack[-4:]
        if desc.pending and not desc.depth and not desc.masked:
            desc.pending = False
            self._flow(task, desc)

    def _handle_event(self, task: "Task", desc: IrqDesc) -> int:
        """__handle_irq_event_percpu(): every action's handler; IRQ_WAKE_THREAD wakes its thread."""
        k = self.k
        retval = 0
        for action in list(desc.actions):
            if action.host is not None:
                task.host_stack.append(action.host_name)
                try:
                    res = action.host()
                finally:
                    task.host_stack.pop()
            elif action.handler:
                res = self._call_handler(task, action.handler, desc.irq, action.dev_id)
            else:
                res = IRQ_WAKE_THREAD                  # irq_default_primary_handler()
            if res == IRQ_WAKE_THREAD:
                if not action.thread_fn:
                    self._warn_no_thread(action)
                else:
                    self._wake_thread(desc, action)
            retval |= res
        return retval

    def _call_handler(self, task: "Task", fn: int, irq: int, dev_id: int) -> int:
        """A guest hard handler. An Oops in it panics (in_interrupt()); one stuck in it is
        reported by the lockup detector and the interrupted task killed with it."""
        k = self.k
        cost.spend(k, "guest_call")
        try:
            return k.cpu.call(task, fn, (irq, dev_id), "__handle_irq_event_percpu") & 0xFFFF_FFFF
        except (GuestFault, GuestBug) as e:
            k.oops(task, e)
            raise TaskKilled(task.comm, SIGKILL) from None

    def _warn_no_thread(self, action: IrqAction) -> None:
        if action.warned:
            return
        action.warned = True
        self.k.log.warn(f"IRQ {action.irq} device {action.name} returned IRQ_WAKE_THREAD but no "
                        "thread function available.")

    def _wake_thread(self, desc: IrqDesc, action: IrqAction) -> None:
        """__irq_wake_thread(): a oneshot line stays masked until its threads are done."""
        t = action.thread
        if t is None or not t.alive or action.runthread:
            return
        action.runthread = True
        desc.threads_active += 1
        if action.flags & IRQF_ONESHOT:
            desc.masked = True
        self.k.sched.wake(t)

    def note_interrupt(self, task: "Task", desc: IrqDesc, ret: int) -> None:
        """spurious.c note_interrupt(): a bogus return value is reported; a line whose
        handlers leave 99,900 of 100,000 interrupts unhandled (each within HZ/10 of the last
        one) is stuck: reported and disabled."""
        if ret & ~(IRQ_HANDLED | IRQ_WAKE_THREAD):
            if self.bad_reports > 0:                    # report_bad_irq(): 100 at most
                self.bad_reports -= 1
                self._report_bad_irq(task, desc, ret)
            return
        jiffies = self.k.clock.jiffies
        if ret == IRQ_NONE:
            if jiffies > desc.last_unhandled + SPURIOUS_WINDOW:
                desc.irqs_unhandled = 1
            else:
                desc.irqs_unhandled += 1
            desc.last_unhandled = jiffies
        desc.irq_count += 1
        if desc.irq_count < SPURIOUS_EVENTS:
            return
        desc.irq_count = 0
        if desc.irqs_unhandled > SPURIOUS_STUCK:
            self._report_bad_irq(task, desc, ret)
            self.k.log.emerg(f"Disabling IRQ #{desc.irq}")
            desc.depth += 1                             # IRQS_SPURIOUS_DISABLED
        desc.irqs_unhandled = 0

    def _report_bad_irq(self, task: "Task", desc: IrqDesc, ret: int) -> None:
        """__report_bad_irq(): what was wrong, the stack, and every handler of the line."""
        from kernel.api.vsprintf import symbol_text
        k = self.k
        if ret & ~(IRQ_HANDLED | IRQ_WAKE_THREAD):
            k.log.err(f"irq event {desc.irq}: bogus return value {ret:x}")
        else:
            k.log.err(f'irq {desc.irq}: nobody cared (try booting with the "irqpoll" option)')
        k.dump_stack(task, ("dump_stack", "__report_bad_irq"))
        k.log.err("handlers:")
        for a in desc.actions:
            fn = k.cpu.host_addr(a.host_name) if a.host is not None else \
                a.handler or k.cpu.host_addr("irq_default_primary_handler")
            line = f"[<{k.fmt_ptr(fn)}>] {symbol_text(k, 's', fn)}"
            if a.thread_fn:
                line += f" threaded [<{k.fmt_ptr(a.thread_fn)}>] {symbol_text(k, 's', a.thread_fn)}"
            k.log.err(line)

    # --- the thread of a threaded handler -------------------------------------------------------
    def _irq_thread(self, me: "Task", action: IrqAction) -> None:
        """irq_thread(): wait for IRQTF_RUNTHREAD, run thread_fn, until kthread_stop()."""
        k = self.k
        desc = self.descs[action.irq]
        running = False
        try:
            while True:
                while not action.runthread and not action.stop:
                    k.sched.block(TaskState.INTERRUPTIBLE)
                if not action.runthread:
                    break                                # stopped
                action.runthread, running = False, True  # irq_wait_for_interrupt()
                oopses = k.oops_count
                k.run_guest(me, action.thread_fn, (action.irq, action.dev_id),
                            via="irq_thread_fn", host=("irq_thread",))
                running = False
                self._thread_done(desc)
                if k.oops_count != oopses:
                    # do_exit() of an irq thread: irq_thread_dtor()
                    k.log.err(f'exiting task "{me.comm}" ({me.pid}) is an active IRQ thread '
                              f"(irq {action.irq})")
                    break
        finally:
            if running:
                self._thread_done(desc)
            k.sched.exit_task(me)
            desc.wait_for_threads.wake_up(k)

    def _thread_done(self, desc: IrqDesc) -> None:
        """irq_finalize_oneshot() and wake_threads_waitq(): unmask, replay what came meanwhile."""
        desc.threads_active = max(desc.threads_active - 1, 0)
        desc.wait_for_threads.wake_up(self.k)
        if desc.masked and not desc.threads_active:
            desc.masked = False
            if desc.pending and not desc.depth and desc.actions:
                desc.pending = False
                self.handle(desc.irq)

    # --- /proc/interrupts -----------------------------------------------------------------------
    def show(self, ncpus: int) -> str:
        """show_interrupts() over the descriptors, then arch_show_interrupts() (x86)."""
        prec, j = 3, 1000
        while prec < 10 and j <= NR_IRQS:
            prec, j = prec + 1, j * 10
        out = [" " * (prec + 8) + "".join(f"CPU{c:<8d}" for c in range(ncpus)) + "\n"]
        for i in range(NR_IRQS):
            d = self.descs[i]
            counts = d.kstat[:ncpus]
            if not d.actions and not any(counts):
                continue
            line = f"{i:>{prec}d}: " + "".join(f"{c:10d} " for c in counts)
            line += f" {d.chip:>8s} {d.hwirq:>{prec}d}-{d.flow:<8s}"
            if d.actions:
                line += "  " + ", ".join(a.name for a in d.actions)
            out.append(line + "\n")
        return "".join(out) + self._arch_show(prec, ncpus)

    def _arch_show(self, prec: int, ncpus: int) -> str:
        zero = "".join(f"{0:10d} " for _ in range(ncpus))
        out = [f"{name:>{prec}s}: {zero}  {text}\n" for name, text in ARCH_COUNTERS]
        out.insert(ARCH_ERR_AT, f"{'ERR':>{prec}s}: {self.err_count:10d}\n"
                                f"{'MIS':>{prec}s}: {0:10d}\n")
        return "".join(out)


# arch_show_interrupts() of x86 (4.19) for this configuration: local APIC, SMP, thermal and
# MCE vectors, KVM posted interrupts; ERR and MIS come before the KVM lines
ARCH_COUNTERS = (
    ("NMI", "Non-maskable interrupts"), ("LOC", "Local timer interrupts"),
    ("SPU", "Spurious interrupts"), ("PMI", "Performance monitoring interrupts"),
    ("IWI", "IRQ work interrupts"), ("RTR", "APIC ICR read retries"),
    ("RES", "Rescheduling interrupts"), ("CAL", "Function call interrupts"),
    ("TLB", "TLB shootdowns"), ("TRM", "Thermal event interrupts"),
    ("THR", "Threshold APIC interrupts"), ("DFR", "Deferred Error APIC interrupts"),
    ("MCE", "Machine check exceptions"), ("MCP", "Machine check polls"),
    ("PIN", "Posted-interrupt notification event"), ("NPI", "Nested posted-interrupt event"),
    ("PIW", "Posted-interrupt wakeup event"),
)
ARCH_ERR_AT = 14


def irqs(k: "Kernel") -> Irqs:
    """The machine's interrupt descriptors, made on first use."""
    if k.irqs is None:
        k.irqs = Irqs(k)
    return k.irqs
