"""Watchdogs in virtual time (kernel/watchdog.py, kernel/hung_task.py) and the bounded wait of
a command: what a task that never gives its CPU back, or never comes back at all, leaves in
dmesg, in ps and in the shell."""

from __future__ import annotations

import re

import pytest

from conftest import needs_gcc, needs_kernel
from klpsh.shell import Shell

pytestmark = [needs_kernel, needs_gcc]

HOG = r"""
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/delay.h>
#include <linux/sched.h>
#include <linux/completion.h>
#include <linux/seq_file.h>
static struct list_head head_, node_;
static char *what = "none";
module_param(what, charp, 0);
static DECLARE_COMPLETION(never);
static volatile int forever = 1;
static int __init hog_init(void)
{
	if (!strcmp(what, "spin"))
		while (forever)
			;
	if (!strcmp(what, "printk"))
		while (forever)
			pr_info("still here\n");
	if (!strcmp(what, "kmalloc"))
		while (forever)
			kfree(kmalloc(8, GFP_KERNEL));
	if (!strcmp(what, "seqlist")) {		/* a ring that never comes back to head_ */
		head_.next = &node_;
		node_.next = &node_;
		seq_list_start(&head_, -1);
	}
	if (!strcmp(what, "cond_resched"))
		while (forever)
			cond_resched();
	if (!strcmp(what, "msleep"))
		while (forever)
			msleep(1000);
	if (!strcmp(what, "completion"))
		wait_for_completion(&never);
	if (!strcmp(what, "schedule")) {
		set_current_state(TASK_INTERRUPTIBLE);
		schedule();
	}
	return 0;
}
module_init(hog_init);
MODULE_LICENSE("GPL");
"""
STAMP = re.compile(r"^\[ *(\d+)\.(\d{6})\] ")


@pytest.fixture
def shell(kernel, tmp_path, build):
    (tmp_path / "hog.ko").write_bytes(build("hog", HOG))
    out: list[str] = []
    sh = Shell(kernel, out.append, cwd=tmp_path)
    sh.output = out
    return sh


def run(sh, line):
    n = len(sh.output)
    sh.run_line(line)
    return sh.output[n + 1:]


def stamp(line: str) -> float:
    m = STAMP.match(line)
    assert m, line
    return int(m[1]) + int(m[2]) / 1e6


def lockup_line(out: list[str]) -> str:
    lines = [l for l in out if "soft lockup" in l]
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize("what", ["spin", "printk", "kmalloc", "seqlist"])
def test_a_task_that_keeps_its_cpu_is_a_soft_lockup_at_its_virtual_time(shell, what):
    out = run(shell, f"insmod hog.ko what={what}")
    pid = max(t.pid for t in shell.kernel.sched.all_tasks()) + 0  # insmod was the last pid
    line = lockup_line(out)
    # touched at boot (0 s): the hrtimer ticks every 4 s, and the 24 s tick finds it stuck
    # for 22 of get_timestamp()'s 2^30 ns units
    assert line.startswith("[   24.000000] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [insmod:")
    assert re.search(r"\[insmod:\d+\]$", line)
    i = out.index(line)
    assert out[i + 1].endswith("Modules linked in: hog(O+)")
    assert any("hog_init+0x" in l and l.endswith("[hog]") for l in out[i:])   # RIP or trace
    assert out[-1] == "Killed"
    assert "L" in shell.kernel.taints
    if what == "printk":
        stamps = [stamp(l) for l in out if l.endswith("] still here")]
        assert stamps == sorted(stamps) and stamps[0] < 0.01 and 20 < stamps[-1] <= 24
    assert run(shell, "echo ok") == ["ok"]
    del pid


def test_a_lockup_later_in_the_run_counts_from_the_last_touch(shell):
    run(shell, "sleep 44.55")
    line = lockup_line(run(shell, "insmod hog.ko what=spin"))
    # touched at the 44 s tick (40 units); the 68 s tick is the first past 20 units: 63 - 40
    assert line.startswith("[   68.000000] watchdog: BUG: soft lockup - CPU#0 stuck for 23s!")


def test_watchdog_thresh_sets_the_threshold(shell):
    assert run(shell, "cat /proc/sys/kernel/watchdog_thresh") == ["10"]
    run(shell, "echo 5 > /proc/sys/kernel/watchdog_thresh")
    line = lockup_line(run(shell, "insmod hog.ko what=spin"))
    assert line.startswith("[   12.000000] watchdog: BUG: soft lockup - CPU#0 stuck for 11s!")


def test_cond_resched_is_no_lockup_but_the_shell_gets_control_back(shell):
    out = run(shell, "insmod hog.ko what=cond_resched")
    assert not any("soft lockup" in l for l in out)
    pid = next(t.pid for t in shell.kernel.sched.all_tasks() if t.comm == "insmod")
    assert out[-1] == (f"klpsh: insmod (pid {pid}) has used 30 s of CPU time without returning; "
                       "it stays in the kernel, running (see ps)")
    assert f"{pid:5d} R    -1 insmod" in run(shell, "ps")
    assert run(shell, f"cat /proc/{pid}/status")[2] == "State:\tR (running)"
    assert 29 <= shell.kernel.clock.now / 1e9 <= 31     # its CPU time moved the clock
    assert run(shell, "echo ok") == ["ok"]              # and the machine goes on
    assert run(shell, "rmmod hog") == ["rmmod: ERROR: Module hog is in use"]


def test_a_module_sleeping_forever_does_not_run_the_clock_without_end(shell):
    out = run(shell, "insmod hog.ko what=msleep")
    pid = next(t.pid for t in shell.kernel.sched.all_tasks() if t.comm == "insmod")
    assert out[-1] == (f"klpsh: insmod (pid {pid}) has not returned after 300 s of machine time; "
                       "it stays in the kernel, in state D (see ps)")
    assert shell.kernel.clock.now == 300 * 10**9
    assert not any("blocked for more" in l for l in out)   # it switches every second
    assert f"{pid:5d} D    -1 insmod" in run(shell, "ps")


def test_hung_task_report_as_4_19_prints_it(shell):
    out = run(shell, "insmod hog.ko what=completion")
    pid = next(t.pid for t in shell.kernel.sched.all_tasks() if t.comm == "insmod")
    ppid = shell.kernel.shell.pid
    i = next(i for i, l in enumerate(out) if "INFO: task" in l)
    # khungtaskd sleeps 120 s on the timer wheel (4.096 s granularity at that level): it
    # first sees the task at 123.871 s and reports it at its next check, 246.751 s (jiffies
    # run a jiffy ahead of the printk clock); each line takes its console time after it
    assert out[i].startswith("[  246.751000] ")
    stamps = [stamp(l) for l in out[i:i + 10]]
    assert stamps == sorted(set(stamps)) and stamps[-1] - stamps[0] < 0.01
    assert [l[15:] for l in out[i:i + 8]] == [
        f"INFO: task insmod:{pid} blocked for more than 120 seconds.",
        "      Tainted: G           O      4.19.0-klpsh #1",
        '"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.',
        f"insmod          D    0 {pid:5d} {ppid:6d} 0x00000000",
        "Call Trace:",
        " __schedule+0x8/0x10",
        " schedule+0x8/0x10",
        " wait_for_completion+0x8/0x10",
    ]
    assert re.match(r" hog_init\+0x[0-9a-f]+/0x[0-9a-f]+ \[hog\]$", out[i + 8][15:])
    assert out[i + 9].endswith(" do_one_initcall+0x8/0x10")
    assert out[-1].startswith(f"klpsh: insmod (pid {pid}) has not returned after 300 s")
    assert out[-1].endswith("in state D (see ps)")
    assert f"{pid:5d} D    -1 insmod" in run(shell, "ps")
    assert run(shell, f"cat /proc/{pid}/status")[2] == "State:\tD (disk sleep)"
    # it is reported at each check while it stays blocked (hung_task_warnings: 10 at most)
    out = run(shell, "sleep 200")
    assert [l.split("] ", 1)[0] for l in out if "INFO: task" in l] == ["[  369.631000", "[  492.511000"]
    assert run(shell, "cat /proc/sys/kernel/hung_task_warnings") == ["7"]


def test_hung_task_timeout_secs_0_disables_the_message(shell):
    assert run(shell, "cat /proc/sys/kernel/hung_task_timeout_secs") == ["120"]
    run(shell, "echo 0 > /proc/sys/kernel/hung_task_timeout_secs")
    out = run(shell, "insmod hog.ko what=completion")
    assert not any("blocked for more" in l for l in out)
    assert run(shell, "echo x > /proc/sys/kernel/hung_task_timeout_secs") == \
        ["bash: echo: write error: Invalid argument"]


def test_hung_task_check_interval_and_timeout(shell):
    run(shell, "echo 10 > /proc/sys/kernel/hung_task_timeout_secs")
    out = run(shell, "insmod hog.ko what=completion")
    reports = [l for l in out if "INFO: task" in l]
    assert reports[0].endswith("blocked for more than 10 seconds.")
    assert 10 < stamp(reports[0]) < 30


def test_no_hung_task_report_after_an_oops(shell):
    shell.kernel.add_taint("D")
    out = run(shell, "insmod hog.ko what=completion")
    assert not any("blocked for more" in l for l in out)


def test_an_interruptible_sleep_is_no_hung_task(shell):
    out = run(shell, "insmod hog.ko what=schedule")
    assert not any("blocked for more" in l for l in out)
    assert out[-1].endswith("in state S (see ps)")


def test_interrupting_the_wait(shell):
    shell.interrupted = lambda: shell.kernel.clock.now > 100 * 10**9   # Ctrl-C, a while later
    out = run(shell, "insmod hog.ko what=completion")
    pid = next(t.pid for t in shell.kernel.sched.all_tasks() if t.comm == "insmod")
    assert out[-1] == f"klpsh: stopped waiting for insmod (pid {pid}); it stays in the kernel, in state D (see ps)"
    assert shell.kernel.clock.now < 130 * 10**9


def test_an_abandoned_task_exits_when_its_call_returns(kernel, build, tmp_path):
    """A task left sleeping finishes later, when time has come, and is gone from ps."""
    src = HOG.replace('if (!strcmp(what, "msleep"))', 'if (!strcmp(what, "long"))\n\t\tmsleep(400000);\n\tif (!strcmp(what, "msleep"))')
    (tmp_path / "hog.ko").write_bytes(build("hog_long", src))
    out: list[str] = []
    sh = Shell(kernel, out.append, cwd=tmp_path)
    sh.run_line("insmod hog.ko what=long")
    assert "has not returned after 300 s" in out[-1]
    assert any(t.comm == "insmod" for t in kernel.sched.all_tasks())
    sh.run_line("sleep 200")
    assert not any(t.comm == "insmod" for t in kernel.sched.all_tasks())
    assert kernel.modules["hog_long"].state.name == "LIVE"
