"""Signals as 4.19 keeps them, end to end through the shell: the pending and blocked sets in
the task_struct (a module reading current->pending sees them), kernel threads that
allow_signal() and dequeue what they take, send_sig() to the reader of a file, and the
shell's `kill` reaching kernel threads and a tool left asleep in a module's read or open
(tests/modules/sleep_demo.c, after LKMPG's sleep.c, and tests/modules/sig_demo.c)."""

from __future__ import annotations

import re

import pytest

from conftest import needs_gcc, needs_kernel
from kernel.abi import SignalStruct, TaskStruct
from shell_session import STAMP, module_shell, run

pytestmark = [needs_kernel, needs_gcc]

LEFT = re.compile(r"klpsh: cat \(pid (\d+)\) has not returned after 300 s of machine time; "
                  r"it stays in the kernel, in state S \(see ps\)")


@pytest.fixture
def shell(kernel, tmp_path, test_module):
    return module_shell(kernel, tmp_path, test_module, *("sleep_demo", "sig_demo"))


def ps(sh) -> dict[int, str]:
    return {int(ln.split()[0]): ln.split()[-1] for ln in run(sh, "ps")[1:]}


def left_in_kernel(sh, line: str) -> int:
    """Run a cat that blocks; the pid the shell says it left in the kernel."""
    out = run(sh, line)
    m = LEFT.fullmatch(out[-1])
    assert m, out
    return int(m[1])


def test_kill_wakes_the_reader_and_the_opener_lkmpg_sleep(shell, kernel):
    run(shell, "insmod sleep_demo.ko")
    reader = left_in_kernel(shell, "cat /proc/sleep_demo")       # holds the file, waits for data
    assert run(shell, "cat --nonblock /proc/sleep_demo") == [
        "cat: /proc/sleep_demo: Resource temporarily unavailable"]
    out = run(shell, "cat /proc/sleep_demo")
    assert out[0] == f"sleep_demo: cat (pid {reader + 2}) waits for the file"
    opener = int(LEFT.fullmatch(out[-1])[1])
    assert ps(shell)[reader] == ps(shell)[opener] == "cat"
    # SIGINT to the one waiting in open(): its wait ends, the module sees the bit in
    # current->pending (not in current->blocked) and says -EINTR; cat dies of the signal
    assert run(shell, f"kill -INT {opener}") == [
        f"sleep_demo: cat (pid {opener}): open interrupted by a signal"]
    assert opener not in ps(shell)
    # SIGKILL to the reader: wait_event_interruptible() gives -ERESTARTSYS with the signal
    # pending; the file is closed as the task exits
    assert run(shell, f"kill -KILL {reader}") == [
        f"sleep_demo: cat (pid {reader}): read interrupted, signal pending 1"]
    assert reader not in ps(shell)
    assert run(shell, "kill -KILL %d" % reader) == [f"bash: kill: ({reader}) - No such process"]
    assert run(shell, "echo hello > /proc/sleep_demo") == []
    assert run(shell, "cat /proc/sleep_demo") == ["hello"]
    assert run(shell, "rmmod sleep_demo") == []


def test_a_signal_the_tool_ignores_leaves_the_read_asleep(shell, kernel):
    run(shell, "insmod sleep_demo.ko")
    reader = left_in_kernel(shell, "cat /proc/sleep_demo")
    assert run(shell, f"kill -WINCH {reader}") == []           # SIG_DFL ignores it: not queued
    assert run(shell, f"kill -s CHLD {reader}") == []
    task = kernel.sched.tasks[reader]
    assert not task.sigpending and task.state.value == "S"
    assert run(shell, f"kill {reader}") == [
        f"sleep_demo: cat (pid {reader}): read interrupted, signal pending 1"]
    assert reader not in ps(shell)


def test_kthread_takes_what_it_allowed(shell, kernel):
    out = run(shell, "insmod sig_demo.ko")
    worker = int(re.fullmatch(r"sig_demo: worker (\d+): ignores SIGINT: 1", out[0])[1])
    assert ps(shell)[worker] == "sigworker"
    assert run(shell, f"kill -INT {worker}") == []              # not allowed: ignored
    shell_pid = kernel.shell.pid
    for _ in range(2):
        assert run(shell, f"kill -USR1 {worker}") == [
            "sig_demo: worker: woken by a signal, pending 1",
            f"sig_demo: worker: took signal 10 (code 0, from pid {shell_pid})"]
    assert run(shell, f"kill {worker}") == [
        "sig_demo: worker: woken by a signal, pending 1",
        f"sig_demo: worker: took signal 15 (code 0, from pid {shell_pid})",
        "sig_demo: worker: ends on SIGTERM, pending 0"]
    assert worker not in ps(shell)
    assert run(shell, "rmmod sig_demo") == ["sig_demo: kthread_stop: 3"]


def test_kthread_stop_without_signals(shell):
    run(shell, "insmod sig_demo.ko")
    assert run(shell, "rmmod sig_demo") == ["sig_demo: worker: stopped", "sig_demo: kthread_stop: 0"]


def test_signals_a_module_sends_to_its_reader(shell, kernel):
    run(shell, "insmod sig_demo.ko")
    run(shell, "echo 1 > /sys/module/sig_demo/parameters/mode")
    n = len(shell.output)
    assert shell.run_line("cat /proc/sig_demo") == 138           # 128 + SIGUSR1, as bash has it
    assert shell.output[n + 1:] == ["User defined signal 1"]
    run(shell, "echo 2 > /sys/module/sig_demo/parameters/mode")
    assert run(shell, "cat /proc/sig_demo") == ["pending 1 blocked 1 signal_pending 0"]
    run(shell, "echo 3 > /sys/module/sig_demo/parameters/mode")
    assert run(shell, "cat /proc/sig_demo") == ["signal_pending 0"]
    # -EINTR after flush_signals(): no signal is left to act on, so cat sees the error
    run(shell, "echo 4 > /sys/module/sig_demo/parameters/mode")
    assert run(shell, "cat /proc/sig_demo") == ["cat: /proc/sig_demo: Interrupted system call"]
    run(shell, "rmmod sig_demo")


def test_kill_of_daemons_and_the_shell(shell, kernel):
    names = ps(shell)
    sshd = next(pid for pid, name in names.items() if name == "sshd")
    assert run(shell, f"kill {sshd}") == []
    assert sshd not in ps(shell)
    assert run(shell, "kill -9 1") == [] and ps(shell)[1] == "systemd"    # init: unkillable
    bash = kernel.shell.pid
    assert run(shell, f"kill {bash}") == [] and run(shell, f"kill -INT {bash}") == []
    assert kernel.shell.pid == bash
    assert shell.run_line(f"kill -9 {bash}") == 137 and shell.exit_status == 137


def test_task_struct_signal_members(kernel):
    task = kernel.shell
    ts = kernel.task_struct(task)
    sig = kernel.mem.u64(ts + TaskStruct.signal.offset)
    assert sig and kernel.mem.u64(sig + SignalStruct.curr_target.offset) == ts
    pending = ts + TaskStruct.pending.offset
    assert kernel.mem.u64(pending) == pending                  # an empty list
    from kernel import signal as sg
    sg.set_blocked(kernel, task, sg.sigmask(sg.SIGUSR1))      # blocked: queued, not acted on
    assert sg.send_signal(kernel, task, sg.SIGUSR1) == 0
    assert kernel.mem.u64(pending + 16) == sg.sigmask(sg.SIGUSR1)
    assert sg.send_signal(kernel, task, sg.SIGUSR1, group=True) == 0
    shared = sig + SignalStruct.shared_pending.offset + 16
    assert kernel.mem.u64(shared) == sg.sigmask(sg.SIGUSR1)
    assert not task.sigpending
    sg.set_blocked(kernel, task, 0)
    assert task.sigpending
    sg.flush(kernel, task)
    assert not task.sigpending and kernel.mem.u64(shared) == 0
    assert sg.send_signal(kernel, task, 65) < 0


def test_kill_usage_and_names(shell):
    assert run(shell, "kill -l 15") == ["TERM"]
    assert run(shell, "kill -l TERM") == ["15"]
    assert run(shell, "kill -l 143") == ["TERM"]
    assert run(shell, "kill -l")[0].startswith(" 1) SIGHUP")
    assert run(shell, "kill -FOO 1") == ["bash: kill: FOO: invalid signal specification"]
    assert run(shell, "kill x") == ["bash: kill: x: arguments must be process or job IDs"]
    assert run(shell, "kill 0") == ["klpsh: kill: 0: process groups are not supported"]
    assert run(shell, "kill")[0].startswith("kill: usage:")
    assert run(shell, "kill -s") == ["bash: kill: -s: option requires an argument",
                                     run(shell, "kill")[0]]


def test_sighand_structs_come_from_their_own_cache(kernel):
    """fork_init()'s sighand_cache: 2112-byte objects, 15 to an order-3 slab (not kmalloc-4096),
    so 100,000 tasks fit the heap; a reaped task's goes back to the cache."""
    from kernel.abi import SighandStruct
    from kernel.sched import TaskKind
    cache = kernel.slab.sighand_cache
    assert cache is not None and (cache.size, cache.order, cache.objs_per_slab) == (2112, 3, 15)
    tasks = [kernel.sched.new_task(f"t{i}", TaskKind.USER, parent=kernel.shell) for i in range(20)]
    shs = [kernel.mem.u64(kernel.task_struct(t) + TaskStruct.sighand.offset) for t in tasks]
    assert all(sh in cache.inuse for sh in shs) and len(set(shs)) == 20
    assert all(kernel.mem.valid(sh, SighandStruct.size) for sh in shs)
    gaps = [b - a for a, b in zip(sorted(shs), sorted(shs)[1:])]
    assert gaps.count(2112) >= 13                                # side by side in a slab
    before = len(cache.inuse)
    kernel.sched.exit_task(tasks[0])
    assert len(cache.inuse) == before - 1 and shs[0] in cache.free


def test_ctrl_c_ends_the_wait_in_open(shell, kernel):
    from kernel.sched import TaskState
    run(shell, "insmod sleep_demo.ko")
    reader = left_in_kernel(shell, "cat /proc/sleep_demo")
    shell.interrupted = lambda: any(t.comm == "cat" and t.pid != reader and t._thread is not None
                                    and t.state is TaskState.INTERRUPTIBLE
                                    for t in kernel.sched.all_tasks())
    n = len(shell.output)
    assert shell.run_line("cat /proc/sleep_demo") == 130
    out = [STAMP.sub("", ln) for ln in shell.output[n + 1:]]
    assert out[0].endswith("waits for the file") and out[1].endswith("open interrupted by a signal")
    shell.interrupted = lambda: False
    assert [name for name in ps(shell).values()].count("cat") == 1
    run(shell, f"kill -9 {reader}")
    assert run(shell, "rmmod sleep_demo") == []
