"""arch/x86/mm/fault.c for faults in kernel mode: the page fault error code, the stack guard
page check of CONFIG_VMAP_STACK, and no_context()'s report (show_fault_oops, dump_pagetable).

The fault address (CR2) is the one the access used: every engine's TLB is filled from the
kernel's PageTable (kernel.mm), and an access it refuses is sent to an alias page outside RAM,
where Unicorn's unmapped-memory hook sees the exact address (kernel.cpu).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.mm import PAGE_SIZE, PROT_EXEC, PROT_WRITE, THREAD_SIZE, PageTable

if TYPE_CHECKING:
    from kernel.sched import Task

X86_PF_PROT, X86_PF_WRITE, X86_PF_USER, X86_PF_RSVD, X86_PF_INSTR = 0x1, 0x2, 0x4, 0x8, 0x10
ACCESS_BITS = {"read": 0, "write": X86_PF_WRITE, "fetch": X86_PF_INSTR}
NX_WARNING = "kernel tried to execute NX-protected page - exploit attempt? (uid: 0)"
STACK_OVERFLOW = "kernel stack overflow (page fault)"
STACK_OVERFLOW_DF = "kernel stack overflow (double-fault)"
DOUBLE_FAULT = "double fault"
EXCEPTION_FRAME = 6 * 8                 # SS, RSP, RFLAGS, CS, RIP, error code
# Page table entries as dump_pagetable() prints them for guest memory: the upper levels are
# present (kernel mappings), the PTE carries the page's frame and rights.
PGD_VAL = 0x0000_0000_2A0E_0067
PUD_VAL = 0x0000_0000_2A0F_0067
PMD_BASE = 0x0000_0000_3A00_0063
_PTE_PRESENT = 0x161                    # _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL
_PAGE_RW = 0x2
_PAGE_NX = 1 << 63


def canonical(addr: int) -> bool:
    """ADDR is a canonical x86-64 address (bits 63..47 all equal); else the access is #GP."""
    return (addr >> 47) in (0, 0x1FFFF)


def error_code(pt: PageTable, addr: int, access: str) -> int:
    """The hardware error code of a kernel-mode fault on ADDR by ACCESS (read/write/fetch)."""
    return ACCESS_BITS[access] | (X86_PF_PROT if pt.present(addr) else 0)


def dump_pagetable(pt: PageTable, addr: int, mem_base: int, mem_end: int) -> str:
    """The page-table walk of ADDR (pr_info + pr_cont): PGD 0 P4D 0 outside guest memory."""
    if not mem_base <= addr < mem_end:
        return "PGD 0 P4D 0 "
    pmd = PMD_BASE + ((addr >> 21) << 12)
    prot = pt.get(addr)
    pte = 0
    if prot:
        pte = (addr & ~(PAGE_SIZE - 1)) | _PTE_PRESENT
        pte |= _PAGE_RW if prot & PROT_WRITE else 0
        pte |= 0 if prot & PROT_EXEC else _PAGE_NX
    return f"PGD {PGD_VAL:x} P4D {PGD_VAL:x} PUD {PUD_VAL:x} PMD {pmd:x} PTE {pte:x}"


def frame_push_fault(pt: PageTable, rsp: int) -> int | None:
    """Delivering an exception in kernel mode (no stack switch) the CPU aligns RSP down to 16
    and writes the exception frame below it: the first address it cannot write, whose page
    fault makes the exception a double fault (and is CR2 then), or None if the frame fits."""
    top = rsp & ~0xF
    for addr in range(top - 8, top - EXCEPTION_FRAME - 1, -8):
        if not pt.get(addr) & PROT_WRITE:
            return addr
    return None


def double_fault_on_guard(task: "Task", cr2: int) -> bool:
    """do_double_fault(): CR2 within the page below the task's stack, a stack overflow."""
    stack = task.ctx.stack_base
    return bool(stack) and ((stack - 1 - cr2) & ((1 << 64) - 1)) < PAGE_SIZE


def stack_guard_hit(task: "Task", addr: int) -> bool:
    """no_context(): a fault within a page below or above the task's stack (VMAP_STACK)."""
    stack = task.ctx.stack_base
    if not stack:
        return False
    mask = (1 << 64) - 1
    return ((stack - 1 - addr) & mask) < PAGE_SIZE or ((addr - (stack + THREAD_SIZE)) & mask) < PAGE_SIZE
