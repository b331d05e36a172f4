"""Kernel dynamic probes (kernel/kprobes.c, arch/x86/kernel/kprobes/{core,ftrace}.c, 4.19).

The struct kprobe of the module is the state: its addr, flags and nmissed are read and written
in guest memory, as the C code does. Probe points:
  - a function's fentry site (a C function of vmlinux or of a module): the kprobe is an ftrace
    ops on the site (KPROBES_ON_FTRACE, [FTRACE]); its handler sees regs->ip = addr + 1 in the
    pre_handler (as after an int3) and addr + MCOUNT_INSN_SIZE in the post_handler. Livepatch's
    ops also modifies regs->ip, so a kprobe and a livepatch on one function refuse each other
    with -EBUSY (FTRACE_OPS_FL_IPMODIFY), in 4.19 and 5.4 alike;
  - a kernel function implemented in Python: its symbol is its stub slot (`nop; ret`), and the
    probe replaces the `nop` as an int3 would: the pre_handler sees ip = addr + 1, the
    post_handler ip = addr + 1 (the `nop` stepped over).
  - an instruction inside a C function (symbol+offset past the fentry site): an int3 replaces
    its first byte and the instruction runs from a slot, its copy followed by an int3 (the
    single step): the pre_handler sees ip = addr + 1, the post_handler ip = the next
    instruction. The boundaries come from objdump of the function's bytes (-EILSEQ off one);
    instructions whose copy would need fixing up (RIP-relative operands, branches, calls,
    returns) are not modelled (-EINVAL).

A kretprobe's entry probe replaces the return address with kretprobe_trampoline; the
trampoline runs the handler with the return value in regs->ax and returns to the caller.
On a Python function the return is seen when it returns to its slot.

Handlers run as nested guest calls; while one runs on a CPU (kprobe_running()), a probe hit
there is counted in its nmissed and skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable

import unicorn.x86_const as X

from kernel.abi import Kprobe as CKprobe, Kretprobe as CKretprobe, KretprobeInstance as CInst, PtRegs
from kernel.cpu import MASK64, STUB_BASE, SLOT, regs_of
from kernel.errno import Errno, KernelError
from kernel.ftrace import MCOUNT_INSN_SIZE, FtraceOps
from kernel.record import field, record, replace

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.module.main import Module
    from kernel.sched import Task

KPROBE_FLAG_GONE = 1
KPROBE_FLAG_DISABLED = 2
KPROBE_FLAG_OPTIMIZED = 4
KPROBE_FLAG_FTRACE = 8
KERNEL_CS = 0x10
KERNEL_DS = 0x18
KRETPROBE_MAX_DATA_SIZE = 4096      # 5.4
X86_EFLAGS_FIXED, X86_EFLAGS_IF = 0x2, 0x200
HARDIRQ_MASK = 0x000F0000
NR_POSSIBLE_CPUS = 2                # maxactive's default (!CONFIG_PREEMPT: num_possible_cpus())
# the kprobes code itself may not be probed (__kprobes, NOKPROBE_SYMBOL in kernel/kprobes.c and
# arch/x86/kernel/kprobes/)
KPROBES_TEXT = frozenset({
    "register_kprobe", "unregister_kprobe", "register_kprobes", "unregister_kprobes",
    "register_kretprobe", "unregister_kretprobe", "register_kretprobes", "unregister_kretprobes",
    "disable_kprobe", "enable_kprobe", "kprobe_running", "get_kprobe", "dump_kprobe",
    "arch_deref_entry_point", "kretprobe_trampoline", "kprobe_ftrace_handler",
    "pre_handler_kretprobe", "trampoline_handler", "ftrace_regs_caller"})
_PT = {name: getattr(PtRegs, name).offset for name, _ in PtRegs._fields_}
_GPRS = (("r15", X.UC_X86_REG_R15), ("r14", X.UC_X86_REG_R14), ("r13", X.UC_X86_REG_R13),
         ("r12", X.UC_X86_REG_R12), ("bp", X.UC_X86_REG_RBP), ("bx", X.UC_X86_REG_RBX),
         ("r11", X.UC_X86_REG_R11), ("r10", X.UC_X86_REG_R10), ("r9", X.UC_X86_REG_R9),
         ("r8", X.UC_X86_REG_R8), ("ax", X.UC_X86_REG_RAX), ("cx", X.UC_X86_REG_RCX),
         ("dx", X.UC_X86_REG_RDX), ("si", X.UC_X86_REG_RSI), ("di", X.UC_X86_REG_RDI))
_ARGS = ("di", "si", "dx", "cx", "r8", "r9")
__all__ = ["Kprobes", "KprobeSite", "kprobes_of"]


@record(eq=False)
class KprobeSite:
    """The probes at one address (an aggregate probe when more than one), newest first."""

    addr: int
    probes: list[int] = field(default_factory=list)     # struct kprobe pointers
    ftrace: bool = False
    armed: bool = False
    gone: bool = False
    aggr: int = 0           # the aggregate's own struct kprobe (kzalloc'ed), once there are two
    insn: bytes = b""       # an int3 probe: the instruction it replaces ...
    slot: int = 0           # ... and its copy in an instruction slot, an int3 after it


@record(eq=False)
class RetprobeState:
    """What register_kretprobe() allocated: the free instances (struct kretprobe_instance with
    data_size bytes of data after it)."""

    rp: int
    free: list[int] = field(default_factory=list)
    all: list[int] = field(default_factory=list)


@record(eq=False)
class Instance:
    """A pending kretprobe_instance of a task: RI, its kretprobe and the stack slot (ri->fp)
    whose return address the trampoline replaced (0: a Python function's return)."""

    ri: int
    rp: int
    ret_addr: int
    fp: int


class Kprobes:
    """The kprobe table of one Kernel (kernel/kprobes.c kprobe_table)."""

    def __init__(self, k: "Kernel") -> None:
        self.k = k
        self.table: dict[int, KprobeSite] = {}
        self.current: dict[int, int] = {}           # current_kprobe, by CPU
        self.all_disarmed = False
        self.fops = FtraceOps("kprobe_ftrace_handler", kprobe_ftrace_handler)
        self.retprobes: dict[int, RetprobeState] = {}   # struct kretprobe -> its instances
        self.pending: dict["Task", list[Instance]] = {}  # kretprobe_inst_table, per task
        self.wrapped: dict[int, Any] = {}           # a probed Python function's slot -> its Stub
        self.slots: dict[int, KprobeSite] = {}       # the int3 after an insn slot's copy -> site
        self.free_slots: list[int] = []
        self.quiet_step: set["Task"] = set()        # tasks whose slot copy runs for a missed hit
        self._decoded: dict[int, dict[int, tuple[int, str]]] = {}   # function -> its insns
        cpu = k.cpu
        self.pre_handler_kretprobe = cpu.add_stub("pre_handler_kretprobe", None).addr
        self.trampoline = cpu.add_stub("kretprobe_trampoline", kretprobe_trampoline, 0).addr
        k.loader.notifiers.append(self._module_callback)

    # --- lookups ---------------------------------------------------------------------
    def _u64(self, p: int, fld: Any) -> int:
        """A pointer field FLD of the guest struct at P."""
        return self.k.mem.u64(p + fld.offset)

    def flags(self, p: int) -> int:
        """p->flags."""
        return self.k.mem.u32(p + CKprobe.flags.offset)

    def _set_flags(self, p: int, v: int) -> None:
        """p->flags = V."""
        self.k.mem.set_u32(p + CKprobe.flags.offset, v)

    def get_kprobe(self, addr: int) -> KprobeSite | None:
        """The site of the probes at ADDR, if any."""
        return self.table.get(addr)

    def _valid(self, p: int) -> KprobeSite | None:
        """__get_valid_kprobe(): the site P is registered at, if it is."""
        site = self.table.get(self._u64(p, CKprobe.addr))
        return site if site is not None and p in site.probes else None

    def _site_disabled(self, site: KprobeSite) -> bool:
        """kprobe_disabled() of the site: gone, or every probe on it disabled."""
        return site.gone or all(self.flags(p) & (KPROBE_FLAG_DISABLED | KPROBE_FLAG_GONE)
                                for p in site.probes)

    def _kernel_text(self, addr: int) -> str | None:
        """kernel_text_address(): 'stub', 'vmlinux' or a module name, None if not text."""
        k = self.k
        if addr >= STUB_BASE and k.cpu.stub_at(addr - (addr - STUB_BASE) % SLOT) is not None:
            return "stub"
        for m in (k.vmlinux, *k.loader.modules.values()):
            if m is not None and m.base <= addr < m.base + (m.text_size or m.core_size):
                return m.name
        return None

    def _blacklisted(self, addr: int) -> bool:
        """within_kprobe_blacklist(): the kprobes code itself."""
        s = self.k.kallsyms.lookup(addr)
        if s is None:
            return False
        return s.owner == "vmlinux" and (s.name in KPROBES_TEXT or s.name.startswith("klpsh_host"))

    # --- registration ----------------------------------------------------------------
    def _kprobe_addr(self, p: int) -> int:
        """_kprobe_addr(): p->addr, or p->symbol_name resolved, plus p->offset."""
        from kernel.api.kallsyms import lookup_name
        k = self.k
        addr = self._u64(p, CKprobe.addr)
        name = self._u64(p, CKprobe.symbol_name)
        offset = k.mem.u32(p + CKprobe.offset.offset)
        if bool(name) == bool(addr):
            raise KernelError(Errno.EINVAL)
        if name:
            addr = lookup_name(k, k.mem.cstr(name, 128))
            if not addr:
                raise KernelError(Errno.ENOENT)
        addr = (addr + offset) & MASK64
        if not addr:
            raise KernelError(Errno.EINVAL)
        return addr

    def register_kprobe(self, p: int) -> None:
        """register_kprobe(P): resolve, check, add to the table and arm (KernelError on failure)."""
        k = self.k
        mem = k.mem
        addr = self._kprobe_addr(p)
        mem.set_u64(p + CKprobe.addr.offset, addr)
        if self._valid(p) is not None:          # check_kprobe_rereg()
            raise KernelError(Errno.EINVAL)
        self._set_flags(p, self.flags(p) & KPROBE_FLAG_DISABLED)
        mem.set_u64(p + CKprobe.nmissed.offset, 0)
        lst = p + CKprobe.list.offset
        mem.set_u64(lst, lst)
        mem.set_u64(lst + 8, lst)
        # check_kprobe_address_safe()
        loc = k.ftrace.location(addr)
        if loc and loc != addr:
            raise KernelError(Errno.EILSEQ)     # not on the instruction boundary
        if loc:
            self._set_flags(p, self.flags(p) | KPROBE_FLAG_FTRACE)
        where = self._kernel_text(addr)
        if where is None or self._blacklisted(addr):
            raise KernelError(Errno.EINVAL)
        probed_mod = k.loader.modules.get(where)
        if probed_mod is not None and not k.loader.try_module_get(probed_mod):
            raise KernelError(Errno.ENOENT)
        try:
            site = self.table.get(addr)
            if site is not None:                # register_aggr_kprobe()
                if not site.aggr:
                    site.aggr = self._alloc_aggr(site)
                site.probes.insert(0, p)
                if site.gone:
                    site.gone = False
                self._arm_if_needed(site)
                return
            site = KprobeSite(addr, [p], ftrace=bool(loc))
            if not loc and not (where == "stub" and (addr - STUB_BASE) % SLOT == 0):
                self._prepare_int3(site, where)     # arch_prepare_kprobe()
            self.table[addr] = site
            if not self.all_disarmed and not self.flags(p) & KPROBE_FLAG_DISABLED:
                try:
                    self._arm(site)
                except KernelError:
                    del self.table[addr]
                    raise
        finally:
            if probed_mod is not None:
                k.loader.module_put(probed_mod)

    def _alloc_aggr(self, site: KprobeSite) -> int:
        """alloc_aggr_kprobe() + init_aggr_kprobe(): the probe the table and kprobe_running()
        then name, with the first probe's address and flags."""
        k = self.k
        ap = k.slab.kmalloc(CKprobe.size, zero=True)
        first = site.probes[0]
        k.mem.set_u64(ap + CKprobe.addr.offset, site.addr)
        self._set_flags(ap, self.flags(first) & ~KPROBE_FLAG_OPTIMIZED)
        k.mem.set_u64(ap + CKprobe.pre_handler.offset, k.cpu.host_addr("aggr_pre_handler"))
        return ap

    def running_probe(self, site: KprobeSite, p: int) -> int:
        """What kprobe_running() gives while P's handler runs: the aggregate, if any."""
        return site.aggr or p

    def _arm_if_needed(self, site: KprobeSite) -> None:
        """Arm SITE unless all probes are disarmed or every probe on it is disabled."""
        if not site.armed and not self.all_disarmed and not self._site_disabled(site):
            self._arm(site)

    def _arm(self, site: KprobeSite) -> None:
        """arm_kprobe(): enable the site's ftrace ops, or wrap the Python function's slot."""
        if site.ftrace:
            self.k.ftrace.register(self.fops, site.addr)   # -EBUSY beside a livepatch
        elif site.slot:
            self.k.cpu.write_text(site.addr, b"\xcc")      # arch_arm_kprobe()
        else:
            self._wrap(site.addr)
        site.armed = True

    def _disarm(self, site: KprobeSite, code_gone: bool = False) -> None:
        """disarm_kprobe(): the NOP, the original byte or the unwrapped slot back (not in CODE_GONE code)."""
        if not site.armed:
            return
        if site.ftrace:
            self.k.ftrace.unregister(self.fops, site.addr, code_gone)
        elif site.slot:
            if not code_gone:
                self.k.cpu.write_text(site.addr, site.insn[:1])
        else:
            self._unwrap(site.addr)
        site.armed = False

    def _decode(self, start: int, size: int) -> dict[int, tuple[int, str]]:
        """The instructions of the function at START (objdump of its bytes): address ->
        (length, text)."""
        import subprocess
        import tempfile
        insns = self._decoded.get(start)
        if insns is not None:
            return insns
        with tempfile.NamedTemporaryFile(suffix=".bin") as f:
            f.write(self.k.mem.read(start, size))
            f.flush()
            out = subprocess.run(["objdump", "-D", "-b", "binary", "-m", "i386:x86-64",
                                  f"--adjust-vma={start:#x}", f.name],
                                 capture_output=True, text=True, check=False).stdout
        starts: list[tuple[int, str]] = []
        for line in out.splitlines():
            parts = line.split("\t")
            if len(parts) >= 3 and parts[0].strip().endswith(":"):
                starts.append((int(parts[0].strip()[:-1], 16), parts[2].strip()))
        insns = {}
        for i, (a, text) in enumerate(starts):
            end = starts[i + 1][0] if i + 1 < len(starts) else start + size
            insns[a] = (end - a, text)
        self._decoded[start] = insns
        return insns

    def _prepare_int3(self, site: KprobeSite, where: str) -> None:
        """arch_prepare_kprobe(): a probe inside a C function replaces the instruction there
        with an int3; the instruction runs from a slot (its copy, then an int3 for the
        post_handler). -EILSEQ off an instruction boundary; instructions whose copy would need
        fixing up (RIP-relative operands, branches, calls, returns) are not modelled
        (-EINVAL)."""
        s = self.k.kallsyms.lookup(site.addr)
        if s is None or not s.size or not s.addr <= site.addr < s.addr + s.size:
            raise KernelError(Errno.EINVAL)
        insns = self._decode(s.addr, s.size)
        if site.addr not in insns:
            raise KernelError(Errno.EILSEQ)
        length, text = insns[site.addr]
        op = text.split()[0] if text else ""
        if ("%rip" in text or op.startswith(("j", "call", "ret", "loop", "int", "(bad)", "iret",
                                             "syscall", "sysret", "ud")) or length > SLOT - 1):
            raise KernelError(Errno.EINVAL)
        site.insn = self.k.mem.read(site.addr, length)
        if self.free_slots:
            slot = self.free_slots.pop()
        else:
            slot = self.k.cpu.add_stub(f"kprobe_insn_slot{len(self.slots) + len(self.free_slots)}", None).addr
        self.k.cpu.write_text(slot, (site.insn + b"\xcc").ljust(SLOT, b"\xcc"))
        site.slot = slot
        self.slots[slot + length] = site

    def int3(self, uc: Any) -> bool:
        """kprobe_int3_handler(): a breakpoint at a probe (pre_handlers, then the copy of the
        instruction in its slot) or after a slot's copy (post_handlers, then on after the
        probed instruction); False if the int3 is none of these."""
        r = regs_of(uc)
        at = r.read(X.UC_X86_REG_RIP) - 1
        site = self.table.get(at)
        if site is not None and site.slot and site.armed:
            return _int3_hit(self, uc, site)
        site = self.slots.get(at)
        if site is not None:
            return _int3_step_done(self, uc, site)
        return False

    def _wrap(self, addr: int) -> None:
        """Put the probe hook around the Python function whose slot is at ADDR."""
        cpu = self.k.cpu
        index = (addr - STUB_BASE) // SLOT
        stub = cpu.stubs[index]
        if addr in self.wrapped:
            return
        self.wrapped[addr] = stub
        inner = stub.func
        assert inner is not None

        def probed(k: "Kernel", *args: Any) -> Any:
            """The probed Python function: its probes' handlers around it."""
            return kprobe_stub_hit(k, addr, inner, args)
        cpu.stubs[index] = replace(stub, func=probed)

    def _unwrap(self, addr: int) -> None:
        """The Python function at ADDR without its probe hook again."""
        stub = self.wrapped.pop(addr, None)
        if stub is not None:
            self.k.cpu.stubs[(addr - STUB_BASE) // SLOT] = stub

    def unregister_kprobes(self, kps: Iterable[int]) -> None:
        """unregister_kprobes(): each off its site (addr = NULL for one not registered)."""
        for p in kps:
            site = self._valid(p)
            if site is None:
                self.k.mem.set_u64(p + CKprobe.addr.offset, 0)
                continue
            site.probes.remove(p)
            if not site.probes:
                self._disarm(site)
                del self.table[site.addr]
                if site.slot:                   # arch_remove_kprobe(): the slot is free again
                    self.slots.pop(site.slot + len(site.insn), None)
                    self.free_slots.append(site.slot)
                if site.aggr:
                    self.k.slab.kfree(site.aggr)
            elif self._site_disabled(site):
                self._disarm(site)

    def disable_kprobe(self, p: int) -> None:
        """disable_kprobe(): -EINVAL for a probe not registered."""
        site = self._valid(p)
        if site is None:
            raise KernelError(Errno.EINVAL)
        self._set_flags(p, self.flags(p) | KPROBE_FLAG_DISABLED)
        if self._site_disabled(site):
            self._disarm(site)

    def enable_kprobe(self, p: int) -> None:
        """enable_kprobe(): -EINVAL for a probe not registered or gone."""
        site = self._valid(p)
        if site is None or site.gone:
            raise KernelError(Errno.EINVAL)
        was = self.flags(p)
        self._set_flags(p, was & ~KPROBE_FLAG_DISABLED)
        try:
            self._arm_if_needed(site)
        except KernelError:
            self._set_flags(p, was)
            raise

    # --- kretprobes ------------------------------------------------------------------
    def register_kretprobe(self, rp: int) -> None:
        """register_kretprobe(RP): the entry check, maxactive instances, then its kprobe."""
        k = self.k
        mem = k.mem
        kp = rp + CKretprobe.kp.offset
        newer = k.profile.kretprobe_errors
        try:
            addr = self._kprobe_addr(kp)
        except KernelError:
            if newer:
                raise
            raise KernelError(Errno.EINVAL) from None
        s = k.kallsyms.lookup(addr)
        if s is None or s.addr != addr:       # kprobe_on_func_entry()
            raise KernelError(Errno.ENOENT if newer and s is None else Errno.EINVAL)
        if newer and self._u64(kp, CKprobe.addr) and self._valid(kp) is not None:
            raise KernelError(Errno.EINVAL)
        data_size = self._u64(rp, CKretprobe.data_size)
        if newer and data_size > KRETPROBE_MAX_DATA_SIZE:
            raise KernelError(Errno.E2BIG)
        mem.set_u64(kp + CKprobe.pre_handler.offset, self.pre_handler_kretprobe)
        mem.set_u64(kp + CKprobe.post_handler.offset, 0)
        mem.set_u64(kp + CKprobe.fault_handler.offset, 0)
        maxactive = _s32(mem.u32(rp + CKretprobe.maxactive.offset))
        if maxactive <= 0:
            maxactive = NR_POSSIBLE_CPUS
            mem.set_u32(rp + CKretprobe.maxactive.offset, maxactive)
        state = RetprobeState(rp)
        heap = k.heap
        if maxactive * (CInst.size + data_size) > heap.end - heap.start - heap.bytes_in_use:
            raise KernelError(Errno.ENOMEM)     # (where the kmalloc()s would run out)
        for _ in range(maxactive):
            inst = k.slab.kmalloc(CInst.size + data_size)
            if not inst:
                for done in state.all:
                    k.slab.kfree(done)
                raise KernelError(Errno.ENOMEM)
            state.free.append(inst)
            state.all.append(inst)
        mem.set_u64(rp + CKretprobe.free_instances.offset, state.free[-1] if state.free else 0)
        mem.set_u32(rp + CKretprobe.nmissed.offset, 0)
        self.retprobes[rp] = state
        try:
            self.register_kprobe(kp)
        except KernelError:
            self._free_rp(rp)
            raise

    def _free_rp(self, rp: int) -> None:
        """free_rp_inst(): RP's instances."""
        state = self.retprobes.pop(rp, None)
        if state is None:
            return
        for inst in state.all:
            self.k.slab.kfree(inst)
        self.k.mem.set_u64(rp + CKretprobe.free_instances.offset, 0)

    def unregister_kretprobes(self, rps: list[int]) -> None:
        """unregister_kretprobes(): the kprobes off, then the instances freed (a pending one later)."""
        kps = [rp + CKretprobe.kp.offset for rp in rps]
        self.unregister_kprobes(kps)
        for rp in rps:
            if self._u64(rp + CKretprobe.kp.offset, CKprobe.addr):
                # cleanup_rp_inst(): pending instances lose their kretprobe (ri->rp = NULL)
                for insts in self.pending.values():
                    for inst in insts:
                        if inst.rp == rp:
                            inst.rp = 0
                            self.k.mem.set_u64(inst.ri + CInst.rp.offset, 0)
                state = self.retprobes.get(rp)
                if state is not None:
                    busy = {i.ri for insts in self.pending.values() for i in insts}
                    for inst in state.all:
                        if inst not in busy:
                            self.k.slab.kfree(inst)
                    self.retprobes.pop(rp, None)

    def flush_task(self, task: "Task") -> None:
        """kprobe_flush_task(): a dead task's pending instances (functions that will never
        return) go back to their kretprobes, or are freed if those went."""
        for inst in self.pending.pop(task, ()):
            state = self.retprobes.get(inst.rp) if inst.rp else None
            if state is not None:
                state.free.append(inst.ri)
            else:
                self.k.slab.kfree(inst.ri)

    # --- module notifier -------------------------------------------------------------
    def _module_callback(self, mod: "Module", state: Any) -> None:
        """kprobes_module_callback(): the probes in a going module's text are killed."""
        from kernel.abi import ModuleState
        if state != ModuleState.GOING:
            return
        lo, hi = mod.base, mod.base + (mod.text_size or mod.core_size)
        for site in list(self.table.values()):
            if lo <= site.addr < hi and not site.gone:
                site.gone = True
                for p in site.probes:
                    self._set_flags(p, self.flags(p) | KPROBE_FLAG_GONE)
                self._disarm(site, code_gone=True)

    # --- debugfs ---------------------------------------------------------------------
    def list_text(self) -> str:
        """/sys/kernel/debug/kprobes/list (show_kprobe_addr(), report_probe())."""
        k = self.k
        out = []
        for addr in sorted(self.table, key=lambda a: (hash_ptr(a), a)):
            site = self.table[addr]
            s = k.kallsyms.lookup(addr)
            if s is not None and self._kernel_text(addr) is None:
                s = None                # (a freed module's text: no symbol there any more)
            for p in site.probes:
                kind = "r" if self._u64(p, CKprobe.pre_handler) == self.pre_handler_kretprobe else "k"
                if s is not None:
                    mod = s.owner if s.owner != "vmlinux" else " "
                    head = f"{addr:016x}  {kind}  {s.name}+0x{addr - s.addr:x}  {mod} "
                else:
                    head = f"{addr:016x}  {kind}  0x{addr:x} "
                fl = self.flags(p)
                gone = fl & KPROBE_FLAG_GONE or site.gone
                out.append(head + ("[GONE]" if gone else "")
                           + ("[DISABLED]" if fl & KPROBE_FLAG_DISABLED and not gone else "")
                           + ("[FTRACE]" if site.ftrace else "") + "\n")
        return "".join(out)

    def blacklist_text(self) -> str:
        """/sys/kernel/debug/kprobes/blacklist: the kprobes code's functions (0x...-0x...\tname)."""
        out = []
        for s in sorted(self.k.kallsyms.owner_syms("vmlinux"), key=lambda s: s.addr):
            if s.name in KPROBES_TEXT:
                out.append(f"0x{s.addr:016x}-0x{s.addr + s.size:016x}\t{s.name}\n")
        return "".join(out)

    def enabled_text(self) -> str:
        """/sys/kernel/debug/kprobes/enabled."""
        return "0\n" if self.all_disarmed else "1\n"

    def set_enabled(self, text: str) -> None:
        """arm_all_kprobes() / disarm_all_kprobes() (kernel/kprobes.c write_enabled_file_bool)."""
        from kernel.module.params import kstrtobool
        on = kstrtobool(text)
        if on and self.all_disarmed:
            self.all_disarmed = False
            errors = total = 0
            for site in self.table.values():
                if not self._site_disabled(site):
                    total += 1
                    try:
                        self._arm(site)
                    except KernelError:
                        errors += 1
            if errors:
                self.k.log.warn(f"Kprobes globally enabled, but failed to arm {errors} out of {total} probes")
            else:
                self.k.log.info("Kprobes globally enabled")
        elif not on and not self.all_disarmed:
            self.all_disarmed = True
            for site in self.table.values():
                if not self._site_disabled(site):
                    self._disarm(site)
            self.k.log.info("Kprobes globally disabled")


def _s32(v: int) -> int:
    """V as a signed 32-bit value."""
    return v - (1 << 32) if v & 0x80000000 else v


KPROBE_HASH_BITS = 6
_GOLDEN_RATIO_64 = 0x61C8864680B583EB


def hash_ptr(addr: int) -> int:
    """hash_ptr(addr, KPROBE_HASH_BITS): the kprobe_table bucket the list walks in order."""
    return ((addr * _GOLDEN_RATIO_64) & MASK64) >> (64 - KPROBE_HASH_BITS)


def kprobes_of(k: "Kernel") -> Kprobes:
    """The kernel's kprobes, made at their first use."""
    kp = k.kprobes
    if kp is None:
        kp = k.kprobes = Kprobes(k)
    return kp


# --- hits ------------------------------------------------------------------------------------
def _read_regs(k: "Kernel") -> dict[str, int]:
    """The guest registers of the current task (all 0 if no guest code is under this call)."""
    uc = k.current.ctx.engine
    if uc is None:
        return dict.fromkeys((n for n, _ in PtRegs._fields_), 0)
    r = regs_of(uc)
    regs = {n: r.read(reg) for n, reg in _GPRS}
    # probed code runs with interrupts on but in a hard interrupt (klpsh keeps no IF of its own)
    hardirq = k.current.irq_count & HARDIRQ_MASK
    regs["flags"] = r.read(X.UC_X86_REG_EFLAGS) | X86_EFLAGS_FIXED | (0 if hardirq else X86_EFLAGS_IF)
    regs["sp"] = r.read(X.UC_X86_REG_RSP)
    regs["ip"] = r.read(X.UC_X86_REG_RIP)
    regs["orig_ax"] = MASK64
    regs["cs"], regs["ss"] = KERNEL_CS, KERNEL_DS
    return regs


class _Frame:
    """A struct pt_regs in guest memory for the handlers of one hit: below the stack pointer
    of the guest code under the hit (a nested call starts below it), else kmalloc'ed."""

    def __init__(self, k: "Kernel", regs: dict[str, int]) -> None:
        self.k = k
        uc = k.current.ctx.engine
        if uc is not None:
            self.addr = (regs_of(uc).read(X.UC_X86_REG_RSP) - 8 - PtRegs.size) & ~0xF
            self.heap = False
        else:
            self.addr = k.slab.kmalloc(PtRegs.size)
            self.heap = True
        self.write(regs)

    def write(self, regs: dict[str, int]) -> None:
        """Store REGS as the struct pt_regs."""
        buf = bytearray(PtRegs.size)
        for n, off in _PT.items():
            buf[off:off + 8] = (regs.get(n, 0) & MASK64).to_bytes(8, "little")
        self.k.mem.write(self.addr, bytes(buf))

    def get(self, name: str) -> int:
        """One field of the struct pt_regs."""
        return self.k.mem.u64(self.addr + _PT[name])

    def set(self, name: str, v: int) -> None:
        """Set one field of the struct pt_regs."""
        self.k.mem.set_u64(self.addr + _PT[name], v & MASK64)

    def free(self) -> None:
        """Give the kmalloc'ed frame back."""
        if self.heap:
            self.k.slab.kfree(self.addr)


_FAULT_TRAPNR = {"page fault": 14, "general protection fault": 13}


def _call(k: "Kernel", fn: int, args: tuple[int, ...], via: str, probe: int = 0) -> int:
    """A handler's call: an Oops in it kills the task as it would in Linux (the handler's code
    may be gone: a module that did not unregister). A page fault or general protection fault
    in the handler of PROBE first goes to kprobe_fault_handler(): the probe's nmissed counts
    it and its fault_handler sees it (a nonzero return, a fault it claims, would restart the
    faulting instruction in Linux; klpsh reports the Oops either way)."""
    def fault(e: Any) -> None:
        """kprobe_fault_handler() for fault E."""
        trapnr = _FAULT_TRAPNR.get(e.trap or "")
        kp = k.kprobes
        if trapnr is None or kp is None or not probe:
            return
        mem = k.mem
        mem.set_u64(probe + CKprobe.nmissed.offset, mem.u64(probe + CKprobe.nmissed.offset) + 1)
        fh = kp._u64(probe, CKprobe.fault_handler)
        if not fh:
            return
        names = {"r15": "r15", "r14": "r14", "r13": "r13", "r12": "r12", "bp": "rbp", "bx": "rbx",
                 "r11": "r11", "r10": "r10", "r9": "r9", "r8": "r8", "ax": "rax", "cx": "rcx",
                 "dx": "rdx", "si": "rsi", "di": "rdi", "ip": "rip", "sp": "rsp", "flags": "eflags"}
        regs = {n: e.regs.get(u, 0) for n, u in names.items()}
        regs.update(cs=KERNEL_CS, ss=KERNEL_DS, orig_ax=e.error_code or 0)
        regs["flags"] |= X86_EFLAGS_FIXED | X86_EFLAGS_IF
        frame = _Frame(k, regs)
        try:
            k.run_guest(k.current, fh, (probe, frame.addr, trapnr), via="kprobe_fault_handler")
        finally:
            frame.free()
    ret = k.run_guest(k.current, fn, args, via=via, fatal=True, on_fault=fault)
    ret &= 0xFFFFFFFF
    return ret - (1 << 32) if ret >> 31 else ret


def _run_handlers(kp: Kprobes, site: KprobeSite, frame: _Frame, post_ip: int, via: str) -> bool:
    """The pre_handler(s) and, unless one returned nonzero, the post_handler(s) of SITE's
    probes (aggr_pre_handler / aggr_post_handler walk them newest first); False if a
    pre_handler asked to skip the rest (it changed regs->ip)."""
    k = kp.k
    for p in list(site.probes):
        if kp.flags(p) & (KPROBE_FLAG_DISABLED | KPROBE_FLAG_GONE):
            continue
        pre = kp._u64(p, CKprobe.pre_handler)
        kp.current[k.current.cpu] = kp.running_probe(site, p)
        if pre == kp.pre_handler_kretprobe:
            pre_handler_kretprobe(kp, p, frame)
        elif pre and _call(k, pre, (p, frame.addr), via, p):
            return False
    frame.set("ip", post_ip)
    for p in list(site.probes):
        if kp.flags(p) & (KPROBE_FLAG_DISABLED | KPROBE_FLAG_GONE):
            continue
        post = kp._u64(p, CKprobe.post_handler)
        if post:
            kp.current[k.current.cpu] = kp.running_probe(site, p)
            _call(k, post, (p, frame.addr, 0), via, p)
    return True


def _missed(kp: Kprobes, site: KprobeSite) -> None:
    """kprobes_inc_nmissed_count(): every probe of an aggregate counts the miss."""
    mem = kp.k.mem
    for p in site.probes:
        if kp._u64(p, CKprobe.pre_handler) == kp.pre_handler_kretprobe:
            rp = p - CKretprobe.kp.offset
            mem.set_u32(rp + CKretprobe.nmissed.offset, mem.u32(rp + CKretprobe.nmissed.offset) + 1)
        else:
            mem.set_u64(p + CKprobe.nmissed.offset, mem.u64(p + CKprobe.nmissed.offset) + 1)


def kprobe_ftrace_handler(k: "Kernel", ip: int, ret_slot: int) -> None:
    """The kprobes ftrace ops at fentry site IP: regs->ip is the return address at RET_SLOT."""
    kp = k.kprobes
    site = kp.table.get(ip) if kp is not None else None
    if site is None or kp is None or kp._site_disabled(site):
        return
    cpu = k.current.cpu
    if kp.current.get(cpu):
        _missed(kp, site)
        return
    regs = _read_regs(k)
    regs["ip"] = ip + 1                 # as after an int3 at ip
    regs["sp"] = ret_slot + 8           # the probed function's entry: its return address
    frame = _Frame(k, regs)
    try:
        if _run_handlers(kp, site, frame, ip + MCOUNT_INSN_SIZE, "kprobe_ftrace_handler"):
            return
        # a pre_handler changed regs->ip: the registers it left are the function's
        _resume(k, frame, ret_slot)
    finally:
        kp.current.pop(cpu, None)
        frame.free()


def _resume(k: "Kernel", frame: _Frame, ret_slot: int) -> None:
    """ftrace_regs_caller's restore: the registers from pt_regs, and regs->ip as the return."""
    uc = k.current.ctx.engine
    if uc is None:
        return
    r = regs_of(uc)
    for n, reg in _GPRS:
        if n != "bp":
            r.write(reg, frame.get(n))
    k.mem.set_u64(ret_slot, frame.get("ip"))


def _int3_hit(kp: Kprobes, uc: Any, site: KprobeSite) -> bool:
    """The breakpoint of SITE was hit: its pre_handlers (unless a handler runs: missed), then
    the instruction's copy in the slot."""
    k = kp.k
    r = regs_of(uc)
    cpu = k.current.cpu
    if kp.current.get(cpu) or kp._site_disabled(site):
        if kp.current.get(cpu):
            _missed(kp, site)
        r.write(X.UC_X86_REG_RIP, site.slot)    # reenter: the instruction runs, no handlers
        kp.quiet_step.add(k.current)
        return True
    regs = _read_regs(k)
    regs["ip"] = site.addr + 1
    frame = _Frame(k, regs)
    try:
        ok = True
        for p in list(site.probes):
            if kp.flags(p) & (KPROBE_FLAG_DISABLED | KPROBE_FLAG_GONE):
                continue
            pre = kp._u64(p, CKprobe.pre_handler)
            kp.current[cpu] = kp.running_probe(site, p)
            if pre and _call(k, pre, (p, frame.addr), "kprobe_int3_handler", p):
                ok = False
                break
        _restore_gprs(k, frame)
        r.write(X.UC_X86_REG_RIP, site.slot if ok else frame.get("ip"))
    finally:
        kp.current.pop(cpu, None)
        frame.free()
    kp.quiet_step.discard(k.current)
    return True


def _int3_step_done(kp: Kprobes, uc: Any, site: KprobeSite) -> bool:
    """The copy in SITE's slot ran (kprobe_debug_handler()): the post_handlers with regs->ip
    after the probed instruction, and execution goes on there."""
    k = kp.k
    r = regs_of(uc)
    after = site.addr + len(site.insn)
    if k.current not in kp.quiet_step and not kp.current.get(k.current.cpu):
        posts = [p for p in site.probes if kp._u64(p, CKprobe.post_handler)
                 and not kp.flags(p) & (KPROBE_FLAG_DISABLED | KPROBE_FLAG_GONE)]
        if posts:
            regs = _read_regs(k)
            regs["ip"] = after
            frame = _Frame(k, regs)
            cpu = k.current.cpu
            try:
                for p in posts:
                    kp.current[cpu] = kp.running_probe(site, p)
                    _call(k, kp._u64(p, CKprobe.post_handler), (p, frame.addr, 0),
                          "kprobe_debug_handler", p)
                _restore_gprs(k, frame)
            finally:
                kp.current.pop(cpu, None)
                frame.free()
    kp.quiet_step.discard(k.current)
    r.write(X.UC_X86_REG_RIP, after)
    return True


def _restore_gprs(k: "Kernel", frame: _Frame) -> None:
    """The return from the trap: the general registers from pt_regs (a handler may set them)."""
    uc = k.current.ctx.engine
    if uc is None:
        return
    r = regs_of(uc)
    for n, reg in _GPRS:
        r.write(reg, frame.get(n))


def kprobe_stub_hit(k: "Kernel", addr: int, inner: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    """A call of the probed Python function at slot ADDR: its probes' handlers around it."""
    kp = k.kprobes
    site = kp.table.get(addr) if kp is not None else None
    if site is None or kp is None or kp._site_disabled(site):
        return inner(k, *args)
    cpu = k.current.cpu
    if kp.current.get(cpu):
        _missed(kp, site)
        return inner(k, *args)
    regs = _read_regs(k)
    from_guest = k.current.ctx.engine is not None and regs["ip"] == addr
    if not from_guest:                  # called through a pointer by Python code
        for n, v in zip(_ARGS, args):
            if isinstance(v, int):
                regs[n] = v
        regs["sp"] = 0
    regs["ip"] = addr + 1
    frame = _Frame(k, regs)
    insts_before = len(kp.pending.get(k.current, ()))
    try:
        _run_handlers(kp, site, frame, addr + 1, "kprobe_int3_handler")
    finally:
        kp.current.pop(cpu, None)
        frame.free()
    ret = inner(k, *args)
    insts = kp.pending.get(k.current)
    if insts is not None and len(insts) > insts_before:
        # a kretprobe's entry: the return is here, back at the slot
        value = 0 if ret is None else int(ret) & MASK64
        regs = _read_regs(k)
        regs["ax"] = value
        regs["sp"] = regs["sp"] + 8 if from_guest else 0
        while len(insts) > insts_before:
            _return_handler(kp, insts.pop(), regs)
        if not insts:
            kp.pending.pop(k.current, None)
    return ret


def pre_handler_kretprobe(kp: Kprobes, p: int, frame: _Frame) -> None:
    """The pre_handler of every kretprobe: take a free instance, run entry_handler, and make
    the probed function return to kretprobe_trampoline (fentry) or here (a Python function)."""
    k = kp.k
    mem = k.mem
    rp = p - CKretprobe.kp.offset
    state = kp.retprobes.get(rp)
    if state is None or not state.free:
        mem.set_u32(rp + CKretprobe.nmissed.offset, mem.u32(rp + CKretprobe.nmissed.offset) + 1)
        return
    ri = state.free.pop()
    task = k.current
    mem.set_u64(ri + CInst.rp.offset, rp)
    mem.set_u64(ri + CInst.task.offset, task.guest_struct)
    sara = frame.get("sp")
    ret_addr = mem.u64(sara) if sara else 0
    mem.set_u64(ri + CInst.ret_addr.offset, ret_addr)
    mem.set_u64(ri + CInst.fp.offset, sara)
    entry = kp._u64(rp, CKretprobe.entry_handler)
    if entry and _call(k, entry, (ri, frame.addr), "pre_handler_kretprobe"):
        state.free.append(ri)
        return
    stub = kp.k.cpu.stub_at(frame.get("ip") - 1)
    if sara and stub is None:           # guest code: arch_prepare_kretprobe()
        mem.set_u64(sara, kp.trampoline)
        fp = sara
    else:
        fp = 0
    kp.pending.setdefault(task, []).append(Instance(ri, rp, ret_addr, fp))


def _return_handler(kp: Kprobes, inst: Instance, regs: dict[str, int]) -> None:
    """trampoline_handler()'s part for one instance: the kretprobe's handler, then the
    instance back on the free list (freed if its kretprobe went meanwhile)."""
    k = kp.k
    regs = dict(regs, ip=kp.trampoline, cs=KERNEL_CS, orig_ax=MASK64)
    cpu = k.current.cpu
    saved = kp.current.get(cpu)
    state = kp.retprobes.get(inst.rp) if inst.rp else None
    if inst.rp and state is not None:
        handler = kp._u64(inst.rp, CKretprobe.handler)
        if handler:
            frame = _Frame(k, regs)
            kp.current[cpu] = inst.rp + CKretprobe.kp.offset
            try:
                _call(k, handler, (inst.ri, frame.addr), "trampoline_handler")
            finally:
                frame.free()
                if saved:
                    kp.current[cpu] = saved
                else:
                    kp.current.pop(cpu, None)
        state.free.append(inst.ri)
    else:
        k.slab.kfree(inst.ri)


def kretprobe_trampoline(k: "Kernel") -> None:
    """Where a kretprobed guest function returns to: its instance's handler with the return
    value in regs->ax, then the return to where the function was called from."""
    kp = k.kprobes
    uc = k.current.ctx.engine
    if kp is None or uc is None:
        return
    r = regs_of(uc)
    rsp = r.read(X.UC_X86_REG_RSP)
    insts = kp.pending.get(k.current, [])
    fp = rsp - 8
    for i in range(len(insts) - 1, -1, -1):
        if insts[i].fp == fp:
            inst = insts.pop(i)
            break
    else:
        raise RuntimeError("kretprobe_trampoline: no instance for this return")
    if not insts:
        kp.pending.pop(k.current, None)
    regs = _read_regs(k)
    regs["sp"] = rsp
    _return_handler(kp, inst, regs)
    # the `ret` of this slot goes where the probed function was called from
    r.write(X.UC_X86_REG_RSP, fp)
    k.mem.set_u64(fp, inst.ret_addr)
