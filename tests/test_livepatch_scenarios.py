"""livepatch.txt and shadow-vars.txt scenarios beyond callbacks.txt's nine tests, typed into the
batch shell as a user would, and judged by what the kernel prints.

Covered: a stalled transition seen in ps, /proc/<pid>/patch_state and /proc/<pid>/stack; `signal`
(kthreads woken, user tasks fake-signalled); `force` and its consequence; reversing, and reversing
again; the stacking-order errors; the shadow-variable samples leaking and then fixing; and
`cat /proc/cmdline` before, during and after livepatch-sample.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

import pytest

from conftest import needs_gcc, needs_kernel

pytestmark = needs_kernel

REPO = Path(__file__).resolve().parent.parent
KLINE = re.compile(r"^\[ *\d+\.\d{6}\] (.*)$")
PS_ROW = re.compile(r"^ *(\d+) (\S) +(-?\d) (\S+)$")
DEMO, BUSY = "livepatch_callbacks_demo", "livepatch_callbacks_busymod"
SYS = "/sys/kernel/livepatch"
BOOT_CMDLINE = "BOOT_IMAGE=/boot/vmlinuz-4.19.0-klpsh root=/dev/vda1 ro quiet"
PATCHED_CMDLINE = "this has been live patched"
STARTING = "livepatch: '{}': starting {} transition"


class Session:
    """One booted machine and the batch shell on it; `run` types a line and returns its output."""

    def __init__(self, cwd: Path = REPO) -> None:
        from kernel.machine import Kernel
        from klpsh.shell import Shell

        self.k = Kernel.boot(clock_mode="virtual")
        self.out: list[str] = []
        self.shell = Shell(self.k, self.out.append, cwd=cwd)

    def run(self, line: str) -> list[str]:
        """Type LINE; what it printed after its echo (kernel lines without their timestamps)."""
        start = len(self.out)
        self.shell.run_line(line)
        assert self.out[start] == f"% {line}"
        texts = [KLINE.sub(r"\1", t) for t in self.out[start + 1:]]
        for t in texts:
            assert "Traceback" not in t and "internal error" not in t and "WARNING:" not in t, t
        return texts

    def ps(self) -> dict[str, tuple[int, str, int]]:
        """comm -> (pid, state letter, patch state), as `ps` shows them."""
        rows = [PS_ROW.match(line) for line in self.run("ps")[1:]]
        assert all(rows)
        return {m[4]: (int(m[1]), m[2], int(m[3])) for m in rows if m}

    def user_task(self, comm: str, body: Callable[[], object]) -> dict[str, object]:
        """A process of the shell that runs BODY in the kernel, then returns to user space.

        The shell itself runs one command at a time; this is the other process of a scenario
        (one busy on another CPU, or one blocked in a system call) while the user types.
        """
        from kernel.sched import TaskKind

        k = self.k
        task = k.sched.new_task(comm, TaskKind.USER, parent=k.shell)
        box: dict[str, object] = {"task": task}

        def main() -> None:
            try:
                box["ret"] = body()
            finally:
                k.livepatch.exit_to_usermode(task)
                box["patch_state_after"] = task.patch_state
        k.sched.start(task, main)
        return box


def _stalled_demo(s: Session) -> int:
    """busymod's worker asleep in busymod_work_func, the demo's transition waiting on it; its pid."""
    s.run("insmod samples/livepatch/livepatch-callbacks-busymod.ko sleep_secs=30")
    s.run("sleep 1")
    got = s.run("insmod samples/livepatch/livepatch-callbacks-demo.ko")
    assert got[-1] == STARTING.format(DEMO, "patching")
    s.run("sleep 3")
    assert s.run(f"cat {SYS}/{DEMO}/transition") == ["1"]
    stuck = [(comm, pid) for comm, (pid, _st, ps) in s.ps().items() if ps == 0]
    assert len(stuck) == 1 and stuck[0][0].startswith("kworker/"), stuck
    return stuck[0][1]


# --- a stalled transition -------------------------------------------------------------------

def test_stalled_transition_in_ps_patch_state_and_stack() -> None:
    s = Session()
    pid = _stalled_demo(s)
    tasks = s.ps()
    assert {ps for comm, (_p, _st, ps) in tasks.items() if comm.startswith("swapper")} == {1}
    assert all(ps == 1 for _p, _st, ps in (v for c, v in tasks.items() if v[0] != pid))
    comm = next(c for c, v in tasks.items() if v[0] == pid)
    assert tasks[comm][1] == "D", "msleep() sleeps uninterruptibly"
    assert s.run(f"cat /proc/{pid}/patch_state") == ["0"]
    stack = s.run(f"cat /proc/{pid}/stack")
    frame = re.compile(r"\[<0>\] (\w+)\+0x([0-9a-f]+)/0x([0-9a-f]+)(?: \[(\w+)\])?")
    frames = [frame.fullmatch(line) for line in stack[:-1]]
    assert all(frames) and stack[-1] == "[<0>] 0xffffffffffffffff", stack
    names = [(m[1], m[4]) for m in frames if m]
    assert names == [("msleep", None), ("busymod_work_func", BUSY), ("process_one_work", None),
                     ("worker_thread", None), ("kthread", None), ("ret_from_fork", None)]
    # The busymod line is a real return address: just after the call to msleep() in the guest code.
    m = frames[1]
    assert m is not None
    k = s.k
    func = k.modules[BUSY].symbol("busymod_work_func")
    ret = func + int(m[2], 16)
    assert int(m[3], 16) == k.kallsyms.lookup(func).size and ret < func + int(m[3], 16)
    assert k.mem.read(ret - 5, 1) == b"\xe8"
    target = (ret + int.from_bytes(k.mem.read(ret - 4, 4), "little", signed=True)) & ((1 << 64) - 1)
    assert k.kallsyms.lookup(target).name == "msleep"
    # An idle kworker is patched and sleeps in worker_thread only.
    other = next(v[0] for c, v in tasks.items() if c.startswith("kworker/") and v[0] != pid)
    assert s.run(f"cat /proc/{other}/patch_state") == ["1"]
    assert s.run(f"cat /proc/{other}/stack")[0].startswith("[<0>] worker_thread+0x")
    # When the worker leaves busymod_work_func, the next retry completes the transition.
    got = s.run("sleep 30")
    assert got.index(f"{BUSY}: busymod_work_func exit") < got.index(
        f"livepatch: '{DEMO}': completing patching transition")
    assert got[-1] == f"livepatch: '{DEMO}': patching complete"
    assert {ps for _p, _st, ps in s.ps().values()} == {-1}
    assert s.run(f"cat /proc/{pid}/patch_state") == ["-1"]


# --- signal -----------------------------------------------------------------------------------

SLEEPY = r"""
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/workqueue.h>

/* A worker that sleeps interruptibly in the function a livepatch replaces. */
static noinline void sleepy_work_func(struct work_struct *work)
{
	long left;

	pr_info("%s: sleeping\n", __func__);
	left = schedule_timeout_interruptible(30 * HZ);
	pr_info("%s: woken %ld jiffies early\n", __func__, left);
}
static DECLARE_DELAYED_WORK(sleepy_work, sleepy_work_func);

/* What a system call of this module would do: sleep interruptibly, here. */
noinline long sleepy_wait(long secs)
{
	return schedule_timeout_interruptible(secs * HZ);
}
EXPORT_SYMBOL(sleepy_wait);

static int sleepy_init(void)
{
	schedule_delayed_work(&sleepy_work, 0);
	return 0;
}
static void sleepy_exit(void) { cancel_delayed_work_sync(&sleepy_work); }
module_init(sleepy_init);
module_exit(sleepy_exit);
MODULE_LICENSE("GPL");
"""

SLEEPY_PATCH = r"""
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/workqueue.h>

static void new_work_func(struct work_struct *work) { pr_info("new sleepy_work_func\n"); }
static long new_wait(long secs) { return -1; }
static struct klp_func funcs[] = {
	{ .old_name = "sleepy_work_func", .new_func = new_work_func },
	{ .old_name = "sleepy_wait", .new_func = new_wait },
	{ }
};
static struct klp_object objs[] = { { .name = "klp_sleepy", .funcs = funcs }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };

static int lp_init(void)
{
	int ret = klp_register_patch(&patch);
	if (ret)
		return ret;
	ret = klp_enable_patch(&patch);
	if (ret)
		WARN_ON(klp_unregister_patch(&patch));
	return ret;
}
static void lp_exit(void) { WARN_ON(klp_unregister_patch(&patch)); }
module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""


@pytest.fixture
def sleepy(build, tmp_path) -> Path:
    (tmp_path / "klp_sleepy.ko").write_bytes(build("klp_sleepy", SLEEPY))
    (tmp_path / "klp_sleepy_patch.ko").write_bytes(build("klp_sleepy_patch", SLEEPY_PATCH))
    return tmp_path


@needs_gcc
def test_signal_wakes_a_kthread_sleeping_in_a_patched_function(sleepy) -> None:
    s = Session(sleepy)
    assert s.run("insmod klp_sleepy.ko")[-1] == "klp_sleepy: sleepy_work_func: sleeping"
    s.run("sleep 1")
    assert s.run("insmod klp_sleepy_patch.ko")[-1] == STARTING.format("klp_sleepy_patch", "patching")
    assert s.run("sleep 3") == []
    assert s.run(f"cat {SYS}/klp_sleepy_patch/transition") == ["1"]
    assert s.run(f"echo 0 > {SYS}/klp_sleepy_patch/signal") == [], "0 is a no-op"
    got = s.run(f"echo 1 > {SYS}/klp_sleepy_patch/signal")
    assert got[0] == "livepatch: signaling remaining tasks"
    woken = re.fullmatch(r"klp_sleepy: sleepy_work_func: woken (\d+) jiffies early", got[1])
    assert woken and int(woken[1]) > 20 * 1000, "woken ~26 s before its timeout"
    got = s.run("sleep 2")
    assert got == ["livepatch: 'klp_sleepy_patch': completing patching transition",
                   "livepatch: 'klp_sleepy_patch': patching complete"]
    assert s.run(f"echo 1 > {SYS}/klp_sleepy_patch/signal") == \
        ["bash: echo: write error: Invalid argument"], "no transition to signal"


def test_signal_does_not_wake_an_uninterruptible_sleep() -> None:
    """busymod sleeps in msleep() (TASK_UNINTERRUPTIBLE): the signal leaves it, and the stall."""
    s = Session()
    pid = _stalled_demo(s)
    assert s.run(f"echo 1 > {SYS}/{DEMO}/signal") == ["livepatch: signaling remaining tasks"]
    assert s.run("sleep 3") == []
    assert s.run(f"cat {SYS}/{DEMO}/transition") == ["1"]
    assert s.run(f"cat /proc/{pid}/patch_state") == ["0"]


@needs_gcc
def test_signal_fake_signals_a_user_task_blocked_in_a_patched_function(sleepy) -> None:
    s = Session(sleepy)
    s.run("insmod klp_sleepy.ko")
    k = s.k
    wait = k.modules["klp_sleepy"].exports["sleepy_wait"]
    box = s.user_task("waiter", lambda: k.run_guest(box["task"], wait, (60,), via="do_syscall_64",
                                                      host=("__x64_sys_read", "ksys_read")))
    s.run("sleep 1")
    s.run("echo 'func klp_try_switch_task +p' > /proc/dynamic_debug/control")
    got = s.run("insmod klp_sleepy_patch.ko")
    waiter = box["task"].pid  # type: ignore[attr-defined]
    assert f"livepatch: klp_check_stack: waiter:{waiter} is sleeping on function sleepy_wait" in got
    s.run("echo 'func klp_try_switch_task -p' > /proc/dynamic_debug/control")
    s.run("sleep 2")
    assert s.run(f"cat /proc/{waiter}/patch_state") == ["0"]
    got = s.run(f"echo 1 > {SYS}/klp_sleepy_patch/signal")
    assert got[0] == "livepatch: signaling remaining tasks"
    assert isinstance(box.get("ret"), int) and 0 < box["ret"] < 60 * 1000, "woken early, no real signal"
    assert box["patch_state_after"] == 1, "switched on its way back to user space"
    got = s.run("sleep 2")
    assert got[-1] == "livepatch: 'klp_sleepy_patch': patching complete"


# --- force --------------------------------------------------------------------------------------

def test_force_completes_and_no_patch_module_can_be_removed_again() -> None:
    s = Session()
    s.run("insmod samples/livepatch/livepatch-sample.ko")
    s.run("sleep 2")
    assert s.run(f"echo 1 > {SYS}/livepatch_sample/force") == \
        ["bash: echo: write error: Invalid argument"], "no transition to force"
    pid = _stalled_demo(s)
    assert s.run(f"echo 1 > {SYS}/{DEMO}/force") == \
        ["livepatch: forcing remaining tasks to the patched state"]
    assert s.run(f"cat /proc/{pid}/patch_state") == ["1"], "switched while still in the old function"
    assert s.run("sleep 2")[-1] == f"livepatch: '{DEMO}': patching complete"
    for name in (DEMO, "livepatch_sample"):
        got = s.run(f"echo 0 > {SYS}/{name}/enabled")
        assert got[-1] == STARTING.format(name, "unpatching")
        assert s.run("sleep 2")[-1] == f"livepatch: '{name}': unpatching complete"
        assert s.run(f"cat /sys/module/{name}/refcnt") == ["1"]
        assert s.run(f"rmmod {name}") == [f"rmmod: ERROR: Module {name} is in use"]
    assert s.run("sleep 30")[-1] == f"{BUSY}: busymod_work_func exit"
    assert s.run(f"rmmod {BUSY}") == [f"{BUSY}: livepatch_callbacks_mod_exit"], "targets stay free"
    assert sorted(s.k.modules) == [DEMO, "livepatch_sample"]


# --- reverse, and reverse again -----------------------------------------------------------------

def test_reverse_and_reverse_again() -> None:
    s = Session()
    pid = _stalled_demo(s)
    assert s.run(f"echo 1 > {SYS}/{DEMO}/enabled") == ["bash: echo: write error: Invalid argument"]
    assert s.run(f"echo 0 > {SYS}/{DEMO}/enabled") == [
        f"livepatch: '{DEMO}': reversing transition from patching to unpatching",
        STARTING.format(DEMO, "unpatching")], "no callbacks when reversing"
    assert s.run(f"cat {SYS}/{DEMO}/enabled") == ["0"]
    assert s.run(f"cat {SYS}/{DEMO}/transition") == ["1"]
    assert s.run(f"echo 1 > {SYS}/{DEMO}/enabled") == [
        f"livepatch: '{DEMO}': reversing transition from unpatching to patching",
        STARTING.format(DEMO, "patching")]
    assert s.run(f"cat {SYS}/{DEMO}/enabled") == ["1"]
    assert s.run("sleep 3") == [], "patching again: the worker still holds it up"
    assert s.run(f"cat /proc/{pid}/patch_state") == ["0"]
    got = s.run("sleep 30")
    assert got[got.index(f"livepatch: '{DEMO}': completing patching transition"):] == [
        f"livepatch: '{DEMO}': completing patching transition",
        f"{DEMO}: post_patch_callback: vmlinux",
        f"{DEMO}: post_patch_callback: {BUSY} -> [MODULE_STATE_LIVE] Normal state",
        f"livepatch: '{DEMO}': patching complete"]
    assert s.run(f"cat /sys/module/{DEMO}/refcnt") == ["1"]


def test_reversed_enable_drops_the_module_reference() -> None:
    s = Session()
    _stalled_demo(s)
    s.run(f"echo 0 > {SYS}/{DEMO}/enabled")
    got = s.run("sleep 2")
    assert got[-1] == f"livepatch: '{DEMO}': unpatching complete"
    assert s.run(f"cat /sys/module/{DEMO}/refcnt") == ["0"]
    assert s.run(f"rmmod {DEMO}") == []
    assert s.run(f"ls {SYS}") == []


# --- stacking order -----------------------------------------------------------------------------

def test_patches_enable_and_disable_only_in_stack_order() -> None:
    s = Session()
    busy = "bash: echo: write error: Device or resource busy"
    s.run("insmod samples/livepatch/livepatch-sample.ko")
    s.run("sleep 2")
    s.run("insmod samples/livepatch/livepatch-callbacks-demo.ko")
    s.run("sleep 2")
    assert s.run("rmmod livepatch_sample") == ["rmmod: ERROR: Module livepatch_sample is in use"]
    assert s.run(f"echo 0 > {SYS}/livepatch_sample/enabled") == [busy], "its successor is enabled"
    s.run(f"echo 0 > {SYS}/{DEMO}/enabled")
    assert s.run(f"echo 1 > {SYS}/livepatch_sample/enabled") == \
        ["bash: echo: write error: Invalid argument"], "the demo is in transition, sample enabled"
    assert s.run(f"echo 0 > {SYS}/livepatch_sample/enabled") == [busy], "one transition at a time"
    s.run("sleep 2")
    assert s.run(f"echo 0 > {SYS}/livepatch_sample/enabled")[-1] == \
        STARTING.format("livepatch_sample", "unpatching")
    s.run("sleep 2")
    assert s.run(f"echo 1 > {SYS}/{DEMO}/enabled") == [busy], "its predecessor is disabled"
    assert s.run(f"cat {SYS}/{DEMO}/enabled") == ["0"]
    s.run(f"echo 1 > {SYS}/livepatch_sample/enabled")
    s.run("sleep 2")
    assert s.run(f"echo 1 > {SYS}/{DEMO}/enabled")[-1] == STARTING.format(DEMO, "patching")


def test_a_livepatch_loaded_during_another_transition_is_refused() -> None:
    s = Session()
    _stalled_demo(s)
    assert s.run("insmod samples/livepatch/livepatch-sample.ko") == [
        "insmod: ERROR: could not insert module samples/livepatch/livepatch-sample.ko: "
        "Device or resource busy"]
    assert s.run(f"ls {SYS}") == [DEMO], "the refused patch unregistered itself"
    assert "livepatch_sample" not in s.k.modules


# --- shadow variables ------------------------------------------------------------------------

ALLOC = re.compile(r"^(?:livepatch_shadow_fix1: livepatch_fix1_)?dummy_alloc: dummy @ (\w+), expires @ \w+$")
FREE_ORIG = re.compile(r"^dummy_free: dummy @ (\w+), expired = \w+$")
LEAKED = re.compile(r"^livepatch_shadow_(fix[12]): livepatch_\1_dummy_free: dummy @ (\w+) leaked!$")
PREVENTED = re.compile(r"^livepatch_shadow_(fix[12]): livepatch_\1_dummy_leak_dtor: "
                       r"dummy @ (\w+), prevented leak @ (\w+)$")
COUNTER = re.compile(r"^livepatch_shadow_fix2: livepatch_fix2_dummy_free: dummy @ (\w+), check counter = (\d+)$")
CLEANUP = re.compile(r"^cleanup_work_func: jiffies = \w+$")


def test_shadow_variables_leak_then_fix_then_clean_up() -> None:
    """Reference section 6: the buggy module leaks, fix1 plugs new leaks and reports old ones,
    fix2 counts expiry checks, and the patches come off in reverse order."""
    s = Session()
    live: dict[str, str] = {}          # dummy -> whose dummy_alloc made it: "orig" or "fix1"
    shadows: set[str] = set()          # dummies with a SV_LEAK shadow variable
    passes: dict[str, int] = {}        # dummy -> cleanup passes that ran fix2's dummy_check on it
    top = "orig"                       # whose dummy_free runs: orig, fix1, fix2
    seen = {"leaked": 0, "prevented": 0, "counter": 0, "orig_free": 0}

    def follow(lines: list[str], freeing_all: bool = False) -> None:
        for text in lines:
            if m := ALLOC.match(text):
                who = "fix1" if text.startswith("livepatch_shadow_fix1") else "orig"
                live[m[1]], passes[m[1]] = who, 0
                if who == "fix1":
                    assert m[1] not in shadows
                    shadows.add(m[1])
            elif CLEANUP.match(text):
                if top == "fix2":
                    for d in live:
                        passes[d] += 1
            elif m := FREE_ORIG.match(text):
                assert top == "orig", text
                live.pop(m[1])      # a shadow it may have stays behind: the original knows none
                seen["orig_free"] += 1
            elif m := LEAKED.match(text):
                assert m[1] == top and m[2] in live and m[2] not in shadows, text
                seen["leaked"] += 1
                if top == "fix1":
                    live.pop(m[2])
            elif m := PREVENTED.match(text):
                assert m[2] in shadows, f"a leak is prevented only where a shadow holds it: {text}"
                shadows.remove(m[2])
                seen["prevented"] += 1
                if freeing_all:
                    assert m[1] == "fix1", "fix1's exit: klp_shadow_free_all(SV_LEAK, dtor)"
                else:
                    assert m[1] == top, text
                    if top == "fix1":
                        live.pop(m[2])
            elif m := COUNTER.match(text):
                assert top == "fix2" and int(m[2]) == passes[m[1]] > 0, (text, passes[m[1]])
                live.pop(m[1])
                seen["counter"] += 1
            else:
                assert text.startswith("livepatch: ") or "tainting kernel" in text, text

    s.run("insmod samples/livepatch/livepatch-shadow-mod.ko")
    follow(s.run("sleep 16"))
    assert seen["orig_free"] > 0, "the buggy module frees its dummies (and leaks)"
    got = s.run("insmod samples/livepatch/livepatch-shadow-fix1.ko")
    follow(got)
    top = "fix1"
    follow(s.run("sleep 16"))
    assert seen["leaked"] > 0 and seen["prevented"] > 0
    follow(s.run("insmod samples/livepatch/livepatch-shadow-fix2.ko"))
    top = "fix2"
    follow(s.run("sleep 16"))
    assert seen["counter"] > 0
    # Cleanup: fix1 cannot go first (fix2, registered after it, is enabled).
    assert s.run(f"echo 0 > {SYS}/livepatch_shadow_fix1/enabled") == \
        ["bash: echo: write error: Device or resource busy"]
    # The idle kworkers switch in each transition's first attempt: the older code is back at once.
    follow(s.run(f"echo 0 > {SYS}/livepatch_shadow_fix2/enabled"))
    top = "fix1"
    follow(s.run("sleep 2"))
    follow(s.run(f"echo 0 > {SYS}/livepatch_shadow_fix1/enabled"))
    top = "orig"
    follow(s.run("sleep 2"))
    assert s.run("rmmod livepatch-shadow-fix2") == [], "fix2's exit frees its counters silently"
    left = set(shadows)
    got = s.run("rmmod livepatch-shadow-fix1")
    follow(got, freeing_all=True)
    assert len(got) == len(left) > 0 and not shadows, "fix1's exit frees every leak shadow left"
    remaining = dict(live)
    got = s.run("rmmod livepatch-shadow-mod")
    follow(got)
    assert live == {} and len(got) == len(remaining) > 0, "the module frees its residual dummies"
    assert not s.k.livepatch.shadows


# --- /proc/cmdline ------------------------------------------------------------------------------

def test_cmdline_before_during_and_after_livepatch_sample() -> None:
    s = Session()
    assert s.run("cat /proc/cmdline") == [BOOT_CMDLINE]
    got = s.run("insmod samples/livepatch/livepatch-sample.ko")
    assert got[-1] == STARTING.format("livepatch_sample", "patching")
    # During the transition: `cat` is a child of bash, which the first attempt already switched.
    assert s.run(f"cat {SYS}/livepatch_sample/transition") == ["1"]
    assert s.ps()["bash"][2] == 1
    assert s.run("cat /proc/cmdline") == [PATCHED_CMDLINE]
    assert s.run("sleep 2")[-1] == "livepatch: 'livepatch_sample': patching complete"
    assert s.run("cat /proc/cmdline") == [PATCHED_CMDLINE]
    s.run(f"echo 0 > {SYS}/livepatch_sample/enabled")
    assert s.run(f"cat {SYS}/livepatch_sample/transition") == ["1"]
    assert s.run("cat /proc/cmdline") == [BOOT_CMDLINE], "unpatching: bash already switched back"
    s.run("sleep 2")
    assert s.run("cat /proc/cmdline") == [BOOT_CMDLINE]
    assert s.run("rmmod livepatch_sample") == []


def test_cmdline_read_by_a_task_still_unpatched_shows_the_old_text() -> None:
    """A process busy on another CPU cannot be switched; when it then reads /proc/cmdline it is
    still unpatched and gets the old output, while `cat` from the shell gets the new one."""
    from kernel.api.sched import mdelay

    s = Session()
    k = s.k

    def spin_then_read() -> str:
        mdelay(k, 3000)                          # running all along: klp_try_switch_task fails
        return k.vfs.open_read("/proc/cmdline")()

    box = s.user_task("spinner", spin_then_read)
    s.run("insmod samples/livepatch/livepatch-sample.ko")
    spinner = box["task"].pid  # type: ignore[attr-defined]
    s.run("sleep 1.5")
    assert s.run(f"cat {SYS}/livepatch_sample/transition") == ["1"]
    assert s.run(f"cat /proc/{spinner}/patch_state") == ["0"]
    assert s.run("cat /proc/cmdline") == [PATCHED_CMDLINE]
    got = s.run("sleep 3")
    assert box["ret"] == BOOT_CMDLINE + "\n", "the unpatched task ran the original function"
    assert box["patch_state_after"] == 1, "and switched on its way back to user space"
    assert got[-1] == "livepatch: 'livepatch_sample': patching complete"
