"""The emulated x86-64 CPU: Unicorn engines over shared memory, calls into guest code,
the stub page through which guest code calls the Python kernel, and stack walking.

Each task that runs guest code borrows an engine for as long as its outermost guest call
lasts; a task that blocks switches away (kernel.sched) from inside a stub hook, so its
engine stays frozen mid-instruction-stream while other tasks run on other engines.
"""

from __future__ import annotations

import ctypes
from itertools import repeat
from operator import is_
from typing import TYPE_CHECKING, Any, Callable, Container, Iterable, Sequence

from unicorn import (UC_ARCH_X86, UC_HOOK_CODE, UC_HOOK_INTR, UC_HOOK_MEM_INVALID,
                     UC_HOOK_TLB_FILL, UC_MEM_FETCH, UC_MEM_FETCH_UNMAPPED, UC_MEM_READ,
                     UC_MEM_WRITE, UC_MEM_WRITE_UNMAPPED, UC_MODE_64, UC_PROT_ALL, UC_TLB_VIRTUAL,
                     Uc, UcError)
from unicorn import x86_const as X
from unicorn.unicorn_const import UC_CTL_IO_WRITE, UC_CTL_TB_REMOVE_CACHE, UC_CTL_TLB_FLUSH
from unicorn.unicorn_py3.arch.types import uc_hook_h
from unicorn.unicorn_py3.unicorn import (HOOK_CODE_CFUNC, HOOK_INTR_CFUNC, HOOK_MEM_INVALID_CFUNC,
                                          HOOK_TLB_FILL_CFUNC, uclib)

from kernel.abi import TaskStruct
from kernel.module.kallsyms import KSym
from kernel.mm import (PAGE_SHIFT, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE, STUB_BASE, STUB_END,
                       THREAD_SIZE, BadAddress, GuestMemory, PageTable)
from kernel.record import field, record
from kernel.watchdog import HOST_CALL_COST, HOST_CALL_NS, NS_PER_INSN, SLICE_INSNS, SoftLockup

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.sched import Task

MASK64 = (1 << 64) - 1
SLOT = 16
_NOP_RET = b"\x90\xc3".ljust(SLOT, b"\xcc")   # a Python function's slot
_UD2 = b"\x0f\x0b".ljust(SLOT, b"\xcc")       # a host frame's slot
_SLOT_OF = (_NOP_RET, _UD2)                   # by whether the slot's function is None
# Where a return address into a stub (or host frame) slot points: past its first bytes.
HOST_RET_OFFSET = 8
ARG_REGS = (X.UC_X86_REG_RDI, X.UC_X86_REG_RSI, X.UC_X86_REG_RDX, X.UC_X86_REG_RCX,
            X.UC_X86_REG_R8, X.UC_X86_REG_R9)
NESTED_GAP = 256
X86_EFLAGS_FIXED, X86_EFLAGS_IF = 0x2, 0x200
TCG_BUFFER_SIZE = 32 << 20          # translated code an engine keeps before it starts afresh
_REGS = ("rip", "rsp", "rbp", "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",
         "r12", "r13", "r14", "r15", "eflags")
_REG_IDS = tuple((n, getattr(X, f"UC_X86_REG_{n.upper()}")) for n in _REGS)


def s64(v: int) -> int:
    v &= MASK64
    return v - (1 << 64) if v >> 63 else v


def s32(v: int) -> int:
    v &= 0xFFFF_FFFF
    return v - (1 << 32) if v >> 31 else v


class GuestFault(Exception):
    """Guest code faulted (a page fault, a CPU exception) or never returned (soft lockup).

    TRAP names it as die() does ("page fault", "divide error", "int3", "general protection
    fault", "invalid opcode", "double fault", "soft lockup"); ADDR is CR2 for a page fault or
    a double fault, ACCESS its kind (read/write/fetch), ERROR_CODE the hardware error code."""

    def __init__(self, kind: str, rip: int, addr: int, regs: dict[str, int], trace: list[int],
                 trap: str = "", error_code: int | None = None, access: str = "") -> None:
        super().__init__(f"{kind} at {rip:#x}")
        self.kind, self.rip, self.addr, self.regs, self.trace = kind, rip, addr, regs, trace
        self.duration = 0    # a soft lockup: how long the CPU was stuck (s)
        self.access = access or ("write" if "WRITE" in kind else "fetch" if "FETCH" in kind else "read")
        if not trap:
            trap = ("soft lockup" if kind == "soft lockup" else "invalid opcode" if "INSN_INVALID" in kind
                    else "page fault" if "UNMAPPED" in kind or "PROT" in kind else "general protection fault")
        self.trap = trap
        self.error_code = error_code if error_code is not None else (
            {"write": 2, "fetch": 0x10}.get(self.access, 0) if trap == "page fault" else 0)


class GuestBug(Exception):
    """BUG()/BUG_ON() in guest code: `kernel BUG at file:line!`."""

    def __init__(self, file: str, line: int, trace: list[int] | None = None,
                 regs: dict[str, int] | None = None) -> None:
        super().__init__(f"kernel BUG at {file}:{line}!")
        self.file, self.line = file, line
        self.trace = trace  # taken where BUG() was called: [bug stub, its caller, ...]
        self.regs = regs    # the guest's registers at the call


_TS_STACK = TaskStruct.stack.offset


@record(eq=False)
class Stub:
    """A kernel function implemented in Python, reached through a `nop; ret` slot."""

    name: str
    func: Callable[..., Any] | None
    nargs: int = 0
    variadic: bool = False
    addr: int = 0


StubEntry = tuple[str, "Callable[..., Any] | None", int, bool]   # name, func, nargs, variadic


def stub_slots(entries: "Iterable[StubEntry]", used: int = 0, taken: "Container[str]" = (),
               ) -> tuple[list[Stub], bytearray, list[KSym]]:
    """The slots ENTRIES get after the USED slots of the page, in order (a name in TAKEN or
    given before is skipped): their Stubs, the bytes of those slots (`nop; ret` for a
    function, `ud2` for a host frame) and their kallsyms entries."""
    entries = entries if isinstance(entries, (list, tuple)) else list(entries)
    if len(entries) > 1:
        columns = tuple(zip(*entries))           # names, funcs, nargs, variadic
        names = columns[0]
        if len(set(names)) == len(names) and not any(map(taken.__contains__, names)):
            return _new_slots(columns, used)
    stubs: list[Stub] = []
    page, syms, seen = bytearray(), [], set()
    addr = STUB_BASE + used * SLOT
    for name, func, nargs, variadic in entries:
        if name in taken or name in seen:
            continue
        if addr + SLOT > STUB_END:
            raise RuntimeError("stub page full")
        seen.add(name)
        page += _NOP_RET if func is not None else _UD2
        stubs.append(Stub(name, func, nargs, variadic, addr))
        syms.append(KSym(addr, SLOT, name, "T", "vmlinux"))
        addr += SLOT
    return stubs, page, syms


def stub_columns(names: "Sequence[str]", funcs: "Sequence[Callable[..., Any] | None]",
                 nargs: "Sequence[int]", variadic: "Sequence[bool]", used: int = 0,
                 ) -> tuple[list[Stub], bytearray, list[KSym]]:
    """stub_slots() of the entries these columns hold."""
    if len(set(names)) == len(names):
        return _new_slots((names, funcs, nargs, variadic), used)
    return stub_slots(list(zip(names, funcs, nargs, variadic)), used)


# Per-process cache of Cpu._add_host_frame(): (name, slot number) -> the host frame's Stub and
# kallsyms entry there (a host frame's Stub holds no machine: it has no function); cleared
# when it holds HOST_SLOTS_MAX.
HOST_SLOTS: dict[tuple[str, int], "tuple[Stub, KSym]"] = {}
HOST_SLOTS_MAX = 4096


def _new_slots(columns: "Sequence[tuple]", used: int) -> tuple[list[Stub], bytearray, list[KSym]]:
    """stub_slots() of the entries whose COLUMNS (names, funcs, nargs, variadic) these are,
    their names all new: made a column at a time (a boot gives ~600 slots at once, which
    one at a time cost ~9 us each)."""
    names, funcs, nargs, variadic = columns
    base = STUB_BASE + used * SLOT
    if base + len(names) * SLOT > STUB_END:
        raise RuntimeError("stub page full")
    addrs = range(base, base + len(names) * SLOT, SLOT)
    page = bytearray(b"".join(map(_SLOT_OF.__getitem__, map(is_, funcs, repeat(None)))))
    stubs = list(map(Stub, names, funcs, nargs, variadic, addrs))
    syms = list(map(tuple.__new__, repeat(KSym), zip(addrs, repeat(SLOT), names, repeat("T"),
                                                     repeat("vmlinux"))))
    return stubs, page, syms


@record(eq=False)
class StubFrame:
    """Guest state at the moment guest code called into the kernel (innermost last)."""

    stub: int
    rsp: int
    rbp: int


@record(eq=False)
class Level:
    """One host-to-guest call: the return sentinel, the stack it started on, and how many
    kernel entries (StubFrames) were open when it started (a nested call sits on them)."""

    sentinel: int
    sp: int
    nframes: int = 0
    host_depth: int = 0     # the task's host frames when it started (its caller's chain)


@record(eq=False)
class EngineState:
    """What one engine's hooks found out while it ran: the page-fault address and access the
    TLB refused, a CPU exception raised, and the page-table generation its TLB holds."""

    tlb_gen: int = -1
    fault: tuple[int, str] | None = None
    trap: tuple[int, int] | None = None      # (vector, rip)


# An access the page table refuses is given an alias frame here (outside guest RAM) with the
# low 48 bits of its page, so Unicorn's unmapped-memory hook learns its exact address.
ALIAS_BASE = 1 << 48
_ALIAS_MASK = (1 << 48) - 1
_NEED = {UC_MEM_READ: PROT_READ, UC_MEM_WRITE: PROT_WRITE, UC_MEM_FETCH: PROT_EXEC}
_ACCESS = {UC_MEM_READ: "read", UC_MEM_WRITE: "write", UC_MEM_FETCH: "fetch"}


def _ctl_write(uc: Uc, ctl: int, *args: int) -> None:
    """uc_ctl(UC, CTL write, ARGS as uint64_t), straight to the C library: the binding's
    ctl_*() methods check and convert each argument in Python first (5 us a call)."""
    status = _uc_ctl(uc._uch, (UC_CTL_IO_WRITE << 30) | (len(args) << 26) | ctl,  # type: ignore[attr-defined]
                     *map(ctypes.c_uint64, args))
    if status:
        raise UcError(status)


def flush_tlb(uc: Uc) -> None:
    """Drop every TLB entry of UC (UC_CTL_TLB_FLUSH, which the bindings have no method for)."""
    _ctl_write(uc, UC_CTL_TLB_FLUSH)


def remove_cache(uc: Uc, begin: int, end: int) -> None:
    """Drop UC's translations of code in [BEGIN, END) (ctl_remove_cache)."""
    _ctl_write(uc, UC_CTL_TB_REMOVE_CACHE, begin, end)


@record(eq=False)
class GuestContext:
    """Per-task CPU bookkeeping: engine, stack, open calls and kernel entries."""

    engine: Uc | None = None
    stack_base: int = 0
    levels: list[Level] = field(default_factory=list)
    frames: list[StubFrame] = field(default_factory=list)


def _pass_through() -> tuple[type[BaseException], ...]:
    from kernel.errno import RawReturn
    from kernel.sched import TaskKilled
    return (GuestFault, GuestBug, TaskKilled, RawReturn)


class VarArgs:
    """Reads the integer arguments after the fixed ones of a variadic call (SysV ABI)."""

    def __init__(self, uc: Uc, mem: GuestMemory, rsp: int, first: int) -> None:
        self.uc, self.mem, self.rsp, self.i = uc, mem, rsp, first

    def next(self) -> int:
        i = self.i
        self.i += 1
        if i < len(ARG_REGS):
            return regs_of(self.uc).read(ARG_REGS[i])
        return self.mem.u64(self.rsp + 8 * (i - len(ARG_REGS) + 1))


class HostVarArgs:
    """The variadic arguments of a call host code makes through a function pointer: what it
    passed after the fixed ones, then 0 (registers nobody set)."""

    def __init__(self, rest: tuple[int, ...]) -> None:
        self.rest = list(rest)

    def next(self) -> int:
        return self.rest.pop(0) if self.rest else 0


@record(eq=False)
class Board:
    """Guest memory and the engines mapped over it: the hardware a machine runs on.

    A new engine costs a millisecond or more (mapping 1 GiB into it), so a machine that
    powers off with every engine idle hands its board on: memory all zero, engines whose
    hooks call no machine. Their translations are of the boot image TRANSLATED (a
    kernel.bootimage.BootImage) and nothing else: the machine dropped those of code it changed
    (text patches, stub slots of its own); modules' are dropped as each module loads. The
    next machine keeps them if it boots the same image, else drops them all; and every
    KEEP_TRANSLATIONS boots (KEPT counts them), as the translation buffer only grows until it
    is flushed (each module load translates its code anew).
    """

    mem: GuestMemory
    engines: list[Uc] = field(default_factory=list)
    translated: object = None
    kept: int = 0
    pagetable: "tuple[bytearray, list[tuple[int, int]]] | None" = None   # PageTable.hand_on()


# Boards of powered-off machines, for the next machines booted in this process. They hold
# no machine state: memory is zero and their engines' hooks call no Cpu until one adopts them.
SPARE_BOARDS: list[Board] = []
MAX_SPARE_BOARDS = 2
MAX_SPARE_ENGINES = 4
KEEP_TRANSLATIONS = 8       # boots that keep the last one's translations before a flush


class Regs:
    """One engine's 64-bit general registers, read and written through the C library
    (uc_reg_read/uc_reg_write): the binding's reg_read() looks up a register class on every
    call, four times the cost of the call itself."""

    __slots__ = ("_handle", "_value", "_ref", "_ids", "_vals", "_ptrs")

    def __init__(self, uc: Uc) -> None:
        self._handle = uc._uch  # type: ignore[attr-defined]
        self._value = ctypes.c_uint64()
        self._ref = ctypes.byref(self._value)
        # what a call into the kernel reads (entry()): RSP, RBP and 0-6 argument registers,
        # the first 2-8 of one batch (one array type each: every length's were ~1.5 M
        # instructions of the first engine)
        ids = (X.UC_X86_REG_RSP, X.UC_X86_REG_RBP, *ARG_REGS)
        self._ids = (ctypes.c_int * len(ids))(*ids)
        self._vals = (ctypes.c_uint64 * len(ids))()
        self._ptrs = (ctypes.c_void_p * len(ids))(*range(ctypes.addressof(self._vals),
                                                          ctypes.addressof(self._vals) + 8 * len(ids), 8))

    def read(self, reg: int) -> int:
        status = _uc_reg_read(self._handle, reg, self._ref)
        if status:
            raise UcError(status, reg)
        return self._value.value

    def write(self, reg: int, value: int) -> None:
        self._value.value = value
        status = _uc_reg_write(self._handle, reg, self._ref)
        if status:
            raise UcError(status, reg)

    def entry(self, nargs: int) -> list[int]:
        """RSP, RBP and the first NARGS argument registers (at most six), read at once
        (uc_reg_read_batch)."""
        n = 2 + min(nargs, len(ARG_REGS))
        status = _uc_reg_read_batch(self._handle, self._ids, self._ptrs, n)
        if status:
            raise UcError(status)
        return self._vals[:n]


_uc_reg_read, _uc_reg_write, _uc_ctl = uclib.uc_reg_read, uclib.uc_reg_write, uclib.uc_ctl
_uc_reg_read_batch = uclib.uc_reg_read_batch


def regs_of(uc: Uc) -> Regs:
    """The register file of engine UC (made with its hooks)."""
    return uc._klpsh_hooks.regs  # type: ignore[attr-defined]


class _EngineHooks:
    """The hooks of one engine, added once for the engine's life: each calls the Cpu that owns
    the engine now. (Hooks added and deleted per machine left their ctypes callbacks in a
    reference cycle inside the unicorn binding, four for every machine.)"""

    __slots__ = ("cpu", "regs", "_callbacks")

    def __init__(self, uc: Uc) -> None:
        self.cpu: "Cpu | None" = None
        self.regs = Regs(uc)
        self._callbacks = (                 # (kept: the C library calls them)
            _add_hook(uc, UC_HOOK_CODE, HOOK_CODE_CFUNC, self.stub, STUB_BASE, STUB_END - 1),
            _add_hook(uc, UC_HOOK_TLB_FILL, HOOK_TLB_FILL_CFUNC, self.tlb_fill),
            _add_hook(uc, UC_HOOK_MEM_INVALID, HOOK_MEM_INVALID_CFUNC, self.bad_access),
            _add_hook(uc, UC_HOOK_INTR, HOOK_INTR_CFUNC, self.intr))

    def stub(self, uc: Uc, addr: int, size: int, data: object) -> None:
        if self.cpu is not None:
            self.cpu._hook_stub(uc, addr, size, data)

    def tlb_fill(self, uc: Uc, vaddr: int, access: int, entry: Any, data: object) -> bool:
        """(ENTRY points to the uc_tlb_entry to fill)"""
        return self.cpu is not None and self.cpu._tlb_fill(uc, vaddr, access, entry.contents, data)

    def bad_access(self, uc: Uc, access: int, addr: int, size: int, value: int, data: object) -> bool:
        return self.cpu is not None and self.cpu._hook_bad_access(uc, access, addr, size, value, data)

    def intr(self, uc: Uc, vector: int, data: object) -> None:
        if self.cpu is not None:
            self.cpu._hook_intr(uc, vector, data)


def _add_hook(uc: Uc, htype: int, functype: Any, method: Callable[..., Any], begin: int = 1,
              end: int = 0) -> Any:
    """uc.hook_add(HTYPE, METHOD, begin=BEGIN, end=END) straight to the C library, with a C
    callback of FUNCTYPE (returned, for the caller to keep): the binding's hook_add() costs
    ~0.3 M instructions a call, and its callbacks reach METHOD through two more Python
    frames at every event. As the binding's do, the callback gives METHOD the engine, the
    event's arguments and None (the user data), and an exception METHOD raises stops the
    engine, for emu_start() to raise it."""
    def callback(_handle: int, *args: Any) -> Any:
        try:
            return method(uc, *args[:-1], None)
        except BaseException as e:
            if uc._hook_exception is None:  # type: ignore[attr-defined]
                uc._hook_exception = e      # type: ignore[attr-defined]
            uc.emu_stop()
        return None
    fptr = functype(callback)
    handle = uc_hook_h()
    status = uclib.uc_hook_add(uc._uch, ctypes.byref(handle), htype, fptr,  # type: ignore[attr-defined]
                               None, ctypes.c_uint64(begin), ctypes.c_uint64(end))
    if status:
        raise UcError(status)
    return fptr


def merged_ranges(ranges: dict[int, int]) -> list[tuple[int, int]]:
    """The address ranges RANGES (start -> size) cover, as few [begin, end) as can be."""
    out: list[list[int]] = []
    for addr in sorted(ranges):
        end = addr + ranges[addr]
        if out and addr <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([addr, end])
    return [(begin, end) for begin, end in out]


def take_board() -> Board:
    """A spare board if there is one, else new memory (engines are made as needed)."""
    return SPARE_BOARDS.pop() if SPARE_BOARDS else Board(GuestMemory())


class Cpu:
    """The engines, the stub page and guest calls of one Kernel."""

    def __init__(self, kernel: "Kernel", mem: GuestMemory, engines: list[Uc] = (),  # type: ignore[assignment]
                 translated: object = None, kept: int = 0) -> None:
        self.kernel = kernel
        self.mem = mem
        self.pt: PageTable = kernel.pagetable
        self.state: dict[Uc, EngineState] = {}
        self._alias: dict[int, tuple[int, int]] = {}    # alias frame -> (page, UC_MEM_* access)
        self.stubs: list[Stub] = []
        self.image_stubs = 0               # how many of them came with the boot image
        self.stub_by_name: dict[str, Stub] = {}
        self._pool: list[Uc] = []
        self.engines: list[Uc] = []
        self._hooks: list[_EngineHooks] = []   # the hooks of each engine, in self.engines order
        self.text_patches = 0
        self._pass = _pass_through()   # exceptions a kernel function lets through on purpose
        # Whose code the engines' translations hold: adopted engines, the boot image the last
        # machine ran (kept if this one boots it too: translations_of()); new ones, nothing.
        self.translated = translated
        self._kept = kept                      # boots since the translations were flushed
        self._translations_checked = not engines
        self._patched: dict[int, int] = {}     # code changed here, not by a module's load
        for uc in engines:
            flush_tlb(uc)                # the last machine's page table
            self._adopt(uc)
            self._pool.append(uc)

    def translations_of(self, image: object) -> None:
        """Guest code is boot image IMAGE's (None: no image) and what modules load; called at
        boot, before guest code runs. Adopted engines keep their translations if they are of
        IMAGE, else every translation goes (ctl_flush_tb)."""
        if image is None or self.translated is not image or self._kept >= KEEP_TRANSLATIONS:
            for uc in self.engines:
                uc.ctl_flush_tb()
            self._kept = 0
        else:
            self._kept += 1
        self.translated = image
        self._translations_checked = True
        self._patched.clear()              # what was written so far is the image

    def _check_translations(self) -> None:
        """Before guest code first runs: translations nobody vouched for go."""
        if not self._translations_checked:
            for uc in self.engines:
                uc.ctl_flush_tb()
            self.translated = None
            self._translations_checked = True

    def power_off(self) -> Board | None:
        """The machine is off: every engine's hooks let go of this Cpu, and the board is handed
        on if every engine is idle; else the memory goes back to the host."""
        idle = len(self._pool) == len(self.engines)
        for hooks in self._hooks:
            hooks.cpu = None
        for uc in self.engines:     # the binding keeps a hook's last exception (its traceback
            uc._hook_exception = None  # holds this machine's frames) until the next emu_start
        self.state.clear()
        engines, self.engines, self._pool, self._hooks = self.engines, [], [], []
        if not idle:
            self.mem.close()
            return None
        buf = self.mem.detach()
        if buf is None:
            return None
        engines = engines[:MAX_SPARE_ENGINES]
        translated = self.translated if self._translations_checked else None
        if translated is not None:
            changed = merged_ranges(self._patched)
            for uc in engines:           # what is not the image's any more goes
                for begin, end in changed:
                    remove_cache(uc, begin, end)
        board = Board(GuestMemory(self.mem.base, self.mem.size, buf), engines, translated, self._kept,
                      self.pt.hand_on())
        if len(SPARE_BOARDS) < MAX_SPARE_BOARDS:
            SPARE_BOARDS.append(board)
        return board

    # --- stub page -------------------------------------------------------------------
    def add_stub(self, name: str, func: Callable[..., Any] | None, nargs: int = 0,
                 variadic: bool = False) -> Stub:
        """Give NAME a 16-byte slot: `nop; ret` (func) or `ud2` (a host frame symbol)."""
        stub = self.stub_by_name.get(name)
        if stub is None:
            if func is None:
                return self._add_host_frame(name)
            self.add_stubs(((name, func, nargs, variadic),))
            stub = self.stub_by_name[name]
        return stub

    def _add_host_frame(self, name: str) -> Stub:
        """add_stub() of host frame NAME: its Stub and kallsyms entry at this slot are kept
        per process (HOST_SLOTS), as every machine of a replay adds the same few."""
        key = (name, len(self.stubs))
        slot = HOST_SLOTS.get(key)
        if slot is None:
            stubs, _page, syms = stub_slots(((name, None, 0, False),), len(self.stubs))
            if len(HOST_SLOTS) >= HOST_SLOTS_MAX:
                HOST_SLOTS.clear()
            slot = HOST_SLOTS[key] = (stubs[0], syms[0])
        stub, sym = slot
        self._take_slots((stub,), _UD2, (sym,))
        return stub

    def add_stubs(self, entries: "Iterable[StubEntry]") -> None:
        """add_stub() for each (name, func, nargs, variadic) of ENTRIES, in order, with one
        write of the page and one kallsyms add."""
        stubs, page, syms = stub_slots(entries, len(self.stubs), self.stub_by_name)
        if stubs:
            self._take_slots(stubs, page, syms)

    def _take_slots(self, stubs: "Sequence[Stub]", page: "bytes | bytearray",
                    syms: "Sequence[KSym]") -> None:
        """STUBS (stub_slots() of the next slots: their PAGE bytes, kallsyms entries SYMS)
        join the page."""
        base = STUB_BASE + len(self.stubs) * SLOT
        self.stubs.extend(stubs)
        self.stub_by_name.update((s.name, s) for s in stubs)
        self.mem.write(base, page)
        self._code_changed(base, len(page))  # (another machine may have had other stubs there)
        self.kernel.kallsyms.add_owner("vmlinux", syms)

    def install_stubs(self, stubs: "tuple[Stub, ...]", page: bytes, syms: "tuple[KSym, ...]",
                      by_name: "dict[str, Stub] | None" = None) -> None:
        """Start an empty stub page as a boot before this one left it (kernel.bootimage):
        the same slots, bytes and kallsyms entries that add_stub() gave those stubs (BY_NAME:
        their index by name, copied)."""
        assert not self.stubs, "stub page already in use"
        self.stubs = list(stubs)
        self.image_stubs = len(stubs)      # shared with every machine booted from the image
        self.stub_by_name = dict(by_name) if by_name is not None else {s.name: s for s in stubs}
        self.mem.write(STUB_BASE, page)
        self.kernel.kallsyms.add_owner("vmlinux", syms)

    def stub_at(self, addr: int) -> Stub | None:
        """The Python function whose slot starts at ADDR, if any."""
        if STUB_BASE <= addr < STUB_BASE + len(self.stubs) * SLOT and not addr & (SLOT - 1):
            stub = self.stubs[(addr - STUB_BASE) // SLOT]
            return stub if stub.func is not None else None
        return None

    def host_addr(self, name: str) -> int:
        """Address of host frame NAME (a return site inside its slot)."""
        return self.add_stub(name, None).addr + HOST_RET_OFFSET

    # --- engines ---------------------------------------------------------------------
    def _new_engine(self) -> Uc:
        uc = Uc(UC_ARCH_X86, UC_MODE_64)
        # The translation buffer only ever fills (each module load is new code) until a full
        # flush: Unicorn's 1 GiB default would grow the process by the code of every load.
        uc.ctl_set_tcg_buffer_size(TCG_BUFFER_SIZE)
        uc.mem_map_ptr(self.mem.base, self.mem.size, UC_PROT_ALL, self.mem.host_addr)
        uc.ctl_set_tlb_mode(UC_TLB_VIRTUAL)     # addresses translate through _tlb_fill
        self._adopt(uc)
        return uc

    def _adopt(self, uc: Uc) -> None:
        hooks = getattr(uc, "_klpsh_hooks", None)
        if hooks is None:
            hooks = _EngineHooks(uc)
            uc._klpsh_hooks = hooks  # type: ignore[attr-defined]
        hooks.cpu = self
        self._hooks.append(hooks)
        self.state[uc] = EngineState()
        self.engines.append(uc)

    # --- the MMU -----------------------------------------------------------------------
    def _tlb_fill(self, uc: Uc, vaddr: int, access: int, entry: Any, _data: object) -> bool:
        """A TLB miss: the page's frame and rights from the page table; an access it does not
        allow goes to an alias frame outside RAM, to fault there with its address."""
        pt = self.pt
        i = (vaddr - pt.base) >> PAGE_SHIFT
        if 0 <= i < pt.npages:
            prot = pt.prot[i]
            if prot & _NEED.get(access, PROT_READ):
                entry.paddr = vaddr
                entry.perms = prot
                return True
        alias = ALIAS_BASE | (vaddr & _ALIAS_MASK & ~(PAGE_SIZE - 1))
        self._alias[alias] = (vaddr & ~(PAGE_SIZE - 1), access)
        entry.paddr = alias
        entry.perms = UC_PROT_ALL
        return True

    def _hook_bad_access(self, uc: Uc, access: int, addr: int, size: int, value: int, _data: object) -> bool:
        """An access reached memory that is not there: remember where (the page fault's CR2)."""
        page = self._alias.get(addr & ~(PAGE_SIZE - 1))
        if page is not None:
            vaddr, acc = page
            self.state[uc].fault = (vaddr | (addr & (PAGE_SIZE - 1)), _ACCESS.get(acc, "read"))
        else:
            kind = "fetch" if access == UC_MEM_FETCH_UNMAPPED else "write" if access == UC_MEM_WRITE_UNMAPPED else "read"
            self.state[uc].fault = (addr, kind)
        return False

    def _hook_intr(self, uc: Uc, vector: int, _data: object) -> None:
        """A CPU exception or `int $N`: a device vector is do_IRQ()'s (the code goes on);
        anything else stops the engine to be reported (RIP as the CPU leaves it: at a fault,
        past a trap such as int3)."""
        from kernel.traps import do_irq_no_handler, is_external  # here: most runs take none
        if is_external(vector):
            do_irq_no_handler(self.kernel, self.kernel.current.cpu, vector)
            return
        if vector == 3 and self.kernel.kprobes is not None and self.kernel.kprobes.int3(uc):
            return                       # kprobe_int3_handler(): a breakpoint of a kprobe
        self.state[uc].trap = (vector, regs_of(uc).read(X.UC_X86_REG_RIP))
        uc.emu_stop()

    def sync_tlb(self, uc: Uc) -> None:
        """Before UC runs guest code again: drop its TLB if pages lost rights since it last did
        (each engine does this itself, never while another engine's task is parked in it)."""
        st = self.state[uc]
        if st.tlb_gen != self.pt.generation:
            flush_tlb(uc)
            st.tlb_gen = self.pt.generation

    def _acquire(self) -> Uc:
        return self._pool.pop() if self._pool else self._new_engine()

    def _release(self, uc: Uc) -> None:
        self._pool.append(uc)

    def warm(self, n: int = 1) -> None:
        """Create engines ahead of need (boot), so the first insmod does not pay for them."""
        while len(self._pool) < n:
            self._pool.append(self._new_engine())

    def invalidate(self, addr: int, size: int) -> None:
        """Forget every engine's translations of [addr, addr+size): new code lives there."""
        for uc in self.engines:
            remove_cache(uc, addr, addr + size)

    def write_text(self, addr: int, data: bytes) -> None:
        """Modify guest code and drop every engine's translations of it."""
        self.mem.write(addr, data)
        self.text_patches += 1
        self._code_changed(addr, len(data))
        for uc in self.engines:
            remove_cache(uc, addr, addr + len(data))

    def _code_changed(self, addr: int, size: int) -> None:
        """Code at [ADDR, ADDR+SIZE) is not the boot image's: an engine handed on drops its
        translations of it (power_off)."""
        if self._patched.get(addr, 0) < size:
            self._patched[addr] = size

    # --- calls -----------------------------------------------------------------------
    def call(self, task: "Task", fn: int, args: tuple[int, ...] = (), via: str = "") -> int:
        """Run guest function FN in TASK's context and return its rax.

        VIA names the host function making the call; its slot is the return sentinel, so a
        stack walk of the task reads like Linux (`process_one_work`, `do_one_initcall` ...).
        """
        ctx = task.ctx
        sentinel = self.host_addr(via or "klpsh_host_call")
        if not self._translations_checked:
            self._check_translations()
        uc = ctx.engine
        nested = uc is not None
        saved = None
        if nested:
            regs = regs_of(uc)
            saved = uc.context_save()
            sp = (regs.read(X.UC_X86_REG_RSP) - NESTED_GAP) & ~0xF
        else:
            uc = ctx.engine = self._acquire()
            regs = regs_of(uc)
            sp = self.ensure_stack(task) + THREAD_SIZE - 64
        extra = [a & MASK64 for a in args[len(ARG_REGS):]]
        sp -= 8 * len(extra)
        if len(extra) % 2:
            sp -= 8
        for i, a in enumerate(extra):
            self.mem.set_u64(sp + 8 * i, a)
        sp -= 8
        self.mem.set_u64(sp, sentinel)
        for reg, a in zip(ARG_REGS, args):
            regs.write(reg, a & MASK64)
        regs.write(X.UC_X86_REG_RSP, sp)
        regs.write(X.UC_X86_REG_RBP, 0)
        ctx.levels.append(Level(sentinel, sp, len(ctx.frames), len(task.host_stack)))
        try:
            self._run(uc, task, fn, sentinel)
            return regs.read(X.UC_X86_REG_RAX)
        finally:
            ctx.levels.pop()
            if nested:
                uc.context_restore(saved)
            else:
                ctx.engine = None
                self._release(uc)

    def _run(self, uc: Uc, task: "Task", pc: int, sentinel: int) -> None:
        """Run from PC until the return to SENTINEL, a slice of instructions at a time: each
        full slice is CPU time the task spends (kernel/watchdog.py), which may find it stuck."""
        watchdog = self.kernel.watchdog
        st = self.state[uc]
        regs = regs_of(uc)
        while True:
            if st.tlb_gen != self.pt.generation:
                self.sync_tlb(uc)
            try:
                uc.emu_start(pc, sentinel, count=SLICE_INSNS)
            except UcError as e:
                raise self._fault(uc, task, str(e)) from None
            if st.trap is not None:
                raise self._trap(uc, task)
            pc = regs.read(X.UC_X86_REG_RIP)
            if pc == sentinel:
                return
            lockup = watchdog.charge(task, SLICE_INSNS * NS_PER_INSN)
            if lockup is not None:
                raise self._lockup(uc, task, lockup)
            self.kernel.sched.cond_preempt(task)

    def _lockup(self, uc: Uc, task: "Task", lockup: SoftLockup, at_call: bool = False) -> GuestFault:
        """The soft-lockup report's view of the task; AT_CALL: it was entering a kernel
        function, whose caller is the first return address."""
        f = self._fault_kind(uc, task, "soft lockup")
        f.duration = lockup.duration
        rsp = f.regs["rsp"]
        if at_call and self.mem.valid(rsp, 8):
            f.trace.insert(0, self.mem.u64(rsp))
        return f

    @staticmethod
    def _regs(uc: Uc) -> dict[str, int]:
        regs = regs_of(uc)
        return {n: regs.read(reg) for n, reg in _REG_IDS}

    def regs(self, task: "Task") -> dict[str, int] | None:
        """TASK's guest registers now (it is in a call into the kernel), or None."""
        uc = task.ctx.engine
        return self._regs(uc) if uc is not None else None

    def _trace(self, task: "Task", regs: dict[str, int], fetch: bool = False) -> list[int]:
        """The call trace of a fault: the frame-pointer chain (a bad fetch: first the return
        address the call left), the call's sentinel, the frames below a nested call."""
        trace = []
        if fetch and self._on_stack(task, regs["rsp"]):
            trace.append(self.mem.u64(regs["rsp"]))
        trace += self._walk_fp(regs["rbp"], task)
        if task.ctx.levels and task.ctx.levels[-1].sentinel not in trace:
            trace.append(task.ctx.levels[-1].sentinel)
        trace.extend(self._outer_frames(task))
        trace.extend(task.host_frames(self._host_below(task)))
        return trace

    def _host_slice(self, task: "Task", i: int) -> list[int]:
        """The host frames kernel function I (stub frame I) pushed, before the guest call it
        made if it made one: they come between that call's frames and I's own."""
        levels, stack = task.ctx.levels, task.host_stack
        lo = max((lv.host_depth for lv in levels if lv.nframes <= i), default=len(stack))
        hi = next((lv.host_depth for lv in levels if lv.nframes == i + 1), len(stack))
        return [self.host_addr(n) for n in reversed(stack[lo:hi])]

    @staticmethod
    def _host_below(task: "Task") -> int | None:
        """How many of the task's host frames are below its outermost guest call."""
        ctx = task.ctx
        return ctx.levels[0].host_depth if ctx.frames and ctx.levels else None

    def _on_stack(self, task: "Task", addr: int) -> bool:
        lo = task.ctx.stack_base
        return bool(lo) and lo <= addr <= lo + THREAD_SIZE - 8

    def _fault(self, uc: Uc, task: "Task", kind: str) -> GuestFault:
        """Guest code stopped on an error (UcError text KIND), as the CPU delivers it."""
        return self._delivered(self._fault_kind(uc, task, kind))

    def _delivered(self, f: GuestFault) -> GuestFault:
        """The CPU delivers exception F by writing its frame on the stack: where that write
        faults (the stack ran into its guard page), F is a double fault whose CR2 is the
        write's address (do_double_fault() then finds the stack overflow)."""
        from kernel.fault import DOUBLE_FAULT, frame_push_fault  # here: most runs fault nowhere
        cr2 = frame_push_fault(self.pt, f.regs["rsp"])
        if cr2 is None:
            return f
        return GuestFault(f.kind, f.rip, cr2, f.regs, f.trace, trap=DOUBLE_FAULT, error_code=0,
                          access="write")

    def _fault_kind(self, uc: Uc, task: "Task", kind: str) -> GuestFault:
        """A page fault where the MMU hooks saw the access, else what Unicorn says."""
        regs = self._regs(uc)
        st = self.state.get(uc)
        fault = st.fault if st is not None else None
        if st is not None:
            st.fault = None
            flush_tlb(uc)                # forget the alias frame the fault went through
        if fault is None or not ("UNMAPPED" in kind or "PROT" in kind):
            addr = self._fault_addr(uc, regs["rip"]) if "UNMAPPED" in kind else 0
            return GuestFault(kind, regs["rip"], addr, regs, self._trace(task, regs))
        from kernel.fault import canonical, error_code
        addr, access = fault
        trace = self._trace(task, regs, fetch=access == "fetch")
        if not canonical(addr):
            return GuestFault(kind, regs["rip"], 0, regs, trace, trap="general protection fault",
                              error_code=0)
        return GuestFault(kind, regs["rip"], addr, regs, trace, trap="page fault",
                          error_code=error_code(self.pt, addr, access), access=access)

    def _trap(self, uc: Uc, task: "Task") -> GuestFault:
        """A CPU exception the interrupt hook stopped on: die() with its name."""
        from kernel.traps import trap_name
        st = self.state[uc]
        assert st.trap is not None
        vector, rip = st.trap
        st.trap = None
        regs = dict(self._regs(uc), rip=rip)
        return self._delivered(GuestFault(trap_name(vector), rip, 0, regs, self._trace(task, regs),
                                          trap=trap_name(vector), error_code=0))

    def _outer_frames(self, task: "Task") -> list[int]:
        """Below a nested call: the kernel entries it was made from and the guest frames
        under them (a fault in a constructor shows kmem_cache_alloc and its caller too)."""
        ctx = task.ctx
        if not ctx.levels:
            return []
        out: list[int] = []
        kallsyms = self.kernel.kallsyms
        n = ctx.levels[-1].nframes
        for i in range(n - 1, -1, -1):
            f = ctx.frames[i]
            out.extend(self._host_slice(task, i))
            here = kallsyms.lookup(f.stub)
            last = kallsyms.lookup(out[-1]) if out else None
            if here is None or last is None or here.name != last.name:
                out.append(f.stub)
            part = self._walk(f.rsp, f.rbp, task, None)
            if part is None:
                break
            out.extend(part)
        return out

    def _stub_fault(self, uc: Uc, task: "Task", stub: int, bad: int) -> GuestFault:
        """A kernel function given a bad pointer faults inside itself, as its C version would."""
        f = self._fault_kind(uc, task, "UC_ERR_READ_UNMAPPED")
        f.addr = bad
        caller = self.mem.u64(f.regs["rsp"]) if self.mem.valid(f.regs["rsp"], 8) else 0
        if caller:
            f.trace.insert(0, caller)
        return f

    def _fault_addr(self, uc: Uc, rip: int) -> int:
        """The data address of a faulting access, found by decoding nothing: Unicorn keeps
        no CR2, so report the lowest invalid address among the registers the insn may use."""
        for name in ("rax", "rdi", "rsi", "rdx", "rcx", "rbx", "r8", "r9", "r12", "r13"):
            v = regs_of(uc).read(getattr(X, f"UC_X86_REG_{name.upper()}"))
            if not self.mem.valid(v):
                return v
        return rip if not self.mem.valid(rip) else 0

    def _hook_stub(self, uc: Uc, addr: int, size: int, _data: object) -> None:
        if addr & (SLOT - 1):
            return
        index = (addr - STUB_BASE) // SLOT
        if index >= len(self.stubs):
            return  # past the last slot: the int3 filler traps there and becomes an Oops
        stub = self.stubs[index]
        if stub.func is None:
            return  # a host frame symbol: its ud2 faults and becomes an Oops
        task = self.kernel.current
        lockup = self.kernel.watchdog.charge(task, HOST_CALL_COST.get(stub.name, HOST_CALL_NS))
        if lockup is not None:
            raise self._lockup(uc, task, lockup, at_call=True)
        regs = regs_of(uc)
        rsp, rbp, *args = regs.entry(stub.nargs)
        frame = StubFrame(addr, rsp, rbp)
        task.ctx.frames.append(frame)
        try:
            if stub.variadic:
                ret = stub.func(self.kernel, *args, VarArgs(uc, self.mem, rsp, stub.nargs))
            else:
                for i in range(len(ARG_REGS), stub.nargs):   # the caller's stack above the return address
                    args.append(self.mem.u64(rsp + 8 * (i - len(ARG_REGS) + 1)))
                ret = stub.func(self.kernel, *args)
        except BadAddress as e:
            raise self._stub_fault(uc, task, addr, e.addr) from None
        except self._pass:
            raise
        except Exception as e:  # noqa: BLE001 - a bug in a kernel function is a kernel BUG
            raise self._host_bug(uc, e) from None
        finally:
            task.ctx.frames.pop()
        if self.kernel.watchdog.pending is not None:
            # the kernel function's own time (cost.spend) ran into a soft lockup: it is
            # reported now, as the watchdog's tick would find the task still in there
            lockup = self.kernel.watchdog.charge(task, 0)
            if lockup is not None:
                raise self._lockup(uc, task, lockup, at_call=True)
        if self.state[uc].tlb_gen != self.pt.generation:
            self.sync_tlb(uc)            # pages lost rights while the task was in the kernel
        if ret is not None:
            regs.write(X.UC_X86_REG_RAX, int(ret) & MASK64)

    def _host_bug(self, uc: Uc | None, e: Exception) -> GuestBug:
        """A Python kernel function failed: BUG() at the innermost line of kernel code."""
        import traceback
        root = __file__.rsplit("/", 2)[0] + "/"         # the checkout: kernel/ is below it
        where = ("kernel/cpu.py", 0)
        for fr in traceback.extract_tb(e.__traceback__):
            if fr.filename.startswith(root) and not fr.filename.endswith("/cpu.py"):
                where = (fr.filename[len(root):], fr.lineno or 0)
        task = self.kernel.current
        regs = self._regs(uc) if uc is not None else self._host_regs(task, 0)
        trace = self.stack_trace(task) or []
        return GuestBug(where[0], where[1], trace=[0, *trace], regs=regs)

    def ensure_stack(self, task: "Task") -> int:
        """TASK's kernel stack, allocated at its first need (task->stack, dup_task_struct's)."""
        ctx = task.ctx
        if not ctx.stack_base:
            ctx.stack_base = self.kernel.alloc_stack()
            if task.guest_struct:
                self.mem.set_u64(task.guest_struct + _TS_STACK, ctx.stack_base)
        return ctx.stack_base

    def _host_regs(self, task: "Task", rip: int) -> dict[str, int]:
        """Registers for a report from kernel code no guest call is under: RIP, the task's
        stack pointer at the top of its stack (a kthread that never ran guest code gets its
        stack now), EFLAGS with the always-set bit and IF (host code runs with interrupts on:
        process context, softirqs); the other registers hold nothing klpsh could show."""
        regs = dict.fromkeys(_REGS, 0)
        regs["rip"] = rip
        regs["rsp"] = self.ensure_stack(task) + THREAD_SIZE - 64
        regs["eflags"] = X86_EFLAGS_FIXED | X86_EFLAGS_IF
        return regs

    def call_host(self, task: "Task", stub: Stub, args: tuple[int, ...]) -> Any:
        """Call a Python kernel function that kernel code found through a function pointer
        (no guest call in between): a bad pointer it follows is an Oops in TASK at that
        function, a failure of its own a kernel BUG, as for a call from guest code."""
        assert stub.func is not None
        try:
            # registers a caller did not set read as 0
            fixed = (*args, *(0,) * stub.nargs)[:stub.nargs]
            if stub.variadic:
                return stub.func(self.kernel, *fixed, HostVarArgs(args[stub.nargs:]))
            return stub.func(self.kernel, *fixed)
        except BadAddress as e:
            uc = task.ctx.engine
            regs = self._regs(uc) if uc is not None else self._host_regs(task, stub.addr)
            regs["rip"] = stub.addr
            trace = [*(self.stack_trace(task) or [])]
            raise GuestFault("UC_ERR_READ_UNMAPPED", stub.addr, e.addr, regs, trace) from None
        except self._pass:
            raise
        except Exception as e:  # noqa: BLE001 - a bug in a kernel function is a kernel BUG
            raise self._host_bug(task.ctx.engine, e) from None

    # --- stacks ----------------------------------------------------------------------
    def _walk(self, rsp: int, rbp: int, task: "Task", first: int | None) -> list[int] | None:
        """Frame-pointer walk from a call site, as deep as the stack goes; None when the
        chain leaves the task's stack or does not go up it (the unwinder's error)."""
        lo = task.ctx.stack_base
        hi = lo + THREAD_SIZE
        out = [] if first is None else [first]
        mem = self.mem
        if not (lo <= rsp < hi):
            return None
        out.append(mem.u64(rsp))
        fp, below = rbp, lo
        while fp:
            if not (below <= fp < hi - 8):
                return None
            out.append(mem.u64(fp + 8))
            fp, below = mem.u64(fp), fp + 16      # each frame lies above the one it called
        return out

    def _walk_fp(self, rbp: int, task: "Task") -> list[int]:
        """Return addresses along the frame-pointer chain starting at RBP, as far as it goes
        up the task's stack (show_trace_log_lvl() walks the whole stack: no depth limit)."""
        lo = task.ctx.stack_base
        out: list[int] = []
        fp, below = rbp, lo
        while fp and below <= fp < lo + THREAD_SIZE - 8:
            out.append(self.mem.u64(fp + 8))
            fp, below = self.mem.u64(fp), fp + 16      # each frame lies above the one it called
        return out

    def stack_trace(self, task: "Task") -> list[int] | None:
        """Return addresses of a task that is not running guest code right now, innermost
        first, ending with its host frames; None if the stack cannot be walked reliably."""
        frames = task.ctx.frames
        out: list[int] = []
        for i in range(len(frames) - 1, -1, -1):
            f = frames[i]
            out.extend(self._host_slice(task, i))
            # The innermost stub is where the task sleeps: show a return site inside it, as
            # for host frames (a return address is never a function's first byte).
            inner = f.stub + HOST_RET_OFFSET if i == len(frames) - 1 else None
            part = self._walk(f.rsp, f.rbp, task, inner)
            if part is None:
                return None
            out.extend(part)
        out.extend(task.host_frames(self._host_below(task)))
        return out
