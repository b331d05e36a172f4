"""ftrace's fentry sites and the ops on them (kernel/trace/ftrace.c), shared by livepatch and
kprobes.

Every function built with -pg -mfentry -mnop-mcount starts with a 5-byte NOP listed in its
object's __mcount_loc. A site some ftrace_ops filters on becomes `call ftrace_regs_caller`
(a stub slot); the caller hands each ops on the site the probed address IP and the stack slot
holding the return address, which is regs->ip: an ops that changes it changes where the
`ret` of the slot lands (livepatch's new function). An ops that modifies regs->ip
(FTRACE_OPS_FL_IPMODIFY: livepatch's and kprobes') must be alone on its site: a second one
is refused with -EBUSY (__ftrace_hash_update_ipmodify), in 4.19 and 5.4 alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from kernel.errno import Errno, KernelError
from kernel.record import record

if TYPE_CHECKING:
    from kernel.machine import Kernel

MCOUNT_INSN_SIZE = 5
NOP5 = bytes.fromhex("0f1f440000")
__all__ = ["FtraceOps", "Ftrace", "MCOUNT_INSN_SIZE", "NOP5", "ftrace_regs_caller"]


@record(eq=False)
class FtraceOps:
    """struct ftrace_ops: FUNC(k, ip, ret_slot) is called at every site the ops filters on."""

    name: str
    func: Callable[["Kernel", int, int], None]
    ipmodify: bool = True


class Ftrace:
    """The fentry sites some ops filters on, and the ops on each, newest first."""

    def __init__(self, k: "Kernel") -> None:
        self.k = k
        self.sites: dict[int, list[FtraceOps]] = {}
        self.caller = k.cpu.add_stub("ftrace_regs_caller", ftrace_regs_caller, 0).addr

    def location(self, addr: int) -> int:
        """ftrace_location(): the fentry site ADDR lies in (its first byte), or 0."""
        k = self.k
        for owner in (k.vmlinux, *k.loader.modules.values()):
            if owner is None:
                continue
            sites = owner.fentry_sites
            for site in range(addr, addr - MCOUNT_INSN_SIZE, -1):
                if site in sites:
                    return site
        return 0

    def register(self, ops: FtraceOps, ip: int) -> None:
        """Filter OPS on site IP and enable it there; -EBUSY if another ops modifying regs->ip
        is on it already."""
        on_site = self.sites.setdefault(ip, [])      # (a refusal needs an ops there already)
        if ops in on_site:
            return
        if ops.ipmodify and any(o.ipmodify for o in on_site):
            raise KernelError(Errno.EBUSY)
        on_site.insert(0, ops)
        if len(on_site) == 1:
            rel = (self.caller - (ip + MCOUNT_INSN_SIZE)) & 0xFFFFFFFF
            self.k.cpu.write_text(ip, b"\xe8" + rel.to_bytes(4, "little"))

    def unregister(self, ops: FtraceOps, ip: int, code_gone: bool = False) -> None:
        """Take OPS off site IP; the last one leaves restores the NOP (not in CODE_GONE code:
        a module's text being freed)."""
        on_site = self.sites.get(ip)
        if on_site is None or ops not in on_site:
            return
        on_site.remove(ops)
        if not on_site:
            del self.sites[ip]
            if not code_gone:
                self.k.cpu.write_text(ip, NOP5)


def ftrace_regs_caller(k: "Kernel") -> None:
    """The trampoline an enabled site calls: each ops on the site, newest first."""
    rsp = k.current.ctx.frames[-1].rsp
    ip = k.mem.u64(rsp) - MCOUNT_INSN_SIZE
    on_site = k.ftrace.sites.get(ip)
    if on_site:
        for ops in tuple(on_site):
            ops.func(k, ip, rsp)
