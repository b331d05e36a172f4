"""kill [-s SIGSPEC | -n SIGNUM | -SIGSPEC] PID... | kill -l [SIGSPEC]: bash's builtin.

Each PID gets the signal as kill(2) sends it (kernel/signal.c kill_pid_info: the thread group's
shared pending set, SI_USER from the shell), in the shell's own task, so what it wakes runs
before the prompt comes back. A kernel thread ignores what it has not allow_signal()ed; a user
task that a fatal signal reaches dies of it (a tool left in the kernel, a daemon); an
interactive bash ignores SIGTERM, SIGQUIT and SIGINT. Process groups (PID 0 or negative) are
not supported.
"""

from __future__ import annotations

from kernel.errno import Errno, KernelError, strerror
from kernel.sched import TaskKilled
from klpsh.tools import ShellExit, ToolContext, tool

SIGNAMES = ("HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
            "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
            "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS")
ALIASES = {"IOT": 6, "POLL": 29, "CLD": 17}
SIGRTMIN, SIGRTMAX = 34, 64          # glibc keeps 32 and 33 for itself
USAGE = "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]"


def signame(sig: int) -> str:
    """bash's name of SIG without SIG (RTMIN+N, RTMAX-N for the real-time ones)."""
    if 1 <= sig <= len(SIGNAMES):
        return SIGNAMES[sig - 1]
    if sig == SIGRTMIN:
        return "RTMIN"
    if sig == SIGRTMAX:
        return "RTMAX"
    if SIGRTMIN < sig <= SIGRTMIN + 15:
        return f"RTMIN+{sig - SIGRTMIN}"
    if SIGRTMIN + 15 < sig < SIGRTMAX:
        return f"RTMAX-{SIGRTMAX - sig}"
    return ""


def parse_signal(spec: str) -> int | None:
    """A signal by number or name (case-insensitive, SIG optional); None if there is none."""
    if spec.isdigit():
        n = int(spec)
        return n if n == 0 or signame(n) else None
    name = spec.upper()
    if name.startswith("SIG"):
        name = name[3:]
    if name in ALIASES:
        return ALIASES[name]
    for sig in list(range(1, len(SIGNAMES) + 1)) + list(range(SIGRTMIN, SIGRTMAX + 1)):
        if signame(sig) == name:
            return sig
    return None


def _list(ctx: ToolContext, specs: list[str]) -> int:
    if specs:
        status = 0
        for spec in specs:
            if spec.isdigit():
                n = int(spec)
                n = n - 128 if n > 128 else n        # an exit status: 128 + the signal
                name = signame(n)
            else:
                sig = parse_signal(spec)
                name = str(sig) if sig else ""
            if not name:
                ctx.errln(f"bash: kill: {spec}: invalid signal specification")
                status = 1
            else:
                ctx.outln(name)
        return status
    sigs = list(range(1, len(SIGNAMES) + 1)) + list(range(SIGRTMIN, SIGRTMAX + 1))
    cells = [f"{s:2d}) SIG{signame(s)}" for s in sigs]
    for i in range(0, len(cells), 5):
        ctx.outln("\t".join(c.ljust(11) for c in cells[i:i + 5]).rstrip())
    return 0


@tool("kill", "kill [-s SIG | -SIG] PID... | kill -l", "send a signal to tasks (kernel threads too)")
def kill(ctx: ToolContext, args: list[str]) -> int:
    sig = 15
    if args and args[0] in ("-l", "-L"):
        return _list(ctx, args[1:])
    if args and args[0] in ("-s", "-n"):
        if len(args) < 2:
            ctx.errln(f"bash: kill: {args[0]}: option requires an argument")
            ctx.errln(USAGE)
            return 2
        spec, args = args[1], args[2:]
        got = parse_signal(spec)
        if got is None:
            ctx.errln(f"bash: kill: {spec}: invalid signal specification")
            return 1
        sig = got
    elif args and args[0] == "--":
        args = args[1:]
    elif args and args[0].startswith("-") and len(args[0]) > 1:
        got = parse_signal(args[0][1:])
        if got is None:
            ctx.errln(f"bash: kill: {args[0][1:]}: invalid signal specification")
            return 1
        sig, args = got, args[1:]
    if not args:
        ctx.errln(USAGE)
        return 2
    status = 0
    for word in args:
        status = _kill_one(ctx, word, sig) or status
    return status


def _kill_one(ctx: ToolContext, word: str, sig: int) -> int:
    k = ctx.kernel
    text = word[1:] if word.startswith("-") else word
    if not text.isdigit():
        ctx.errln(f"bash: kill: {word}: arguments must be process or job IDs")
        return 1
    pid = int(word)
    if pid <= 0:
        ctx.errln(f"klpsh: kill: {word}: process groups are not supported")
        return 1
    task = k.sched.tasks.get(pid)
    if task is None or not task.alive:
        ctx.errln(f"bash: kill: ({pid}) - No such process")
        return 1
    shell = k.shell

    def send() -> None:
        from kernel import signal as sg
        rv = sg.send_signal(k, task, sig, sg.Info(sig, sg.SI_USER, shell.pid), group=True)
        if rv < 0:
            raise KernelError(-rv)
    try:
        k.syscall("bash", send, in_shell=True)
    except TaskKilled as e:          # the shell itself died of it: the session ends
        raise ShellExit(128 + e.signo) from None
    except KernelError as e:
        if e.errno == Errno.ESRCH:
            ctx.errln(f"bash: kill: ({pid}) - No such process")
        else:
            ctx.errln(f"bash: kill: ({pid}) - {strerror(e.errno)}")
        return 1
    return 0
