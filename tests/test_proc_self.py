"""/proc/self: the process that looks it up (each shell command's own, as bash forks it)."""

from __future__ import annotations

from tests.shell_session import module_shell, run


def test_proc_self_is_the_command_process(kernel, tmp_path, test_module):
    sh = module_shell(kernel, tmp_path, test_module)
    assert run(sh, "cat /proc/self/comm") == ["cat"]
    first = int(run(sh, "grep Pid /proc/self/status")[0].split()[1])
    second = int(run(sh, "grep Pid /proc/self/status")[0].split()[1])
    assert second == first + 1                    # one fork a command
    link = run(sh, "ls -l /proc/self")[0]
    assert link.startswith("l") and link.endswith(f"/proc/self -> {second + 1}")
    # the processes are gone once their commands ended; the shell's bash is not /proc/self
    pids = {t.pid for t in kernel.sched.all_tasks()}
    assert not {first, second, second + 1} & pids
    assert kernel.shell.pid != second


def test_proc_self_of_kernel_code_is_the_caller(kernel):
    """A lookup made in a task (kernel code in a kthread or a system call) names that task."""
    from kernel.fs.proc import _self_link
    task = next(t for t in kernel.sched.all_tasks() if t.comm == "kthreadd")
    kernel.sched.current, saved = task, kernel.sched.current
    try:
        assert _self_link(kernel)["self"].target == str(task.pid)
    finally:
        kernel.sched.current = saved


def test_ps_lists_its_own_process_running(kernel, tmp_path, test_module):
    sh = module_shell(kernel, tmp_path, test_module)
    rows = [ln.split() for ln in run(sh, "ps")[1:]]
    mine = [r for r in rows if r[3] == "ps"]
    assert len(mine) == 1 and mine[0][1] == "R"
    assert int(mine[0][0]) == max(int(r[0]) for r in rows)     # the newest process
    assert not [r for r in run(sh, "ps")[1:] if r.split()[0] == mine[0][0]]   # it exited


def test_status_in_419s_order_with_the_state_name(kernel, tmp_path, test_module):
    sh = module_shell(kernel, tmp_path, test_module)
    lines = run(sh, "cat /proc/self/status")
    assert [ln.split(":")[0] for ln in lines] == [
        "Name", "Umask", "State", "Tgid", "Ngid", "Pid", "PPid", "TracerPid", "Uid", "Gid"]
    assert lines[2] == "State:\tR (running)"
    assert lines[6] == f"PPid:\t{kernel.shell.pid}"          # bash forked it
    worker = next(t for t in kernel.sched.all_tasks() if t.comm.startswith("kworker/"))
    status = run(sh, f"cat /proc/{worker.pid}/status")
    assert status[2] == "State:\tI (idle)" and status[6] == "PPid:\t2"
