"""Where klpsh printed something other than 4.19: %pG flag names, module taint letters and
the order of the modules list, wq_worker_comm, one running task per CPU, short sysfs writes."""

from __future__ import annotations

import pytest

from conftest import needs_kernel

pytestmark = needs_kernel


def test_pG_prints_flag_names_as_4_19(kernel, test_module):
    kernel.init_module(test_module("pg_flags"), "")
    out = [l for l in kernel.lines if l.startswith(("gfp", "page"))]
    assert out == [
        "gfp 0 [GFP_KERNEL]",
        "gfp 1 [GFP_ATOMIC|__GFP_ZERO]",
        "gfp 2 [GFP_KERNEL|__GFP_NOWARN]",
        "gfp 3 [__GFP_HIGH]",
        "gfp 4 [GFP_HIGHUSER_MOVABLE]",
        "gfp 5 [0x1000000]",               # a bit no name covers stays numeric
        "gfp 6 []",
        "page [locked|uptodate|lru] vma [read|write|mayread|maywrite|account]",  # zone bits dropped
    ]


REPO = __import__("pathlib").Path(__file__).resolve().parent.parent
SYS = "/sys/kernel/livepatch"
DEMO = "livepatch_callbacks_demo"


class Sh:
    """A booted machine and the batch shell on it; `run` returns what a line printed."""

    def __init__(self) -> None:
        import re

        from kernel.machine import Kernel
        from klpsh.shell import Shell

        self.k = Kernel.boot(clock_mode="virtual")
        self.out: list[str] = []
        self.shell = Shell(self.k, self.out.append, cwd=REPO)
        self._kline = re.compile(r"^\[ *\d+\.\d{6}\] ")

    def run(self, line: str, stamps: bool = False) -> list[str]:
        start = len(self.out)
        self.shell.run_line(line)
        got = self.out[start + 1:]
        assert not any("Traceback" in t or "internal error" in t for t in got), got
        return got if stamps else [self._kline.sub("", t) for t in got]


@pytest.fixture
def sh():
    s = Sh()
    yield s
    s.k.shutdown()


def test_echo_1_with_a_positive_pre_patch_return_is_a_short_write_then_EINVAL(sh):
    """enabled_store() passes the callback's 1 up as the count written: stdio writes the rest
    ("\\n"), which kstrtobool() refuses."""
    sh.run("insmod samples/livepatch/livepatch-callbacks-demo.ko")
    sh.run(f"echo 0 > {SYS}/{DEMO}/enabled")
    sh.run("sleep 2")
    sh.run(f"echo 1 > /sys/module/{DEMO}/parameters/pre_patch_ret")
    got = sh.run(f"echo 1 > {SYS}/{DEMO}/enabled")
    assert "livepatch: pre-patch callback failed for object 'vmlinux'" in got
    assert got[-1] == "bash: echo: write error: Invalid argument"
    assert not any("Operation not permitted" in t for t in got)


def test_lsmod_and_proc_modules_list_newest_first_with_4_19_taint_letters(sh):
    sh.run("insmod samples/livepatch/livepatch-callbacks-mod.ko")
    sh.run("insmod samples/livepatch/livepatch-callbacks-demo.ko")
    mods = sh.run("cat /proc/modules")
    assert [m.split()[0] for m in mods] == ["livepatch_callbacks_demo", "livepatch_callbacks_mod"]
    lsmod = sh.run("lsmod")
    assert [m.split()[0] for m in lsmod[1:]] == ["livepatch_callbacks_demo", "livepatch_callbacks_mod"]
    k = sh.k
    demo = k.modules["livepatch_callbacks_demo"]
    demo.taints |= {"O"}   # as an out-of-tree build of it would carry
    assert sh.run("cat /proc/modules")[0].endswith(" (OK)")
    assert sh.run(f"cat /sys/module/{DEMO}/taint") == ["OK"]


def test_kworkers_show_their_workqueue_and_ps_shows_the_idle_tasks(sh):
    sh.run("insmod samples/livepatch/livepatch-callbacks-busymod.ko")
    sh.run("sleep 1")
    rows = sh.run("ps")
    names = [r.split(None, 3)[3] for r in rows[1:]]
    assert "swapper/0" in names and "swapper/1" in names
    worker = next(n for n in names if n.startswith("kworker/") and n.endswith("-events"))
    pid = next(r.split()[0] for r in rows[1:] if r.endswith(worker))
    assert sh.run(f"cat /proc/{pid}/comm") == [worker]
    assert sh.run(f"cat /proc/{pid}/status")[0] == f"Name:\t{worker}"


class _Context:
    """Stands for the execution context of a task that has code on a CPU."""

    def __init__(self, task: object) -> None:
        self.task = task


def test_one_running_task_per_cpu(sh):
    """A second task on a CPU takes CPU 1 from swapper/1: the idle task is then not running."""
    from kernel.sched import TaskKind, TaskState

    k = sh.k
    assert k.cpu_idle(1)
    me = k.sched.new_task("checker", TaskKind.KTHREAD)
    t = k.sched.new_task("spinner", TaskKind.KTHREAD)
    t.state = TaskState.RUNNING
    ctx = _Context(t)
    t._thread = ctx               # has code on a CPU, neither queued nor the one running now
    k.sched._threads[ctx] = None
    k.sched.current = me
    try:
        assert k.sched.on_cpu() == [me, t]
        assert not k.cpu_idle(0) and not k.cpu_idle(1)
        from kernel.livepatch.transition import _task_running
        on_cpu = frozenset(k.sched.on_cpu())
        assert not _task_running(k.livepatch, k.sched.idle[1], on_cpu), \
            "swapper/1 is not running beside it"
        assert _task_running(k.livepatch, t, on_cpu)
    finally:
        t._thread = None
        k.sched._threads.pop(ctx, None)
        k.sched.current = None
