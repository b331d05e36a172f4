"""procfs: /proc/<pid>/{comm,stack,patch_state,status}, /proc/modules, /proc/cmdline and
/proc/meminfo (vmlinux's own show functions, as proc_create_single() entries), /proc/interrupts
and /proc/softirqs,
/proc/dynamic_debug/control, /proc/kallsyms; entries modules create are in kernel/fs/procfs.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.errno import Errno, KernelError
from kernel.fs import Attr, Dir, Symlink
from kernel.fs.procfs import SINGLE_FOPS, Procfs

ULONG_MAX = (1 << 64) - 1
MAX_STACK_TRACE_DEPTH = 64            # fs/proc/base.c

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.sched import Task


# fs/proc/array.c task_state_array: what "State:" says after the letter
TASK_STATE_NAMES = {"R": "running", "S": "sleeping", "D": "disk sleep", "T": "stopped",
                    "t": "tracing stop", "X": "dead", "Z": "zombie", "P": "parked", "I": "idle"}


def proc_pid_status(task: "Task") -> str:
    """proc_pid_status()'s identity part, in 4.19's order (Name to Gid; every task is
    root's, in the initial namespaces, untraced); memory, signal and capability lines are
    not modelled."""
    letter = task.state.value
    return (f"Name:\t{task.proc_comm}\nUmask:\t0022\n"
            f"State:\t{letter} ({TASK_STATE_NAMES.get(letter, letter)})\n"
            f"Tgid:\t{task.pid}\nNgid:\t0\nPid:\t{task.pid}\nPPid:\t{task.ppid}\nTracerPid:\t0\n"
            "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n")


def _pid_dir(k: "Kernel", task: "Task") -> Dir:
    def stack() -> str:
        # save_stack_trace_tsk() (x86, before 5.2) fills at most MAX_STACK_TRACE_DEPTH entries
        # and ends them with ULONG_MAX where there is room; proc_pid_stack() prints that one
        # too, with %pB: "0xffffffffffffffff".
        trace = (k.cpu.stack_trace(task) or [])[:MAX_STACK_TRACE_DEPTH]
        if len(trace) < MAX_STACK_TRACE_DEPTH:
            trace.append(ULONG_MAX)
        return "".join(f"[<0>] {k.kallsyms.sprint_symbol(a)}\n" for a in trace)
    return Dir({
        "comm": Attr(0o644, lambda: task.proc_comm + "\n"),
        "patch_state": Attr(0o444, lambda: f"{task.patch_state}\n"),
        "stack": Attr(0o400, stack),
        "status": Attr(0o444, lambda: proc_pid_status(task)),
    })


def _self_link(k: "Kernel") -> dict[str, Symlink]:
    """/proc/self (proc_self_get_link()): the pid of the task looking it up; a lookup the
    shell's tool makes is its process's (forked now if need be), else the shell's."""
    task = k.sched.current or k.command_task() or k.shell
    return {"self": Symlink(str(task.pid))} if task is not None else {}


def proc_modules(k: "Kernel") -> str:
    """m_show() over the modules list, which list_add_rcu() keeps newest first."""
    lines = []
    for m in reversed(list(k.loader.modules.values())):
        if m.state.name == "UNFORMED":
            continue
        users = ",".join(m.holders) + "," if m.holders else "-"
        state = {"LIVE": "Live", "COMING": "Loading", "GOING": "Unloading"}[m.state.name]
        lines.append(f"{m.name} {m.core_size} {m.refcnt} {users} {state} 0x0000000000000000"
                     + (f" {m.flags()}" if m.taints else ""))
    return "".join(line + "\n" for line in lines)


def proc_kallsyms(k: "Kernel") -> str:
    """kallsyms_open()'s s_show() over every symbol: vmlinux's in address order, then each
    module's (newest first, as module_get_kallsym() walks the list) in symbol-table order,
    "[module]" after a tab, the letter capital only if the module exports the name; a live
    module's init sections are freed, and their symbols with them. Root reads the addresses
    (kallsyms_show_value(): CAP_SYSLOG)."""
    lines = [f"{s.addr:016x} {s.type} {s.name}\n"
             for s in sorted(k.kallsyms.owner_syms("vmlinux"), key=lambda s: s.addr) if s.name]
    for m in reversed(list(k.loader.modules.values())):
        if m.state.name == "UNFORMED":
            continue
        freed = [] if m.state.name != "LIVE" else [
            (m.section_addr[s.index], m.section_addr[s.index] + s.sh_size)
            for s in m.image.sections if s.name.startswith(".init") and s.index in m.section_addr]
        for s in m.symbols:
            if not s.name or any(lo <= s.addr < hi for lo, hi in freed):
                continue
            letter = s.type.upper() if s.name in m.exports else s.type.lower()
            lines.append(f"{s.addr:016x} {letter} {s.name}\t[{m.name}]\n")
    return "".join(lines)


def _dyndbg_store(k: "Kernel", text: str) -> None:
    for q in text.replace(";", "\n").splitlines():
        if q.strip():
            try:
                k.printk.dyndbg.control(q)
            except ValueError:
                raise KernelError(Errno.EINVAL) from None


def _interrupts(k: "Kernel", ncpus: int) -> str:
    """/proc/interrupts (kernel.irq comes in with the first read: a start needs none of it)."""
    from kernel.irq import irqs
    return irqs(k).show(ncpus)


def _tainted_store(k: "Kernel", text: str) -> None:
    """/proc/sys/kernel/tainted: add a mask (kstrtoull() of kernel/module/params.py, which a
    boot needs for nothing else)."""
    from kernel.module.params import kstrtoull
    k.add_taint_mask(kstrtoull(text))


def proc_init(k: "Kernel") -> None:
    proc = k.vfs.root.mkdir("proc")
    from kernel.machine import NR_CPUS
    proc.dynamic = lambda: _self_link(k) | {str(t.pid): _pid_dir(k, t) for t in k.sched.all_tasks()}
    proc.children["modules"] = Attr(0o444, lambda: proc_modules(k))
    proc.children["kallsyms"] = Attr(0o444, lambda: proc_kallsyms(k))
    proc.children["interrupts"] = Attr(0o444, lambda: _interrupts(k, NR_CPUS))
    proc.children["softirqs"] = Attr(0o444, lambda: k.softirq.show(NR_CPUS))
    proc.children["uptime"] = Attr(0o444, lambda: f"{k.clock.now / 1e9:.2f} {k.clock.now / 1e9 * 1.9:.2f}\n")
    proc.children["version"] = Attr(0o444, lambda: k.profile.proc_version)
    proc.children["sys"] = Dir({"kernel": Dir({"tainted": Attr(
        0o644, lambda: f"{k.taint_mask()}\n", lambda s: _tainted_store(k, s))})})
    proc.mkdir("dynamic_debug").children["control"] = Attr(
        0o644, lambda: k.printk.dyndbg.show(), lambda s: _dyndbg_store(k, s))
    k.procfs = Procfs(k, proc)
    for name in ("fs", "driver", "bus"):        # proc_root_init(): where drivers put their files
        k.procfs.mkdir(name, 0, None, 0)
    table = k.vmlinux.symbol("klpsh_proc_entries") if k.vmlinux else None
    if table:
        # the vmlinux show functions, registered as 4.19 does: proc_create_single()
        mem = k.mem
        fops = k.procfs.builtin_fops("proc_single_fops", SINGLE_FOPS)
        ent = table
        while mem.u64(ent):
            de = k.procfs.create_reg(mem.cstr(mem.u64(ent)), 0, None, 0, fops)
            if de is not None:
                de.single_show = mem.u64(ent + 8)
            ent += 16
