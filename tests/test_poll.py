"""poll(2) through the shell's `poll` tool: a driver's f_op->poll with poll_wait() on its wait
queue (tests/modules/poll_demo.c), the requested-events filter, the timeout, a timer's
wake_up_interruptible() waking the poller, kill of a poller left in the kernel, and files
without ->poll (DEFAULT_POLLMASK)."""

from __future__ import annotations

import re

import pytest

from conftest import needs_gcc, needs_kernel
from shell_session import STAMP, module_shell, run

pytestmark = [needs_kernel, needs_gcc]

DEV = "/dev/poll_demo"


@pytest.fixture
def shell(kernel, tmp_path, test_module):
    sh = module_shell(kernel, tmp_path, test_module, "poll_demo")
    sh.run_line("insmod poll_demo.ko")
    return sh


def test_poll_reports_what_the_driver_says(shell):
    assert run(shell, f"poll {DEV} 0") == [
        "poll_demo: poll 1 by poll: waits 1, mask 0x104",
        f"poll([{{{DEV}, events=POLLIN}}], 1, 0) = 0 (Timeout)"]
    assert run(shell, f"poll -w {DEV}") == [
        "poll_demo: poll 2 by poll: waits 1, mask 0x104",
        f"poll([{{{DEV}, events=POLLIN|POLLOUT}}], 1, -1) = 1 ([{{{DEV}, revents=POLLOUT}}])"]
    run(shell, f"echo hi > {DEV}")
    assert run(shell, f"poll -e in,rdnorm,out {DEV}")[-1] == (
        f"poll([{{{DEV}, events=POLLIN|POLLOUT|POLLRDNORM}}], 1, -1) = 1 "
        f"([{{{DEV}, revents=POLLIN|POLLOUT|POLLRDNORM}}])")
    assert run(shell, f"cat --nonblock {DEV}") == [
        "hi", f"cat: {DEV}: Resource temporarily unavailable"]


def test_a_timer_wakes_the_poller(shell):
    run(shell, f"echo later > {DEV}")
    out = run(shell, f"poll {DEV} 2000", stamps=True)
    assert [STAMP.sub("", ln) for ln in out] == [
        "poll_demo: poll 1 by poll: waits 1, mask 0x104",
        "poll_demo: timer filled 5 bytes",
        "poll_demo: poll 2 by poll: waits 0, mask 0x145",     # polled again, not queued again
        f"poll([{{{DEV}, events=POLLIN}}], 1, 2000) = 1 ([{{{DEV}, revents=POLLIN}}])"]
    t0, t1 = (float(STAMP.match(ln)[1]) for ln in out[:2])
    assert 0.9 < t1 - t0 < 1.2                                   # HZ after the write


def test_the_timeout_and_a_signal_end_the_wait(shell):
    out = run(shell, f"poll {DEV} 100", stamps=True)
    assert out[-1] == f"poll([{{{DEV}, events=POLLIN}}], 1, 100) = 0 (Timeout)"
    t0, t1 = (float(STAMP.match(ln)[1]) for ln in out[:2])
    assert 0.09 < t1 - t0 < 0.12
    out = run(shell, f"poll {DEV}")
    m = re.fullmatch(r"klpsh: poll \(pid (\d+)\) has not returned after 300 s of machine time; "
                     r"it stays in the kernel, in state S \(see ps\)", out[-1])
    assert m, out
    assert run(shell, f"kill {m[1]}") == ["poll_demo: poll 4 by poll: waits 0, mask 0x104"]
    assert m[1] not in " ".join(run(shell, "ps"))


def test_files_without_poll_are_always_ready(shell):
    run(shell, "echo x > /tmp/f")
    assert run(shell, "poll -w /tmp/f") == [
        "poll([{/tmp/f, events=POLLIN|POLLOUT}], 1, -1) = 1 ([{/tmp/f, revents=POLLIN|POLLOUT}])"]
    assert run(shell, "poll /proc/version")[-1].endswith("revents=POLLIN}])")
    assert run(shell, "poll /sys/kernel/livepatch") == ["poll: /sys/kernel/livepatch: Is a directory"]
    assert run(shell, "poll /none") == ["poll: /none: No such file or directory"]
    assert run(shell, f"poll -e bogus {DEV}") == ["poll: invalid events: 'bogus'"]
    assert run(shell, f"poll {DEV} soon") == ["poll: invalid timeout: 'soon'"]


def test_ctrl_c_ends_a_poll_that_waits(shell, kernel):
    from kernel.sched import TaskState
    # the user presses Ctrl-C once poll sleeps on the device's wait queue
    shell.interrupted = lambda: any(t.comm == "poll" and t.state is TaskState.INTERRUPTIBLE
                                    and t._thread is not None for t in kernel.sched.all_tasks())
    n = len(shell.output)
    assert shell.run_line(f"poll {DEV}") == 130                  # dies quietly of SIGINT
    assert [STAMP.sub("", ln) for ln in shell.output[n + 1:]] == [
        "poll_demo: poll 1 by poll: waits 1, mask 0x104",
        "poll_demo: poll 2 by poll: waits 0, mask 0x104"]        # woken, polls once more
    assert "poll" not in [t.comm for t in kernel.sched.all_tasks()]
    shell.interrupted = lambda: False
    assert kernel.modules["poll_demo"].refcnt == 0
    assert run(shell, "rmmod poll_demo") == []
