"""The machine: boots a Kernel (clock, CPUs, tasks, vmlinux, sysfs/procfs) and offers the
syscall-like entry points the shell's tools use."""

from __future__ import annotations

import itertools
import random
import time
from functools import cached_property
from pathlib import Path
from random import Random
from typing import TYPE_CHECKING, Any, Callable, Sequence, TypeVar

from kernel import cost
from kernel.abi import USER_DS, TaskStruct
from kernel.api import all_apis, exported_apis
from kernel.api.slab import Slab
from kernel.teardown import break_cycles
from kernel.bootimage import boot_vmlinux, keep_boot_stubs
from kernel.boottasks import boot_forks_made, boot_tasks as make_boot_tasks
from kernel.bug import WarnSite
from kernel.cpu import MASK64, Cpu, GuestBug, GuestFault, Stub, take_board
from kernel.errno import Errno, KernelError, RawReturn
from kernel.fork import alloc_task_struct, fork_user, unhash_process
from kernel.panic import FATAL_IN_INTERRUPT, KILL_IDLE, KernelPanic, MachineDead, panic
from kernel.fs import Vfs
from kernel.fs.char_dev import CharDevs
from kernel.fs.syscalls import FsCalls
from kernel.mm import (HEAP_BASE, HEAP_END, MEM_BASE, MEM_SIZE, MODULES_BASE, MODULES_END, STACKS_BASE, STACKS_END,
                       STUB_BASE, STUB_END, PROT_NONE, PROT_RW, PROT_RX, Allocator, PageTable,
                       StackAllocator)
from kernel.module import sysfs as module_sysfs
from kernel.module.elf import ElfCache
from kernel.module.kallsyms import Kallsyms
from kernel.module.main import Module, ModuleLoader
from kernel.tty import Terminal, attach as attach_tty, console_tty
from kernel.printk import KERN_WARNING, Logger, Printk, RateLimit
from kernel.profile import KernelProfile, get_profile
from kernel.sched import (SIGKILL, SIGSEGV, WAIT_CPU_NS, WAIT_EVENTS, WAIT_LIMIT_NS, Scheduler,
                          SyscallAbandoned, Task, TaskKilled, TaskKind, TaskState, WaitBound)
from kernel.signal import RESTART_ERRNOS, fatal_signal, force_sig_info
from kernel.time import KTIME_MAX, NSEC_PER_SEC, Clock, Event, WallClockPacer
from kernel.softirq import PREEMPT_NEED_RESCHED, in_interrupt
from kernel.watchdog import Watchdog

if TYPE_CHECKING:
    from kernel.dumpstack import DumpStack
    from kernel.livepatch import Livepatch
    from kernel.utsname import NewUtsname

T = TypeVar("T")
WALL_BOOT_NS = 1_540_166_400 * 1_000_000_000   # 2018-10-22 00:00:00 UTC
RANDOM_SEED = 0x4190
NR_CPUS = 2
CLOCK_MODES = ("virtual", "real")
MAX_RESTARTS = 10_000       # -ERESTARTSYS restarts of one call before it gives EINTR
TAINT_ORDER = "PFSRMBUDAWCIOELKXT"
# addr_limit_user_check()'s CHECK_DATA_CORRUPTION (include/linux/syscalls.h:266 in 4.19.0 and
# 5.4.214), inlined into prepare_exit_to_usermode()
WARN_ADDR_LIMIT = WarnSite("include/linux/syscalls.h", 266, "prepare_exit_to_usermode",
                           callers=("syscall_return_slowpath",))
_TS_ADDR_LIMIT = TaskStruct.thread.offset   # thread.addr_limit (task_struct's thread starts with it)

# The generators' states right after seeding (RANDOM_SEED, RANDOM_SEED + 1): a boot restores
# them, which is cheaper than seeding again (the same numbers follow).
_POOL_STATE = random.Random(RANDOM_SEED).getstate()
_PRANDOM_STATE = random.Random(RANDOM_SEED + 1).getstate()


def _seeded(state: tuple) -> random.Random:
    """A generator in STATE (made without __init__, which would seed it from the host first)."""
    gen = random.Random.__new__(random.Random)
    gen.setstate(state)
    return gen


# The page table every boot starts with (a cache of the process, like kernel.bootimage's).
_BOOT_PAGE_TABLES: dict[tuple[int, int, int], bytes] = {}

class CommandProcess:
    """The process a shell command's system calls are made in (Kernel.command_process)."""

    __slots__ = ("task", "comm")

    def __init__(self, comm: str = "") -> None:
        self.task: Task | None = None
        self.comm = comm                # the program's name ("" if the shell did not say)


class CommandScope:
    """What Kernel.command_process() gives: the context a shell command runs in, the
    machine's command from entry to exit, where its process exits. (A class, not a generator
    context manager: every command enters one. It is apart from the CommandProcess, which
    the machine holds, as teardown would cut a reference back to the machine from that.)"""

    __slots__ = ("kernel", "cmd", "outer")

    def __init__(self, kernel: "Kernel", program: str) -> None:
        self.kernel = kernel
        self.cmd = CommandProcess(program)
        self.outer: CommandProcess | None = None     # the command it runs within, if any

    def __enter__(self) -> None:
        k = self.kernel
        self.outer, k.command = k.command, self.cmd

    def __exit__(self, *exc: object) -> None:
        k = self.kernel
        k.command = self.outer
        task = self.cmd.task
        if task is not None and task.state is not TaskState.DEAD and task._thread is None \
                and not k.powered_off and k.panicked is None:
            k.sched.exit_task(task)


class Kernel:
    """One simulated Linux machine (4.19 or 5.4, as its profile says). Everything that is
    state lives here."""

    def __init__(self, elf_cache: ElfCache | None = None, clock_mode: str = "virtual",
                 profile: KernelProfile | None = None) -> None:
        if clock_mode not in CLOCK_MODES:
            raise ValueError(f"clock mode {clock_mode!r} is not one of {', '.join(CLOCK_MODES)}")
        self.profile = profile or get_profile()
        self.clock_mode = clock_mode
        self.elf_cache = elf_cache or ElfCache()
        clock = self.clock = Clock()
        self.printk = Printk(lambda: clock.now)     # (over the clock: nothing to cut at power off)
        self.log = Logger(self.printk, "", "kernel/module.c")
        board = take_board()
        self.mem = board.mem
        self.heap = Allocator(HEAP_BASE, HEAP_END)
        self.modules_mem = Allocator(MODULES_BASE, MODULES_END)
        self.stacks = StackAllocator(STACKS_BASE, STACKS_END)
        self.pagetable = self._boot_page_table(board.pagetable)
        board.pagetable = None
        self.mem.present = self.pagetable.prot
        self.slab = Slab(self)
        self.mem_map = 0                          # struct pages of the heap (kernel/api/page.py)
        self.page_orders: dict[int, int] = {}     # alloc_pages() block -> its order
        self.kallsyms = Kallsyms()
        self.cpu = Cpu(self, self.mem, board.engines, board.translated, board.kept)
        self.sched = Scheduler(self)
        self.watchdog = Watchdog(self, NR_CPUS)
        self.hung_task: Any = None                # kernel.hung_task.HungTask, made at boot
        self.interrupted: Callable[[], bool] = lambda: False   # the user asked to stop waiting
        self.livepatch: "Livepatch | None" = None
        self.ftrace: Any = None                   # kernel.ftrace.Ftrace, made at boot
        self.kprobes: Any = None                  # kernel.kprobes.Kprobes, made at first use
        self.loader = ModuleLoader(self)
        self.vfs = Vfs()
        self.fs = FsCalls(self)
        self.chrdevs = CharDevs(self)             # fs/char_dev.c: majors, minors, cdevs
        self.devices: Any = None                  # kernel.api.device.DeviceCore, made at boot
        self.devtmpfs: Any = None                 # kernel.fs.devtmpfs.Devtmpfs (/dev)
        self.misc: Any = None                     # kernel.api.miscdevice.MiscDevices
        self.platform: Any = None                 # kernel.api.platform.PlatformBus, made on first use
        self.taints: set[str] = set()
        self.panicked: str | None = None          # panic()'s message: the machine has stopped
        self.powered_off = False
        self.ptr_key = b"klpsh-boot-key-0"
        # CLOCK_REALTIME at boot: the host's clock in real-time mode, else (deterministic
        # runs) the day 4.19 was released
        self.wall_boot_ns = time.time_ns() if clock_mode == "real" else WALL_BOOT_NS
        self.timers: dict[int, Event] = {}
        self.hrtimers: dict[int, tuple[int, Event | None]] = {}   # hrtimer -> clock id, event
        self.idrs: dict[int, dict[int, int]] = {}  # struct idr/ida -> its ids and pointers
        self.radix_trees: dict[int, dict[int, int]] = {}  # radix_tree_root -> index -> entry
        self.percpu: Any = None                   # kernel.percpu.PerCpu, made on first use
        self.kobjs: dict[int, Any] = {}           # a kobject in sysfs -> kernel.fs.sysfs.KobjInfo
        self.mutexes: dict[int, Task] = {}
        self.mutex_waiters: dict[int, Any] = {}
        self.rwsems: dict[int, Any] = {}          # struct rw_semaphore address -> RwSem
        self.semaphores: dict[int, list] = {}     # struct semaphore address -> its sleepers
        self.rcu: Any = None                      # kernel.api.rcu.RcuState, made on first use
        self.waitqueues: dict[int, Any] = {}     # wait_queue_head / completion address -> WaitQueue
        self.procfs: Any = None                   # kernel.fs.procfs.Procfs, made at boot
        self.debugfs: Any = None                  # kernel.fs.debugfs.Debugfs, made at boot
        self._structs: dict[int, Task] = {}
        self.pids: dict[int, int] = {}            # pid number -> its struct pid (kernel/api/pid.py)
        self.terminal = Terminal()                # the shell's tty (kernel/tty.py)
        self.user_mm = 0                          # the mm every user task points at (kernel/fork.py)
        self.fork_requests: list[Any] = []        # kernel.fork.ForkRequest: forks under way
        self.command: CommandProcess | None = None  # the process of the shell's command running
        self.do_fork_slot = 0                     # _do_fork's kallsyms address (its slot)
        self.vmlinux: Module | None = None
        self.boot_image: Any = None               # kernel.bootimage.BootImage it installed
        self.softirq: Any = None                  # kernel.softirq.Softirq, made at boot
        self.preempt_count_addr = 0               # vmlinux __preempt_count (CPU 0's)
        self.tasklets: Any = None                 # kernel.api.interrupt.Tasklets, made on first use
        self.irqs: Any = None                     # kernel.irq.Irqs, made on first use
        self.ratelimits: dict[str, Any] = {}      # pr_*_ratelimited() call site -> RateLimit
        self.templates: dict[Any, bytes] = {}     # guest objects as every new one starts (fork.py)
        # kernel.boottasks: the structs the boot's forks take (last first), what to record
        self.boot_structs: list[tuple] = []
        self.boot_record: Any = None

    # The generators, made at their first use (most machines draw no random number): the
    # same numbers follow as from generators made at boot.
    @cached_property
    def random(self) -> Random:
        """The input pool (get_random_bytes)."""
        return _seeded(_POOL_STATE)

    @cached_property
    def prandom(self) -> Random:
        """lib/random32.c's generator."""
        return _seeded(_PRANDOM_STATE)

    @cached_property
    def dumpstack(self) -> "DumpStack":
        """The oops, WARN and dump_stack() reports and their state (die_counter), made at the
        first one (kernel.dumpstack: most machines report nothing)."""
        from kernel.dumpstack import DumpStack
        return DumpStack(self)

    # --- boot ------------------------------------------------------------------------
    @classmethod
    def boot(cls, clock_mode: str = "virtual", elf_cache: ElfCache | None = None,
             vmlinux: Path | None = None, kernel: "str | KernelProfile | None" = None) -> "Kernel":
        """Boot the kernel KERNEL names ("4.19", the default, or "5.4"; or a profile)."""
        profile = kernel if isinstance(kernel, KernelProfile) else get_profile(kernel)
        k = cls(elf_cache, clock_mode, profile)
        k._boot(vmlinux or profile.vmlinux_object)
        return k

    def _boot(self, vmlinux: Path) -> None:
        from kernel.api.device import driver_init
        from kernel.fs.sysfs import kobject_boot
        from kernel.fs.debugfs import debugfs_init, debugfs_kprobe_init
        from kernel.fs.proc import proc_init
        from kernel.fs.tmpfs import tmpfs_init
        from kernel.hung_task import HungTask, hung_task_sysctl_init
        from kernel.livepatch import Livepatch
        from kernel.module.sysfs import module_sysfs_init
        from kernel.softirq import Softirq
        from kernel.workqueue import Workqueues
        self.apis = all_apis()
        self.vmlinux = boot_vmlinux(self, exported_apis(self.profile.livepatch.absent_exports), vmlinux)
        cmdline = self.vmlinux.symbol("klpsh_boot_command_line")
        if cmdline:
            self.mem.write(cmdline, self.profile.command_line.encode() + b"\0")
        from kernel.utsname import init_utsname, uts_init
        uts_init(self, init_utsname(self.release, self.profile.version))
        totalram = self.vmlinux.symbol("totalram_pages")
        if totalram:
            from kernel.api.page_alloc import managed_pages
            self.mem.set_u64(totalram, managed_pages(self))
        from kernel.ftrace import Ftrace
        self.ftrace = Ftrace(self)
        from kernel.fork import fork_init
        fork_init(self)
        self.livepatch = Livepatch(self)
        boot_tasks = make_boot_tasks(self, NR_CPUS)
        self.kthreadd = boot_tasks["kthreadd"]
        self.softirq = Softirq(self, boot_tasks["ksoftirqd/0"])   # softirq context
        self.preempt_count_addr = self.vmlinux.symbol("__preempt_count") or 0
        self.workqueues = Workqueues(self)
        self.wq = self.workqueues.system          # system_wq
        self.workqueues.boot()
        self.shell = self.new_shell()
        boot_forks_made(self)
        self.clock.on_advance.append(self._tick)
        self.cpu.warm(1)
        self.hung_task = HungTask(self)
        proc_init(self)
        driver_init(self)
        hung_task_sysctl_init(self, self.vfs.root.mkdir("proc/sys/kernel"))
        module_sysfs_init(self)
        kobject_boot(self)
        debugfs_init(self)
        debugfs_kprobe_init(self)
        tmpfs_init(self)
        console_tty(self)                         # the shell's terminal (pts 0)
        self.livepatch.klp_init()
        self.jiffies_addr = self.vmlinux.symbol("jiffies") or 0
        self.jiffies_shown = -1           # the value _tick() last wrote there
        self._tick(0)
        self.sched.run_pending()
        keep_boot_stubs(self)
        # Boot takes no time; from here on the kernel's work costs what kernel/cost.py says.
        self.watchdog.costs = True
        watchdog = self.watchdog                # (over the watchdog: nothing to cut at power off)
        self.printk.cost = lambda rec: watchdog.spend(cost.console_ns(rec))
        if self.clock_mode == "real":
            # Boot is instant in virtual time; from here on the machine keeps pace with the wall.
            self.clock.pacer = WallClockPacer(self.clock.now)
            self.clock.pacer.stop = lambda: self.interrupted()

    def shutdown(self) -> None:
        """Power off: unwind every task's execution context (each holds the machine) and give
        guest memory back, so a discarded machine leaves nothing running. Nothing runs
        afterwards; the rest (engines included) goes with the last reference. Twice is once."""
        if self.powered_off:
            return
        self.powered_off = True
        self.sched.shutdown()
        self.cpu.power_off()
        break_cycles(self)

    def _tick(self, now: int) -> None:
        """Time moved: jiffies follow (written when a jiffy passed, as the timer tick does: most
        moves stay within one), and idle CPUs pass through their idle loop."""
        if self.jiffies_addr:
            j = self.clock.jiffies
            if j != self.jiffies_shown:
                self.mem.set_u64(self.jiffies_addr, j)
                self.jiffies_shown = j
        # (only a pending patch state moves in the idle loop; moving it takes no task off a CPU)
        lp = self.livepatch
        if lp is None:
            return
        idles = self.sched.idle
        for t in idles:                 # (a loop: a generator for any() cost more, every tick)
            if t.patch_pending:
                busy = self.sched.nr_on_cpu()
                for idle in idles:
                    if busy <= idle.cpu:
                        lp.klp_update_patch_state(idle)
                return

    def cpu_idle(self, cpu: int) -> bool:
        """CPU N idles unless N+1 tasks are on CPUs (Scheduler.on_cpu): the code running
        takes CPU 0, another running task CPU 1."""
        return self.sched.nr_on_cpu() <= cpu

    # --- memory, symbols ---------------------------------------------------------------
    @property
    def vmalloc_limit(self) -> int:
        """The largest buffer the kernel could vmalloc (a module image to load)."""
        return HEAP_END - HEAP_BASE

    def _boot_page_table(self, spare: "tuple[bytearray, list[tuple[int, int]]] | None" = None,
                         ) -> PageTable:
        """The page tables at boot (kernel.mm.PageTable): stubs RX, heap RW, stacks RW with
        their guard pages; vmlinux is mapped as it is linked, modules as they load. Every boot
        maps the same: the first builds the layout, later ones start from a copy of it (in
        the table of the machine the board was handed on by, SPARE, if there is one)."""
        key = (MEM_BASE, MEM_SIZE, self.stacks.SLOT)
        layout = _BOOT_PAGE_TABLES.get(key)
        if layout is not None:
            return PageTable.from_layout(layout, spare)
        pt = PageTable(MEM_BASE, MEM_SIZE)
        # (filled as pattern()s: a table with nothing present loses no rights, which protect()
        # would look for in each of the heap's 100,000s of pages)
        pt.pattern(STUB_BASE, STUB_END - STUB_BASE, bytes((PROT_RX,)))
        pt.pattern(HEAP_BASE, HEAP_END - HEAP_BASE, bytes((PROT_RW,)))
        slot = self.stacks.SLOT // 4096
        pt.pattern(STACKS_BASE, STACKS_END - STACKS_BASE, bytes((PROT_NONE,) + (PROT_RW,) * (slot - 1)))
        _BOOT_PAGE_TABLES[key] = bytes(pt.prot)
        # (the table is the layout: nothing of it for the next machine to set back from it,
        # which copied the heap's and stacks' ranges again at the second boot, ~0.7 M)
        pt.changed.clear()
        return pt

    def alloc_stack(self) -> int:
        return self.stacks.alloc()

    def module_alloc(self, size: int) -> int:
        """Module space (vmalloc'd): RW until the loader sets the sections' rights."""
        addr = self.modules_mem.alloc(size)
        self.pagetable.protect(addr, size, PROT_RW)
        return addr

    def module_free(self, addr: int) -> None:
        """vfree() of module space: its translations go, then its pages (not present again),
        so stale code or data of the module faults like a use after free."""
        size = self.modules_mem.size_of(addr)
        if size is None:
            return
        self.cpu.invalidate(addr, size)         # while its text is still mapped
        self.pagetable.protect(addr, size, PROT_NONE)
        self.modules_mem.free(addr)

    def resolve_export(self, name: str) -> int | None:
        if self.vmlinux is not None and name in self.vmlinux.exports:
            return self.vmlinux.exports[name]
        for m in self.loader.modules.values():
            if name in m.exports:
                return m.exports[name]
        return None

    def export_owner(self, name: str) -> str:
        for m in self.loader.modules.values():
            if name in m.exports:
                return m.name
        return "kernel"

    def resolve_kernel_symbol(self, name: str) -> int | None:
        """vmlinux exports, then Python implementations (their stub slots)."""
        if self.vmlinux is not None and name in self.vmlinux.exports:
            return self.vmlinux.exports[name]
        stub = self.cpu.stub_by_name.get(name)
        if stub is None:
            stub = self._untabled_api(name)
        return stub.addr if stub is not None and stub.func is not None else None

    def _untabled_api(self, name: str) -> "Stub | None":
        """A @kapi function that kernel/api/exports.py does not list (the table is behind the
        sources until `python -m kernel.api`): found by importing every api module, and given
        a slot after the table's, so a stale table costs start-up time, never a symbol."""
        from kernel.api import declared_apis
        api = declared_apis().get(name)
        if api is None or name in self.apis or name in self.profile.livepatch.absent_exports:
            return None
        return self.cpu.add_stub(api.name, api.call, api.nargs, api.variadic)

    @property
    def modules(self) -> dict[str, Module]:
        return self.loader.modules

    def module_by_struct(self, addr: int) -> Module | None:
        for m in self.loader.modules.values():
            if m.struct_addr == addr:
                return m
        return None

    def add_taint(self, flag: str) -> None:
        self.taints.add(flag)

    @property
    def release(self) -> str:
        """UTS_RELEASE (uname -r): the profile's."""
        return self.profile.release

    def utsname(self) -> "NewUtsname":
        """uname(2): init_uts_ns, as boot filled it from this kernel's release."""
        from kernel.utsname import init_utsname, read_utsname
        return read_utsname(self, init_utsname(self.release, self.profile.version))

    def taint_mask(self) -> int:
        return sum(1 << TAINT_ORDER.index(c) for c in self.taints if c in TAINT_ORDER)

    def add_taint_mask(self, mask: int) -> None:
        """Writing /proc/sys/kernel/tainted adds (never clears) taint flags."""
        for i, c in enumerate(TAINT_ORDER):
            if mask >> i & 1:
                self.taints.add(c)

    def tainted_string(self) -> str:
        if not self.taints:
            return "Not tainted"
        return "Tainted: " + "".join(
            (c if c in self.taints else ("G" if c == "P" else " ")) for c in TAINT_ORDER)

    # --- tasks -------------------------------------------------------------------------
    @property
    def current(self) -> Task:
        cur = self.sched.current
        assert cur is not None
        return cur

    def task_struct(self, task: Task) -> int:
        """The guest `struct task_struct` of TASK, created on first use."""
        if not task.guest_struct:
            return alloc_task_struct(self, task)      # (its patch_state written with it)
        self.mem.set_u32(task.guest_struct + TaskStruct.patch_state.offset, task.patch_state)
        return task.guest_struct

    def fmt_ptr(self, v: int) -> str:
        """What printk's plain %p shows for V."""
        from kernel.api.vsprintf import ptr_text
        return ptr_text(self, v)

    def task_by_struct(self, addr: int) -> Task | None:
        return self._structs.get(addr)

    def on_task_exit(self, task: Task) -> None:
        """release_task(): the stack goes with the task (free_thread_stack), and so does a
        user task's task_struct (a kthread's stays for kthread_stop(), which holds it)."""
        if self.kprobes is not None:
            self.kprobes.flush_task(task)
        ctx = task.ctx
        if ctx.stack_base and ctx.engine is None and not ctx.levels:
            self.stacks.free(ctx.stack_base)
            ctx.stack_base = 0
            if task.guest_struct:
                self.mem.set_u64(task.guest_struct + TaskStruct.stack.offset, 0)
        if not task.is_kthread:
            self.put_task_struct(task)

    def put_task_struct(self, task: Task) -> None:
        """The kernel's reference to TASK's guest task_struct is gone: free it, unless guest
        code still holds references (get_task_struct); the last put_task_struct frees it."""
        if task.usage > 0:
            task.struct_orphaned = True
            return
        if task.guest_struct:
            unhash_process(self, task)             # frees it to the task_struct cache
            self._structs.pop(task.guest_struct, None)
            task.guest_struct = 0

    def on_module_freed(self, mod: Module) -> None:
        pass

    def sync_preempt_count(self, task: Task) -> None:
        """__preempt_count follows the preempt count of TASK if its code is the one running."""
        if self.preempt_count_addr and task is self.sched.current:
            self.mem.set_u32(self.preempt_count_addr, (task.irq_count | PREEMPT_NEED_RESCHED) & 0xFFFF_FFFF)

    def ps(self) -> list[Task]:
        return sorted(self.sched.idle[:1] + self.sched.all_tasks(), key=lambda t: t.pid)

    def run_guest(self, task: Task, fn: int, args: tuple[int, ...], via: str,
                  host: tuple[str, ...] = (), fatal: bool = False,
                  on_fault: "Callable[[GuestFault], None] | None" = None) -> int:
        """Call guest FN from host code running in TASK, with HOST frames below it.

        A fault, BUG() or lockup in the guest is reported as an Oops. FATAL calls are those
        a system call makes on behalf of its user task (module init and exit, a /proc show):
        the task dies there (TaskKilled), leaving whatever it was doing unfinished as Linux
        does. Otherwise the call returns -EFAULT, so the kernel code that made it (a livepatch
        callback, a shadow constructor, a timer) carries on with its error path. ON_FAULT sees
        a fault before it is reported (the fault handler of a running kprobe).
        """
        task.host_stack.extend(host)
        cost.spend(self, "guest_call")
        try:
            return self.cpu.call(task, fn, args, via)
        except (GuestFault, GuestBug) as e:
            if on_fault is not None and isinstance(e, GuestFault):
                on_fault(e)
            self.oops(task, e)
            if fatal and task.kind is TaskKind.USER:
                from kernel.fault import stack_guard_hit
                # no_context() kills with SIGKILL; die() of a trap (and BUG()) with SIGSEGV
                killed = isinstance(e, GuestFault) and (e.trap == "soft lockup" or (
                    e.trap == "page fault" and not stack_guard_hit(task, e.addr)))
                signo = SIGKILL if killed else SIGSEGV
                raise TaskKilled(task.comm, signo) from None
            return -Errno.EFAULT & MASK64
        finally:
            if host:
                del task.host_stack[-len(host):]

    def call_fn(self, fn: int, args: tuple[int, ...], via: str) -> int:
        """Call the function pointer FN that kernel code found in a guest structure (a file
        operation, a seq_operations member): a Python kernel function directly, guest code as
        a call made from host function VIA (fatal to a user task, as run_guest says)."""
        task = self.current
        stub = self.cpu.stub_at(fn)
        if stub is not None:
            assert stub.func is not None
            task.host_stack.append(via)
            try:
                ret = self.cpu.call_host(task, stub, args)
            finally:
                task.host_stack.pop()
            return 0 if ret is None else int(ret) & MASK64
        return self.run_guest(task, fn, args, via=via, fatal=True)

    # --- entry points for the shell ----------------------------------------------------
    def wait_bound(self, ns: int = WAIT_LIMIT_NS) -> WaitBound:
        """The limits of one wait of the shell for the machine (NS of machine time)."""
        return WaitBound(self.clock.now + ns, self.watchdog.cpu_ns + WAIT_CPU_NS, WAIT_EVENTS,
                         self.interrupted)

    def syscall(self, comm: str, fn: Callable[[], T], in_shell: bool = False,
                task: Task | None = None, interruptible: bool = True) -> T:
        """Run FN in a user task (a child process COMM, or the shell itself, or TASK: a
        process that makes several calls and exits when its owner says), driving the
        machine until it returns; its KernelError propagates to the caller.

        An uninterruptible call (the closing of files at exit) is not cut short by Ctrl-C.
        A task that has not returned within the wait's bounds is left as it is (blocked,
        or kept off the CPU if it was running) and SyscallAbandoned is raised; it exits
        whenever its call returns. The shell's own task is then replaced by a new one.
        """
        self.alive_or_raise()
        try:
            return self._syscall(comm, fn, in_shell, task, interruptible)
        except KernelPanic as e:
            raise MachineDead(e.message) from None

    def _syscall(self, comm: str, fn: Callable[[], T], in_shell: bool, task: Task | None,
                 interruptible: bool) -> T:
        keep = task is not None and not in_shell
        if task is None:
            if in_shell:
                task = self.shell
            else:
                task = self.user_task(comm)
                keep = self.command is not None and task is self.command.task
        attach_tty(self, task)
        box: dict[str, Any] = {}

        def body() -> None:
            try:
                for restarts in itertools.count():
                    box.pop("err", None)
                    try:
                        box["ret"] = fn()
                    except (KernelError, TaskKilled) as e:
                        box["err"] = e
                    except (GuestFault, GuestBug) as e:
                        self.oops(task, e)
                        box["err"] = KernelError(Errno.EFAULT)
                    if not self._exit_to_user(task, box, restarts):
                        break
            finally:
                if self.livepatch is not None:
                    self.livepatch.exit_to_usermode(task)
                if box.get("abandoned") and not in_shell:
                    self.sched.exit_task(task)
        self.sched.start(task, body)
        bound = self.wait_bound()
        if not interruptible:
            bound.interrupted = lambda: False
        if not self.sched.run_until(lambda: task._thread is None, bound=bound):
            box["abandoned"] = True
            why = bound.why(self)
            if task in self.sched.runqueue or task.state is TaskState.RUNNING:
                self.sched.park(task)
            if in_shell:
                self.shell = self.new_shell()
            raise SyscallAbandoned(task, why)
        if box.pop("shell_died", False) or (
                not in_shell and not (keep and not isinstance(box.get("err"), TaskKilled))):
            self.sched.exit_task(task)
        else:
            task.state = TaskState.INTERRUPTIBLE
        err = box.pop("err", None)
        if err is not None:
            try:
                raise err
            finally:
                del err         # the traceback holds this frame: no cycle through it
        return box.get("ret")  # type: ignore[return-value]

    def user_task(self, comm: str) -> Task:
        """The task a system call of program COMM is made in: the process of the shell's
        command running now (forked at its first call, as bash forks once and the program
        makes its calls in that process), else a child of the shell of its own. A command's
        process that died, is still in a call or runs another program does not make it."""
        cmd = self.command
        if cmd is None:
            return fork_user(self, comm, self.shell)
        task = cmd.task
        if task is not None and task.state is not TaskState.DEAD and task._thread is None \
                and not task.parked:
            if task.comm == comm:
                return task
            return fork_user(self, comm, self.shell)
        cmd.task = fork_user(self, comm, self.shell)
        return cmd.task

    def command_task(self) -> Task | None:
        """The process of the program the shell runs now (PROGRAM of command_process()),
        forked now if it has made no system call yet; None outside one."""
        cmd = self.command
        if cmd is None or not cmd.comm or self.powered_off or self.panicked is not None:
            return None
        return self.user_task(cmd.comm)

    def command_process(self, program: str = "") -> CommandScope:
        """A shell command runs (PROGRAM, its name), in the returned context: its system
        calls are made in one process, which exits when the command ends (one still in a
        call exits when the call returns)."""
        return CommandScope(self, program)

    def new_shell(self) -> Task:
        """The shell's bash: an interactive bash ignores SIGTERM and SIGQUIT and catches
        SIGINT (here: ignores it), so only other signals end it."""
        from kernel.signal import SIG_IGN, SIGINT, SIGQUIT, SIGTERM, set_handler
        login = next((t for t in self.sched.tasks.values() if t.comm == "sshd"), None)
        t = fork_user(self, "bash", login)
        if t.guest_struct:
            for sig in (SIGINT, SIGQUIT, SIGTERM):
                set_handler(self, t, sig, SIG_IGN)
        return t

    def _exit_to_user(self, task: Task, box: dict[str, Any], restarts: int) -> bool:
        """The way back to user space (arch/x86/entry/common.c, kernel/signal.c get_signal):
        a fatal signal pending kills the task (TaskKilled, as bash reports it); a call that
        gave -ERESTARTSYS (or another restart code) is made again, as no handler is
        installed; True to restart it. Restarts are bounded by the command's wait."""
        err = box.get("err")
        self._addr_limit_user_check(task)
        sig = fatal_signal(self, task)
        if sig:
            if task is self.shell:          # bash died: the shell gets a new one
                from kernel.signal import flush
                flush(self, task)
                self.shell = self.new_shell()
                box["shell_died"] = True
            box["err"] = TaskKilled(task.comm, sig)
            return False
        if isinstance(err, KernelError) and err.errno in RESTART_ERRNOS:
            if restarts < MAX_RESTARTS:
                if self.livepatch is not None:       # TIF_PATCH_PENDING, then the restart
                    self.livepatch.exit_to_usermode(task)
                task.tif_sigpending = False
                cost.spend(self, "syscall")
                self.sched.cond_preempt(task)
                return True
            box["err"] = KernelError(Errno.EINTR)
        return False

    def _addr_limit_user_check(self, task: Task) -> None:
        """addr_limit_user_check() (include/linux/syscalls.h, 4.19): a task going back to user
        space with an address limit other than USER_DS (a module's set_fs(KERNEL_DS) left
        behind) is a data corruption: WARN, and SIGKILL for the task."""
        ts = task.guest_struct
        if not ts:
            return
        at = ts + _TS_ADDR_LIMIT
        if self.mem.u64(at) == USER_DS:
            return
        self.warn_at(WARN_ADDR_LIMIT, "Invalid address limit on user-mode return\n")
        self.mem.set_u64(at, USER_DS)        # the task does not come back to use it
        force_sig_info(self, task, SIGKILL)

    def init_module(self, image: bytes, args: str, comm: str = "insmod") -> None:
        def load() -> None:
            cost.spend(self, "syscall")
            cost.spend(self, "load_module")
            self.loader.load_module(image, args)
        self.syscall(comm, load)

    def delete_module(self, name: str, flags: int = 0, comm: str = "rmmod") -> None:
        def delete() -> None:
            cost.spend(self, "syscall")
            self.loader.delete_module(name, flags)
        self.syscall(comm, delete)

    def sleep_for(self, ns: int | None) -> str | None:
        """The shell's sleep: let NS of machine time pass (None: for ever). None once it has;
        else why the wait was cut short, in words ('interrupted' for Ctrl-C)."""
        self.alive_or_raise()
        forever = ns is None or self.clock.now + ns > KTIME_MAX
        bound = self.wait_bound(WAIT_LIMIT_NS if forever or ns is None else ns)
        try:
            self.sched.run_until(lambda: False, bound=bound)
        except KernelPanic as e:
            raise MachineDead(e.message) from None
        why = bound.why(self)
        if why == "time":
            if not forever:
                return None
            return (f"stopped after {WAIT_LIMIT_NS // NSEC_PER_SEC} s of machine time "
                    "(a sleep that long would never end)")
        if why == "events":
            return f"stopped at {self.clock.now / NSEC_PER_SEC:.6f} s: {WAIT_EVENTS} timer events ran meanwhile"
        if why == "cpu":
            return (f"stopped at {self.clock.now / NSEC_PER_SEC:.6f} s: tasks ran "
                    f"{WAIT_CPU_NS // NSEC_PER_SEC} s of CPU time meanwhile")
        return why

    def run_for(self, ns: int) -> None:
        self.run_until_time(self.clock.now + max(ns, 0))

    def run_until_time(self, when: int) -> None:
        self.alive_or_raise()
        try:
            self.sched.run_until(lambda: False, limit=when)
        except KernelPanic as e:
            raise MachineDead(e.message) from None

    def catch_up(self) -> None:
        """Real-time mode: run the machine up to where the wall clock is now (no-op otherwise,
        and on a machine that has panicked: the panic was on the console)."""
        pacer = self.clock.pacer
        if pacer is not None and self.panicked is None:
            try:
                self.run_until_time(pacer.wall_now())
            except MachineDead:
                pass

    def next_event_time(self) -> int | None:
        return self.clock.next_event_time()

    # --- module glue (called by the loader) --------------------------------------------
    def klp_module_coming(self, mod: Module) -> None:
        if self.livepatch is not None:
            import kernel.livepatch.core as core     # (a from-import would probe core for __path__)
            core.klp_module_coming(self.livepatch, mod)

    def klp_module_going(self, mod: Module) -> None:
        if self.livepatch is not None:
            import kernel.livepatch.core as core
            core.klp_module_going(self.livepatch, mod)

    def copy_module_elf(self, mod: Module) -> object:
        from kernel.livepatch.elf_info import copy_module_elf
        return copy_module_elf(self, mod)

    def mod_sysfs_setup(self, mod: Module) -> None:
        cost.spend(self, "mod_sysfs_setup")
        module_sysfs.mod_sysfs_setup(self, mod)

    def mod_sysfs_teardown(self, mod: Module) -> None:
        module_sysfs.mod_sysfs_teardown(self, mod)

    # --- trouble -----------------------------------------------------------------------
    def oops(self, task: Task, e: BaseException) -> None:
        """Report a guest fault or BUG like die() (kernel/dumpstack.py); the caller kills the task."""
        assert isinstance(e, (GuestFault, GuestBug))
        self.dumpstack.oops(task, e)
        if isinstance(e, GuestFault) and e.trap == "soft lockup":
            return
        # oops_end(): an Oops in interrupt context (a timer, a softirq) cannot kill a task;
        # do_exit() of an idle task neither
        if in_interrupt(task):
            self.panic(FATAL_IN_INTERRUPT)
        if task.kind is TaskKind.IDLE:
            self.panic(KILL_IDLE)

    def kernel_page_fault(self, addr: int, access: str, where: str) -> None:
        """Kernel code WHERE (a host function) faulted on ADDR: the Oops, in the current task
        (which the caller ends; in interrupt context the machine panics)."""
        from kernel.fault import error_code
        task = self.current
        rip = self.cpu.host_addr(where)
        # under a guest call: the guest's registers at the call into the kernel, RIP in the
        # slot of the function that faulted; else what host code has (its stack pointer)
        regs = self.cpu.regs(task) or self.cpu._host_regs(task, rip)
        regs["rip"] = rip
        trace = (self.cpu.stack_trace(task) or [])[1:] if task.host_stack[-1:] == [where] else \
            self.cpu.stack_trace(task) or []
        self.oops(task, GuestFault(f"{access} fault", rip, addr, regs, trace, trap="page fault",
                                   error_code=error_code(self.pagetable, addr, access), access=access))

    def panic(self, text: str) -> None:
        """panic() (kernel/panic.py): the report, then nothing runs on this machine again."""
        panic(self, text)

    def alive_or_raise(self) -> None:
        """Entry points of a machine that has panicked answer MachineDead."""
        if self.panicked is not None:
            raise MachineDead(self.panicked)

    @property
    def oops_count(self) -> int:
        """How many oopses this machine has reported (die_counter)."""
        return self.dumpstack.die_counter if "dumpstack" in self.__dict__ else 0

    def warn(self, file: str, line: int, caller: int, msg: str = "",
             frames: Sequence[str] = ()) -> None:
        """__warn(): the WARNING splat, taint W, execution continues.

        CALLER is where the WARN is: in guest code (warn_slowpath_*: the call trace starts at
        its caller) or a host function's slot (a WARN in kernel code the guest called: FRAMES
        name the host functions between it and the guest's call, innermost first)."""
        task = self.current
        trace = self.cpu.stack_trace(task) or []
        if STUB_BASE <= caller < STUB_END:
            here = self.kallsyms.lookup(caller)
            # the RIP's function is not in its own call trace, which starts at its caller
            names = [f for f in frames if here is None or f != here.name]
            first = self.kallsyms.lookup(trace[0]) if trace else None
            if here is not None and first is not None and first.name in (here.name, *names[-1:]):
                trace = trace[1:]           # the function the guest called: FRAMES has it
            trace = [self.cpu.host_addr(f) for f in names] + trace
        else:
            trace = trace[2:]
        self.dumpstack.warn(task, file, line, caller, trace, msg)

    def warn_at(self, site: "WarnSite", msg: str = "", frames: Sequence[str] | None = None) -> None:
        """A WARN*() of the kernel's own code at SITE (a *_ONCE site reports once per machine);
        MSG is WARN()'s formatted message, none for WARN_ON(); FRAMES, if given, stand for the
        site's callers (a WARN reached by more than one path)."""
        if site.once:
            if site.key in self.printk.once:
                return
            self.printk.once.add(site.key)
        if site.ratelimit:                  # WARN_RATELIMIT()
            rs = self.ratelimits.setdefault(site.key, RateLimit())
            if not rs.ok(self.printk, self.clock.jiffies, site.func):
                return
        place = self.profile.warn_place(site.file, site.line, site.func)
        if place is None:                   # this kernel has no such WARN
            return
        line, func = place
        callers = site.callers if frames is None else frames
        if self.sched.current is None:
            # 4.19 always has a current task; here host code may run between tasks (a shell
            # command's own work): report it as the boot CPU's idle task would
            task = self.sched.idle[0] if self.sched.idle else None
            if task is None:
                return
            self.dumpstack.warn(task, site.file, line, self.cpu.host_addr(func),
                                [self.cpu.host_addr(f) for f in callers], msg)
            return
        self.warn(site.file, line, self.cpu.host_addr(func), msg, frames=callers)

    def unchecked(self, what: str, on_419: str) -> None:
        """Misuse 4.19 does not check here (it goes on with garbage, or faults later): klpsh
        says so in its own name, not as a kernel WARN (no splat, no taint)."""
        self.printk.log(KERN_WARNING, f"klpsh: {what} (4.19 does not check this: {on_419})")

    def dump_stack(self, task: Task | None, frames: Sequence[str] = ()) -> None:
        if task is not None:
            self.dumpstack.dump_stack(task, frames)

