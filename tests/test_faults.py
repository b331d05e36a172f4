"""Faults, memory protections and reclaim (tests/modules/faults.c): the x86-64 4.19 reports,
guard pages, read-only module text, use after unload, panic and reboot; memory stays flat
across insmod/rmmod cycles."""

from __future__ import annotations

import pytest

from conftest import ko, needs_gcc, needs_kernel
from kernel.errno import KernelError
from klpsh.shell import Shell

pytestmark = [needs_kernel, needs_gcc]


def test_freed_heap_serves_every_size(kernel, test_module):
    """64 KiB blocks allocated until the heap is exhausted and all freed: the memory serves
    small allocations (/proc/cmdline) and big ones again (the buddy allocator coalesces)."""
    faults = test_module("faults")
    kernel.init_module(faults, "fault=hog")
    first = [line for line in kernel.lines if "hog:" in line]
    assert first and "all freed" in first[0]
    n = int(first[0].split("hog: ")[1].split()[0])
    assert n > 1000
    assert kernel.fs.read("/proc/cmdline").startswith("BOOT_IMAGE")
    kernel.delete_module("faults")
    kernel.init_module(faults, "fault=hog")
    again = [line for line in kernel.lines if "hog:" in line]
    assert again[-1] == first[0]
    kernel.delete_module("faults")


def test_insmod_rmmod_cycles_keep_memory_flat(kernel, test_module):
    """Each syscall's task frees its stack and task_struct on exit; module memory and slab
    pages go back to the buddy allocator: the figures after 300 cycles equal those after 10."""
    demo = ko("livepatch-callbacks-mod")
    def cycles(n: int) -> tuple[int, int, int, int]:
        for _ in range(n):
            kernel.init_module(demo, "")
            kernel.delete_module("livepatch_callbacks_mod")
        return (kernel.stacks.in_use, kernel.heap.pages_in_use, kernel.heap.bytes_in_use,
                kernel.modules_mem.pages_in_use)
    warm = cycles(10)
    assert cycles(2000) == warm


def test_module_with_an_empty_name_is_refused(kernel, test_module):
    """kobject_add_internal(): the WARN, then -EINVAL; nothing stays loaded."""
    image = bytearray(test_module("faults"))
    name = image.find(b"faults\0" + b"\0" * 8)
    assert name > 0
    image[name] = 0
    modinfo = image.find(b"name=faults\0")
    if modinfo > 0:
        image[modinfo + 5] = 0
    with pytest.raises(KernelError) as e:
        kernel.init_module(bytes(image), "")
    assert e.value.errno == 22
    text = "\n".join(kernel.lines)
    assert "attempted to be registered with empty name!" in text
    assert "WARNING: CPU: " in text and " at lib/kobject.c:226 kobject_add_internal+" in text
    assert "" not in kernel.modules and not kernel.loader.modules


def _insmod(kernel, image: bytes, args: str) -> tuple[list[str], str]:
    """insmod IMAGE ARGS: the kernel lines it logged, and how insmod ended."""
    from kernel.sched import TaskKilled
    start = len(kernel.lines)
    try:
        kernel.init_module(image, args)
        end = "ok"
    except TaskKilled as e:
        end = e.text
    except KernelError as e:
        end = f"errno {e.errno}"
    return kernel.lines[start:], end


def _line(lines: list[str], prefix: str) -> str:
    found = [line for line in lines if line.startswith(prefix)]
    assert found, f"no line starts with {prefix!r} in:\n" + "\n".join(lines)
    return found[0]


@pytest.mark.parametrize("fault, bug, die, end", [
    ("null", "BUG: unable to handle kernel NULL pointer dereference at 0000000000000010",
     "Oops: 0000 [#1]", "Killed"),
    ("read", "BUG: unable to handle kernel paging request at ffffc90000123456",
     "Oops: 0000 [#1]", "Killed"),
    ("gp", None, "general protection fault: 0000 [#1]", "Segmentation fault"),
    ("div0", None, "divide error: 0000 [#1]", "Segmentation fault"),
    ("int3", None, "int3: 0000 [#1]", "Segmentation fault"),
    ("ud2", None, "invalid opcode: 0000 [#1]", "Segmentation fault"),
])
def test_each_fault_has_its_own_4_19_report(kernel, test_module, fault, bug, die, end):
    lines, how = _insmod(kernel, test_module("faults"), f"fault={fault}")
    assert how == end
    assert _line(lines, die.split(":")[0] + ":").startswith(die)
    if bug is not None:
        assert bug in lines
        cr2 = bug.rsplit(" ", 1)[1]
        assert f"CR2: {cr2}" in lines                    # no_context()'s summary: the real CR2
        assert lines[lines.index(bug) + 1].startswith("PGD ")
    else:
        assert not [line for line in lines if line.startswith("BUG: unable to handle")]
    assert _line(lines, "RIP: 0010:").startswith("RIP: 0010:do_fault+0x")
    assert "Call Trace:" in lines and _line(lines, " faults_init+0x")


def test_int3_reports_the_address_past_the_trap(kernel, test_module):
    lines, _ = _insmod(kernel, test_module("faults"), "fault=int3")
    code = _line(lines, "Code: ")
    assert " cc <" in code                         # RIP is the byte after the int3


def test_int_0x80_is_an_interrupt_with_no_handler(kernel, test_module):
    lines, how = _insmod(kernel, test_module("faults"), "fault=int80")
    assert how == "ok"
    assert "do_IRQ: 0.128 No irq handler for vector" in lines
    assert "faults: init: survived" in lines and not kernel.oops_count


def _pte(lines: list[str]) -> int:
    return int(_line(lines, "PGD ").rsplit("PTE ", 1)[1], 16)


@pytest.mark.parametrize("fault, code, nx", [
    ("write_text", "0003", False), ("write_rodata", "0003", True), ("write_kernel", "0003", False),
    ("exec_data", "0011", True), ("exec_heap", "0011", True),
])
def test_text_and_rodata_are_read_only_data_is_not_executable(kernel, test_module, fault, code, nx):
    """STRICT_MODULE_RWX: a write to text or rodata is a protection fault (0003), a jump into
    data or the heap too (0011, after the NX warning); the PTE shows the page's rights."""
    lines, how = _insmod(kernel, test_module("faults"), f"fault={fault}")
    assert how == "Killed"
    assert _line(lines, "Oops: ").startswith(f"Oops: {code} [#1]")
    pte = _pte(lines)
    assert pte & 1                                  # present
    assert bool(pte & 2) == (code == "0011")        # writable data and heap; read-only text
    assert bool(pte >> 63) == nx
    warned = "kernel tried to execute NX-protected page - exploit attempt? (uid: 0)" in lines
    assert warned == (code == "0011")
    if fault == "write_kernel":
        printk = kernel.cpu.stub_by_name["printk"].addr
        assert f"BUG: unable to handle kernel paging request at {printk:016x}" in lines


def test_stack_overflow_hits_the_guard_page_of_its_own_task(kernel, test_module):
    """3,000 frames overflow the 16 KiB stack: the guard page below it stops the overflow in
    the task that overflowed; a task sleeping in guest code on another stack runs on.

    The stack pointer itself is in the guard page, so the CPU cannot write the page fault's
    exception frame: a double fault, whose CR2 is that write's address (do_double_fault ->
    handle_stack_overflow). The call trace is the whole stack, as show_trace_log_lvl() walks
    it: every frame of the recursion, then what called it."""
    kernel.init_module(ko("livepatch-callbacks-busymod"), "sleep_secs=2")
    kernel.run_for(10_000_000)
    lines, how = _insmod(kernel, test_module("faults"), "fault=recurse depth=3000")
    assert how == "Segmentation fault"
    guard = _line(lines, "BUG: stack guard page was hit at ")
    assert "(stack is " in guard
    assert lines[lines.index(guard) + 1].startswith("kernel stack overflow (double-fault): 0000 [#1] ")
    assert _line(lines, "CPU: 0 PID: ").split("Comm: ")[1].startswith("insmod ")
    assert _line(lines, "RIP: 0010:").startswith("RIP: 0010:recurse+0x")
    rsp = int(_line(lines, "RSP: 0018:").split()[1].split(":")[1], 16)
    cr2 = int(_line(lines, "CR2: ").split()[1], 16)
    assert cr2 == (rsp & ~0xF) - 8 and not any(line.startswith("BUG: unable to handle") for line in lines)
    trace = lines[lines.index("Call Trace:") + 1:lines.index(_line(lines, "Modules linked in: "))]
    frames = [line.split("+")[0].strip() for line in trace]
    recursion = frames.index("do_fault")
    # 16 KiB of 80-byte frames (64 bytes of locals, the saved rbp, the return address)
    assert 150 < recursion < 16384 // 80 and set(frames[:recursion]) == {"recurse"}
    assert frames[recursion:recursion + 3] == ["do_fault", "faults_init", "do_one_initcall"]
    assert frames[-1] == "entry_SYSCALL_64_after_hwframe"
    kernel.run_for(3_000_000_000)
    assert any(line.endswith("busymod_work_func exit") for line in kernel.lines)
    assert kernel.oops_count == 1


def test_a_read_of_the_guard_page_with_room_on_the_stack_is_a_page_fault(kernel, test_module):
    """A read just below the stack while the stack pointer has room: the page fault is
    delivered, and no_context() finds the guard page (handle_stack_overflow, SIGSEGV)."""
    lines, how = _insmod(kernel, test_module("faults"), "fault=below_stack")
    assert how == "Segmentation fault"
    guard = _line(lines, "BUG: stack guard page was hit at ")
    assert lines[lines.index(guard) + 1].startswith("kernel stack overflow (page fault): 0000 [#1] ")
    assert _line(lines, "RIP: 0010:").startswith("RIP: 0010:do_fault+0x")
    rsp = int(_line(lines, "RSP: 0018:").split()[1].split(":")[1], 16)
    cr2 = int(_line(lines, "CR2: ").split()[1], 16)
    assert rsp - 16384 < cr2 < rsp - 16384 + 4096     # the read's own address


def test_a_stale_function_pointer_faults_after_unload(kernel, test_module):
    """/proc/faults left behind by the module: reading it calls freed code, an instruction
    fetch from a page no longer present (0010), in the reading task."""
    from kernel.sched import TaskKilled
    kernel.init_module(test_module("faults"), "leave_proc=1")
    kernel.delete_module("faults")
    start = len(kernel.lines)
    with pytest.raises(TaskKilled):
        kernel.fs.read("/proc/faults")
    lines = kernel.lines[start:]
    assert _line(lines, "BUG: unable to handle kernel paging request at ")
    assert _line(lines, "Oops: 0010 [#1]")
    assert _pte(lines) == 0
    assert _line(lines, "CPU: 0 PID: ").split("Comm: ")[1].startswith("cat ")


@pytest.fixture
def shell(kernel, tmp_path, test_module):
    (tmp_path / "faults.ko").write_bytes(test_module("faults"))
    out: list[str] = []
    sh = Shell(kernel, out.append, cwd=tmp_path)
    sh.output = out
    yield sh
    sh.kernel.shutdown()            # the machine `reboot` booted, if any


def run(sh, line):
    n = len(sh.output)
    sh.run_line(line)
    return sh.output[n + 1:]


DEAD = "klpsh: the machine has panicked (Kernel panic - not syncing: {}); `reboot' boots a new one"


def test_panic_stops_the_machine_and_reboot_boots_a_new_one(shell):
    """panic() from a module: 4.19's report (with dump_stack, the panic is the first
    trouble), then the machine answers nothing; the shell still does, and `reboot` boots a
    new machine of the same kernel."""
    out = run(shell, "insmod faults.ko fault=panic")
    text = [line.split("] ", 1)[1] for line in out if line.startswith("[")]
    msg = "faults: panic requested in init"
    i = text.index(f"Kernel panic - not syncing: {msg}")
    assert text[i + 1].startswith("CPU: 0 PID: ") and "Comm: insmod" in text[i + 1]
    trace = text[text.index("Call Trace:", i) + 1:]
    assert trace[0].startswith(" dump_stack+") and trace[1].startswith(" panic+")
    assert trace[2].startswith(" do_fault") and trace[2].endswith(" [faults]")  # do_fault.cold: gcc splits
    assert text[-2:] == ["Kernel Offset: disabled", f"---[ end Kernel panic - not syncing: {msg} ]---"]
    assert out[-1] == DEAD.format(msg)
    assert shell.kernel.panicked == msg
    for cmd in ("lsmod", "cat /proc/cmdline", "sleep 1", "echo 1 > /sys/kernel/livepatch/x/enabled"):
        assert run(shell, cmd) == [DEAD.format(msg)]
    assert run(shell, "help reboot")[0].startswith("reboot ")
    old = shell.kernel
    assert run(shell, "reboot") == []
    assert shell.kernel is not old and shell.kernel.panicked is None and old.powered_off
    assert shell.kernel.profile is old.profile
    assert run(shell, "lsmod") == ["Module                  Size  Used by"]
    assert run(shell, "insmod faults.ko") [-1].endswith("faults: init: survived")


def test_a_stale_timer_faults_in_interrupt_context_and_panics(shell):
    """A timer left armed by an unloaded module: the timer softirq finds its timer_list in
    freed (unmapped) memory: an Oops in interrupt context, Fatal exception in interrupt."""
    run(shell, "insmod faults.ko leave_timer=1")
    out = run(shell, "sleep 2")
    assert any("stale timer fired" in line for line in out)      # while the module lived
    run(shell, "rmmod faults")
    out = run(shell, "sleep 2")
    text = [line.split("] ", 1)[1] for line in out if line.startswith("[")]
    bug = next(t for t in text if t.startswith("BUG: unable to handle kernel paging request at "))
    assert "Oops: 0000 [#1] SMP NOPTI" in text
    assert any("Comm: ksoftirqd/0" in t for t in text)
    assert f"CR2: {bug.rsplit(' ', 1)[1]}" in text
    # ksoftirqd runs no guest code: RSP is still on its own kernel stack, not 0
    rsp = int(_line(text, "RSP: 0018:").split()[1].split(":")[1], 16)
    ksoftirqd = next(t for t in shell.kernel.ps() if t.comm == "ksoftirqd/0")
    assert ksoftirqd.ctx.stack_base < rsp < ksoftirqd.ctx.stack_base + 16 * 1024
    assert int(_line(text, "RSP: 0018:").split("EFLAGS: ")[1], 16) & 0x202 == 0x202
    assert text[-3:] == ["Kernel panic - not syncing: Fatal exception in interrupt",
                         "Kernel Offset: disabled",
                         "---[ end Kernel panic - not syncing: Fatal exception in interrupt ]---"]
    assert "dump_stack+" not in " ".join(text[text.index(text[-3]):])   # an Oops is in progress
    assert out[-1] == DEAD.format("Fatal exception in interrupt")


def test_rmmod_f_of_an_enabled_patch_leaves_freed_code_behind(shell):
    """rmmod -f of an enabled livepatch: the patched function still goes to the freed
    replacement, an instruction fetch from a page no longer present; `reboot` is the way out."""
    run(shell, "insmod samples/livepatch/livepatch-sample.ko")
    run(shell, "sleep 2")
    assert run(shell, "cat /proc/cmdline") == ["this has been live patched"]
    run(shell, "rmmod -f livepatch_sample")
    out = run(shell, "cat /proc/cmdline")
    assert any("Oops: 0010 [#1]" in line for line in out) and out[-1] == "Killed"
    run(shell, "reboot")
    assert run(shell, "cat /proc/cmdline")[0].startswith("BOOT_IMAGE")


def test_kernel_code_faults_on_pages_that_are_not_present(kernel, test_module):
    """The Python kernel reads guest memory past the page rights (as the kernel's accessors
    do) but not where nothing is mapped: freed module memory and stack guard pages fault."""
    from kernel.mm import BadAddress, PAGE_SIZE
    kernel.init_module(test_module("faults"), "")
    base = kernel.modules["faults"].base
    assert kernel.mem.u64(base) is not None            # text: read-only to guest code, not to us
    kernel.delete_module("faults")
    with pytest.raises(BadAddress) as e:
        kernel.mem.u64(base + 8)
    assert e.value.addr == base + 8
    stack = kernel.alloc_stack()
    with pytest.raises(BadAddress) as e:
        kernel.mem.read(stack - 16, 32)                # starts in the guard page below it
    assert e.value.addr == stack - 16
    with pytest.raises(BadAddress) as e:
        kernel.mem.write(stack + 16 * 1024 - 8, bytes(16))   # runs into the next guard page
    assert e.value.addr == stack + 16 * 1024
    kernel.stacks.free(stack)
    assert PAGE_SIZE == 4096


def test_the_repl_follows_the_machine_reboot_boots(kernel, test_module, tmp_path):
    """In the REPL: the panic on the console, the shell's answer, and after `reboot` the new
    machine's lines on the console (the toolbar and completion follow it too)."""
    import io
    from prompt_toolkit.history import InMemoryHistory
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput
    from klpsh.repl import Repl
    (tmp_path / "faults.ko").write_bytes(test_module("faults"))
    out = io.StringIO()
    with create_pipe_input() as inp:
        inp.send_text("insmod faults.ko fault=panic\nlsmod\nreboot\ninsmod faults.ko\nexit\n")
        r = Repl(kernel, input=inp, output=DummyOutput(), stdout=out, history=InMemoryHistory(),
                 env={"NO_COLOR": "1"}, cwd=tmp_path)
        assert r.run() == 0
    lines = out.getvalue().splitlines()
    dead = DEAD.format("faults: panic requested in init")
    assert lines.count(dead) == 2                      # insmod's end, then lsmod's answer
    assert lines[-1].startswith("[    0.00") and lines[-1].endswith("] faults: init: survived")  # a new clock
    assert r.kernel is r.shell.kernel is not kernel and r.completer.ctx.kernel is r.kernel
    r.kernel.shutdown()


def _deep_stack_pid(kernel) -> int:
    return next(t.pid for t in kernel.sched.all_tasks() if t.comm == "insmod")


def test_dump_stack_from_deep_down_shows_every_frame(kernel, test_module):
    """show_stack() walks the whole stack: 81 frames of the recursion (it showed none past
    64 frames of one call, the walk giving up)."""
    lines, how = _insmod(kernel, test_module("deep_stack"), "depth=80 how=dump")
    assert how == "ok"
    trace = lines[lines.index("Call Trace:") + 1:]
    frames = [line.split("+")[0].strip() for line in trace]
    assert frames[0] == "dump_stack" and frames[1:82] == ["deep"] * 81
    assert frames[82:84] == ["deep_stack_init", "do_one_initcall"]


@pytest.mark.parametrize("depth", [40, 70, 120])
def test_a_deep_sleeper_in_proc_stack_and_the_consistency_model(tmp_path, kernel, test_module, depth):
    """/proc/PID/stack shows at most MAX_STACK_TRACE_DEPTH (64) entries, ULONG_MAX last only
    where there is room; klp_check_stack() finds a stack of more than MAX_STACK_ENTRIES (100)
    return addresses unreliable, a shorter one reliable (70 frames were unreliable once: the
    walk gave up past 64)."""
    from kernel.livepatch.transition import klp_transition_status
    (tmp_path / "deep.ko").write_bytes(test_module("deep_stack"))
    out: list[str] = []
    sh = Shell(kernel, out.append, cwd=tmp_path)
    sh.run_line(f"insmod deep.ko depth={depth} how=sleep")
    assert "has not returned after 300 s" in out[-1]
    pid = _deep_stack_pid(kernel)
    stack = kernel.fs.read(f"/proc/{pid}/stack").splitlines()
    assert all(line.startswith("[<0>] ") for line in stack)
    if depth < 50:
        assert len(stack) < 64 and stack[-1] == "[<0>] 0xffffffffffffffff"
    else:
        assert len(stack) == 64 and stack[-1].startswith("[<0>] deep+0x")
    sh.run_line("insmod samples/livepatch/livepatch-sample.ko")
    status = klp_transition_status(kernel.livepatch)
    why = [why for t, why in status.blockers if t.pid == pid] if status is not None else []
    assert (why == ["has an unreliable stack"]) == (depth > 100), why
