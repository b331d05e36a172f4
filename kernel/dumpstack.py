"""Oops, WARNING and dump_stack() reports in the 4.19 x86-64 format.

arch/x86/kernel/dumpstack.c (__die, oops_end, show_regs, show_ip/show_opcodes), process_64.c
(__show_regs), arch/x86/mm/fault.c (no_context: the page fault lines and the CR2 summary),
kernel/panic.c (__warn), lib/dump_stack.c and kernel/workqueue.c (print_worker_info).

The registers are the guest's: those of the faulting instruction, or of the guest's call into
the kernel function that reports. Segment, control and per-CPU base registers are those of an
x86-64 machine in long mode (constants: there is nothing behind them here).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from kernel.abi import WorkStruct
from kernel.cpu import GuestBug, GuestFault
from kernel.fault import (DOUBLE_FAULT, NX_WARNING, STACK_OVERFLOW, STACK_OVERFLOW_DF, X86_PF_INSTR,
                          double_fault_on_guard, dump_pagetable, stack_guard_hit)
from kernel.mm import PAGE_SIZE, PROT_EXEC, STUB_BASE, STUB_END, THREAD_SIZE
from kernel.printk import KERN_ALERT, KERN_CRIT, KERN_EMERG, KERN_INFO, KERN_WARNING

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.sched import Task

Regs = dict[str, int]
KERN_DEFAULT = KERN_WARNING        # the default message loglevel
PROLOGUE, EPILOGUE = 42, 21        # show_opcodes(): bytes before and after RIP
CR0 = 0x0000_0000_8005_0033
CR4 = 0x0000_0000_0000_06F0
GS_BASE = 0xFFFF_8880_3EC0_0000    # CPU 0's per-CPU area
USER_FS = 0x0000_7F6A_2C3D_B540    # a user task's TLS base
_REG_ROWS = (("rax", "rbx", "rcx"), ("rdx", "rsi", "rdi"), ("rbp", "r8", "r9"),
             ("r10", "r11", "r12"), ("r13", "r14", "r15"))
_REG_NAMES = {"r8": "R08", "r9": "R09"}
_WORK_FUNC = WorkStruct.func.offset


def oops_id(k: "Kernel") -> int:
    """init_oops_id(): one random id per boot, shown by every end-of-trace marker."""
    import hashlib  # here: only an oops or a WARNING needs it (start-up)

    return int.from_bytes(hashlib.blake2b(b"oops_id", key=k.ptr_key, digest_size=8).digest(), "little")


class DumpStack:
    """The reports of one Kernel, and the state they keep (die_counter, the first regs)."""

    def __init__(self, k: "Kernel") -> None:
        self.k = k
        self.die_counter = 0
        self.exec_summary: Regs | None = None      # regs of the first Oops since boot
        self.cr2 = 0                               # the last page fault's address

    # --- pieces ----------------------------------------------------------------------------
    def _log(self, level: int, text: str) -> None:
        self.k.printk.log(level, text)

    def print_modules(self) -> None:
        parts = []
        for m in reversed(list(self.k.loader.modules.values())):   # the modules list: newest first
            if m.state.name != "UNFORMED":
                parts.append(m.name + m.flags())
        self._log(KERN_DEFAULT, "Modules linked in: " + " ".join(parts))

    def print_info(self, task: "Task") -> None:
        """dump_stack_print_info(): who, where, and the work item a kworker is running."""
        k = self.k
        self._log(KERN_DEFAULT, f"CPU: {task.cpu} PID: {task.pid} Comm: {task.comm} "
                                f"{k.tainted_string()} {k.release} #1")
        self._log(KERN_DEFAULT, "Hardware name: klpsh virtual machine, BIOS klpsh 4.19")
        info = k.workqueues.worker_info(task)
        if info is not None:
            from kernel.api.vsprintf import symbol_text
            name, w = info
            fn = k.cpu.host_addr(w.name) if w.host_fn is not None else k.mem.u64(w.key + _WORK_FUNC)
            self._log(KERN_DEFAULT, f"Workqueue: {name} {symbol_text(k, 'f', fn)}")

    def show_ip(self, regs: Regs) -> None:
        k = self.k
        rip = regs["rip"]
        self._log(KERN_DEFAULT, f"RIP: 0010:{k.kallsyms.sprint_symbol(rip)}")
        start = rip - PROLOGUE
        n = PROLOGUE + 1 + EPILOGUE
        pt = k.pagetable
        if not k.mem.valid(start, n) or not (pt.present(start) and pt.present(start + n - 1)):
            self._log(KERN_DEFAULT, "Code: Bad RIP value.")
            return
        code = k.mem.read(start, n)
        before = " ".join(f"{b:02x}" for b in code[:PROLOGUE])
        after = " ".join(f"{b:02x}" for b in code[PROLOGUE + 1:])
        self._log(KERN_DEFAULT, f"Code: {before} <{code[PROLOGUE]:02x}> {after}")

    def show_regs_body(self, task: "Task", regs: Regs) -> None:
        """__show_regs(regs, SHOW_REGS_ALL)."""
        self.show_ip(regs)
        log = self._log
        log(KERN_DEFAULT, f"RSP: 0018:{regs['rsp']:016x} EFLAGS: {regs.get('eflags', 0x246):08x}")
        for row in _REG_ROWS:
            log(KERN_DEFAULT, " ".join(f"{_REG_NAMES.get(r, r.upper())}: {regs.get(r, 0):016x}"
                                       for r in row))
        fs = USER_FS if not task.is_kthread else 0
        log(KERN_DEFAULT, f"FS:  {fs:016x}(0000) GS:{GS_BASE:016x}(0000) knlGS:0000000000000000")
        log(KERN_DEFAULT, f"CS:  0010 DS: 0000 ES: 0000 CR0: {CR0:016x}")
        cr3 = 0x7A00_0000 + task.pid * 0x2000
        log(KERN_DEFAULT, f"CR2: {self.cr2:016x} CR3: {cr3:016x} CR4: {CR4:016x}")

    def show_trace(self, trace: Sequence[int]) -> None:
        """printk_stack_address(): each return address as %pB (the call before it, so the
        call of a noreturn function at a function's end is still that function's); host
        functions are named by their slots as they are."""
        from kernel.api.vsprintf import symbol_text
        self._log(KERN_DEFAULT, "Call Trace:")
        for a in trace:
            text = self.k.kallsyms.sprint_symbol(a) if STUB_BASE <= a < STUB_END else symbol_text(self.k, "B", a)
            self._log(KERN_DEFAULT, f" {text}")

    def show_regs(self, task: "Task", regs: Regs | None, trace: Sequence[int]) -> None:
        """show_regs(): the task, its registers and code, and the call trace."""
        self.print_info(task)
        if regs is not None:
            self.show_regs_body(task, regs)
        self.show_trace(trace)

    def end_marker(self) -> None:
        self._log(KERN_WARNING, f"---[ end trace {oops_id(self.k):016x} ]---")

    # --- the reports -----------------------------------------------------------------------
    def oops(self, task: "Task", e: GuestFault | GuestBug) -> None:
        """die() for a page fault, a CPU exception or BUG(): the report, taint D; the caller
        then kills the task (or panics, in interrupt context)."""
        k = self.k
        if isinstance(e, GuestFault) and e.trap == "soft lockup":
            self.soft_lockup(task, e)
            return
        page_fault = False
        if isinstance(e, GuestBug):
            # report_bug(): the BUG() site is the call to the noreturn stub, 5 bytes before
            # its return address (which may lie past the end of the function)
            trace = e.trace or k.cpu.stack_trace(task) or []
            rip = trace[1] - 5 if len(trace) > 1 else 0
            trace = trace[2:]
            regs = dict(e.regs or {}, rip=rip)
            self._log(KERN_WARNING, "------------[ cut here ]------------")
            self._log(KERN_CRIT, f"kernel BUG at {e.file}:{e.line}!")
            title, code = "invalid opcode", 0
        elif e.trap == "page fault":
            regs, trace = e.regs, e.trace
            self.cr2 = e.addr
            title, code, page_fault = self.page_fault(task, e)
        elif e.trap == DOUBLE_FAULT:
            regs, trace = e.regs, e.trace
            self.cr2 = e.addr
            title, code = self.double_fault(task, e), 0
        else:
            regs, trace = e.regs, e.trace
            title, code = e.trap, e.error_code
        if self.exec_summary is None:
            self.exec_summary = dict(regs)
        self.die_counter += 1
        self._log(KERN_DEFAULT, f"{title}: {code:04x} [#{self.die_counter}] SMP NOPTI")
        self.show_regs(task, regs, trace)
        self.print_modules()
        if page_fault:
            self._log(KERN_DEFAULT, f"CR2: {e.addr:016x}")   # no_context()'s summary line
        k.add_taint("D")
        self.end_marker()
        self.show_regs_body(task, self.exec_summary)      # "in case the oops scrolled away"

    def stack_overflow(self, task: "Task", addr: int, title: str) -> str:
        """handle_stack_overflow(): the guard page line; die()'s title."""
        k = self.k
        stack = task.ctx.stack_base
        self._log(KERN_EMERG, f"BUG: stack guard page was hit at {k.fmt_ptr(addr)} "
                              f"(stack is {k.fmt_ptr(stack)}..{k.fmt_ptr(stack + THREAD_SIZE - 1)})")
        return title

    def double_fault(self, task: "Task", e: GuestFault) -> str:
        """do_double_fault(): the exception frame could not be written; CR2 in the guard
        page below the stack is a stack overflow, else a plain double fault."""
        if double_fault_on_guard(task, e.addr):
            return self.stack_overflow(task, e.addr, STACK_OVERFLOW_DF)
        return DOUBLE_FAULT

    def page_fault(self, task: "Task", e: GuestFault) -> tuple[str, int, bool]:
        """no_context(): the stack guard page (handle_stack_overflow(), then die()), or
        show_fault_oops() and __die("Oops"). Returns die()'s title, error code, and whether
        the CR2 summary line follows."""
        k = self.k
        if stack_guard_hit(task, e.addr):
            return self.stack_overflow(task, e.addr, STACK_OVERFLOW), 0, False
        pt = k.pagetable
        if e.error_code & X86_PF_INSTR and pt.present(e.addr) and not pt.get(e.addr) & PROT_EXEC:
            self._log(KERN_CRIT, NX_WARNING)
        what = "NULL pointer dereference" if e.addr < PAGE_SIZE else "paging request"
        self._log(KERN_ALERT, f"BUG: unable to handle kernel {what} at {e.addr:016x}")
        self._log(KERN_INFO, dump_pagetable(pt, e.addr, k.mem.base, k.mem.base + k.mem.size))
        return "Oops", e.error_code, True

    def soft_lockup(self, task: "Task", e: GuestFault) -> None:
        """watchdog_timer_fn(): the report of a CPU stuck in one task; taint L afterwards.
        (Linux leaves the task spinning; here it is killed, and says so.)

        Stuck in a hard interrupt handler, the CPU takes no timer interrupt: the NMI watchdog
        (watchdog_overflow_callback(), hardlockup_panic off) reports the hard lockup instead."""
        from kernel.softirq import HARDIRQ_MASK
        if task.irq_count & HARDIRQ_MASK:
            self._log(KERN_EMERG, f"NMI watchdog: Watchdog detected hard LOCKUP on cpu {task.cpu}")
            self.print_modules()
            self.show_regs(task, e.regs, e.trace)
        else:
            self._log(KERN_EMERG, f"watchdog: BUG: soft lockup - CPU#{task.cpu} stuck for "
                                  f"{e.duration}s! [{task.comm}:{task.pid}]")
            self.print_modules()
            self.show_regs(task, e.regs, e.trace)
            self.k.add_taint("L")
        self._log(KERN_WARNING, f"klpsh: killed {task.comm}:{task.pid} stuck in guest code")

    def warn(self, task: "Task", file: str, line: int, rip: int, trace: Sequence[int],
             msg: str = "") -> None:
        """__warn() with the registers of the WARN site: the splat, then taint W."""
        k = self.k
        self._log(KERN_WARNING, "------------[ cut here ]------------")
        if msg:
            k.printk.printk(msg if msg.endswith("\n") else msg + "\n")
        self._log(KERN_WARNING, f"WARNING: CPU: {task.cpu} PID: {task.pid} at {file}:{line} "
                                f"{k.kallsyms.sprint_symbol(rip)}")
        self.print_modules()
        regs = k.cpu.regs(task)
        self.show_regs(task, dict(regs, rip=rip) if regs is not None else None, trace)
        self.end_marker()
        k.add_taint("W")      # __warn() taints after the report: the first one shows no W

    def dump_stack(self, task: "Task", frames: Sequence[str] = ()) -> None:
        """dump_stack(): who, then the call trace from the caller (FRAMES: host functions
        between dump_stack() and the guest's call)."""
        k = self.k
        self.print_info(task)
        trace = [k.cpu.host_addr(f) for f in frames] + (k.cpu.stack_trace(task) or [])
        self.show_trace(trace)
