"""The tutorial corpus (tests/modules/corpus: LKMPG / LDD3 / book-style modules with their own
Makefiles, multi-object ones included) built with the module's Makefile, loaded, exercised
and unloaded by tests/tools/corpus_run.py; once per session, about 4 s for all of them.

Every module whose headers klpsh ships builds, loads and runs cleanly, and today that is every
module of the corpus (the last four needed linux/interrupt.h or linux/irq.h)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from conftest import ROOT, needs_gcc, needs_kernel

sys.path.insert(0, str(ROOT / "tests" / "tools"))
import corpus_run  # noqa: E402

pytestmark = [needs_kernel, needs_gcc]
INCLUDE = re.compile(r'^\s*#\s*include\s*<([^>]+)>', re.M)


@pytest.fixture(scope="module")
def corpus(elf_cache) -> dict[str, corpus_run.Result]:
    dirs = corpus_run.module_dirs([corpus_run.CORPUS])
    return {r.name: r for r in corpus_run.run(dirs)}


def _headers_shipped(d: Path) -> bool:
    from kernel import kbuild
    wanted = {h for c in d.glob("*.c") for h in INCLUDE.findall(c.read_text())}
    return all((kbuild.INCLUDE_DIR / h).exists() for h in wanted)


def _session(r: corpus_run.Result) -> str:
    return "\n".join(r.transcript)


def _cat(r: corpus_run.Result, path: str, nth: int = 0) -> str:
    """What the NTH `cat PATH` of the session printed (its kernel lines left out)."""
    out, seen, inside = [], -1, False
    for line in r.transcript:
        if line.startswith("% "):
            if inside:
                break
            if line == f"% cat {path}":
                seen += 1
                inside = seen == nth
            continue
        if inside and not line.startswith("["):
            out.append(line)
    return "\n".join(out)


def test_the_corpus_is_big_enough_and_shaped_like_real_modules() -> None:
    dirs = corpus_run.module_dirs([corpus_run.CORPUS])
    assert len(dirs) >= 25
    for d in dirs:
        make = (d / "Makefile").read_text()
        assert "obj-m" in make and "M=$(PWD)" in make, d.name
    assert "startstop-objs := start.o stop.o" in (corpus_run.CORPUS / "startstop" / "Makefile").read_text()


def test_every_module_with_shipped_headers_builds_loads_and_runs_cleanly(corpus) -> None:
    bad = {name: r.error or "ran with errors" for name, r in corpus.items()
           if _headers_shipped(corpus_run.CORPUS / name) and not r.clean}
    assert not bad, bad
    results = list(corpus.values())
    built = sum(r.built for r in results) / len(results)
    loaded = sum(r.loaded for r in results) / len(results)
    assert built == 1.0 and loaded == 1.0, corpus_run.rates(results)


def test_hello_modules_and_parameters(corpus) -> None:
    assert "Hello world 1." in _session(corpus["hello-1"])
    assert "Goodbye world 1." in _session(corpus["hello-1"])
    assert "Hello, world 3" in _session(corpus["hello-3"])       # from __initdata
    s = _session(corpus["hello-5"])
    for line in ("myshort is a short integer: 1", "myint is an integer: 420",
                 "mylong is a long integer: 9999", "mystring is a string: blah",
                 "myintArray[1] = -1", "got 0 arguments for myintArray."):
        assert line in s, line
    s = _session(corpus["startstop"])                               # start.o + stop.o
    assert "Hello, world - this is the kernel speaking" in s
    assert "Short is the life of a kernel module" in s
    s = _session(corpus["param_cb"])
    assert _cat(corpus["param_cb"], "/sys/module/param_cb/parameters/level") == "level 1 of 5"
    assert "param_cb: level changed from 1 to 1" in s


def test_proc_files(corpus) -> None:
    s = _session(corpus["procfs1"])
    assert _cat(corpus["procfs1"], "/proc/helloworld") == "HelloWorld!"
    assert "procfile read helloworld" in s                     # file->f_path.dentry->d_name
    s = _session(corpus["procfs2"])
    assert "procfile write 1" in s and _cat(corpus["procfs2"], "/proc/buffer1k", 1) == "1"
    assert _cat(corpus["procfs3"], "/proc/iter") == "\n".join(str(i) for i in range(10))
    s = _session(corpus["proc_single"])
    assert _cat(corpus["proc_single"], "/proc/jiffies_demo") == "HZ: 1000\nreads: 1\nup: yes"
    s = _session(corpus["llist"])
    assert "02/08/1995\n03/08/1996" in s and "total 5" in s and "Removing 6/8/1999" in s
    s = _session(corpus["tasklist"])
    assert re.search(r"kthreadd\s+2\s+0 yes", s) and "insmod" in s
    assert re.search(r"uname_info\n?.*Linux klpsh 4\.19\.0-klpsh #1 SMP", _session(corpus["uname_info"]))
    s = _session(corpus["bits_demo"])
    assert "last slot 4, reused slot 2, next zero 5" in s and "used 5 of 64: 0 1 2 3 4" in s
    assert _cat(corpus["wait_demo"], "/proc/wait_demo", 1) == "wakeups: 1"      # after echo 1


def test_modules_that_include_interrupt_h(corpus) -> None:
    s = _session(corpus["example_atomic"])                 # linux/interrupt.h for bitops
    assert "chris: 50, debbie: 52" in s
    assert "Bits 1: 00101000" in s and "Bits 3: 00000000" in s and "Bits 4: 00001000" in s
    assert "wrong" not in s
    s = _session(corpus["example_spinlock"])
    assert "Locked static spinlock" in s and "Unlocked dynamic spinlock" in s
    s = _session(corpus["example_rwlock"])
    assert s.index("Read Locked") < s.index("Read Unlocked") < s.index("Write Locked")
    assert corpus["chardev"].clean                          # linux/irq.h


def test_deferred_work_threads_and_locks(corpus) -> None:
    s = _session(corpus["timer_demo"])
    assert "timer_demo: fired 5" in s and "fired 5 times, timer stopped" in s
    s = _session(corpus["workqueue_demo"])
    assert "my_work.x 1" in s and "delayed work run 3" in s and "3 delayed runs" in s
    s = _session(corpus["completions"])
    assert s.index("Turn the crank") < s.index("Flywheel spins up") < s.index("completions exit")
    s = _session(corpus["kthread_demo"])
    assert "count 3" in s and "thread stopping" in s and "thread stopped" in s
    s = _session(corpus["example_mutex"])
    assert "mutex is locked" in s and "mutex is unlocked" in s
    assert "hash_table: id 114 is carol" in _session(corpus["hash_table"])
    assert "hash_table: freed 6, empty 1" in _session(corpus["hash_table"])
    assert "time_demo: gettimeofday and ts64 agree: 1" in _session(corpus["time_demo"])
    s = _session(corpus["livepatch_uptime"])
    assert "'livepatch_uptime': patching complete" in s and "unpatching complete" in s
    assert _cat(corpus["hello_sysfs"], "/sys/kernel/mymodule/myvariable", 1) == "1"   # echo 1


def test_blind_set_modules(corpus) -> None:
    """Modules of the blind tester's set (not written against klpsh) and what they rely on."""
    s = _session(corpus["kworker_demo"])                    # kthread_create_worker & co.
    assert "kworker_demo: work in demo_worker, run 1" in s
    assert "kworker_demo: work in demo_worker, run 2" in s
    assert "kworker_demo: init done, runs=2" in s            # kthread_flush_worker waited
    assert "kworker_demo: delayed work in demo_worker" in s
    assert "kworker_demo: exit, runs=2" in s
    s = _session(corpus["notifier_demo"])                   # priority order, NOTIFY_STOP
    assert re.search(r"second got event 1\n.*first got event 1\n.*second got event 2\n"
                     r".*module notifier_demo state 0\n", s)   # its own MODULE_STATE_LIVE
    assert "first got event 2" not in s
    s = _session(corpus["jhash_demo"])
    m = re.search(r"= (\w+), jhash2 = (\w+), 3words = (\w+)", s)
    assert m and m.group(1) == "17770551" and m.group(2) == m.group(3)   # lookup3's vector
    assert "5 entries, gamma=20, zeta missing, empty=0" in s
    s = _session(corpus["rcu_list"])                        # synchronize_rcu() ran call_rcu()'s
    assert "rcu_list: after update sum 28, reclaimed 1" in s
    assert "rcu_list: exit, 1 call_rcu callbacks ran" in s
    s = _session(corpus["slab_custom"])
    assert "in ctor: just alloced mem object" in s
    assert "size is 328 bytes; actual ksize=328" in s       # SLAB_RED_ZONE|SLAB_POISON cache
    s = _session(corpus["lowlevel_mem"])                    # klib_llkd.o linked in: powerof()
    assert "2. __get_free_pages()  2^3 page(s)" in s and "NON-contiguity" not in s
    pfns = [int(p) for p in re.findall(r"show_phy_pages\(\): 0000\d  0x\w+   0x\w+   (\d+)", s)]
    assert len(pfns) == 8 and pfns == list(range(pfns[0], pfns[0] + 8))
    s = _session(corpus["vmalloc_demo"])                    # one printk, two lines, one time
    m = re.search(r"\[ *([\d.]+)\] vmalloc_demo:vmalloc_try\(\): 3\. kvmalloc\(\) .*\n"
                  r"\[ *([\d.]+)\]     \(for 5242880 bytes\)", s)
    assert m and m.group(1) == m.group(2)
    s = _session(corpus["scull"])
    assert "Device 3: qset 1000, q 4000, sz 0" in _cat(corpus["scull"], "/proc/scullseq")


def test_blind_set_second_round(corpus) -> None:
    """The blind tester's second set: kthread parking, mempools, the task tree, /proc/driver."""
    s = _session(corpus["park_demo"])
    assert "park_demo: 3 ticks with 1 jiffies to spare" in s
    assert re.search(r"parking after \d+ ticks\n.*still quiet while parked\n.*unparked", s)
    assert "park_demo: stopped" in s                          # kthread_stop() of a live thread
    s = _session(corpus["mempool_demo"])
    assert "mempool_demo: 4 elements allocated, min_nr 4" in s
    assert "kmalloc pool element ksize 256" in s and "mempool_demo: destroyed" in s
    s = _session(corpus["family"])                             # parent chain and init's children
    assert re.search(r"family: insmod \[\d+\] state 0\n.*family: bash \[\d+\] state 0\n"
                     r".*family: sshd \[\d+\] state 0\n.*family: systemd \[1\] state 0\n"
                     r".*family: and swapper/0 \[0\]", s)
    assert "child of swapper: systemd [1]" in s and "child of swapper: kthreadd [2]" in s
    assert "swapper has 2 children, group leader of current is insmod" in s
    s = _session(corpus["timefmt"])                            # string_get_size, STRING_UNITS_2
    assert "timefmt: 123456789 bytes is 118 MiB" in s and "real-mono positive, boot>=mono 1" in s
    s = _session(corpus["meminfo_demo"])                       # totalram_pages a variable (4.19)
    assert re.search(r"meminfo_demo: totalram \d+ pages \(\d+ MB\), freeram \d+, mem_unit 4096, match 1", s)
    assert "free <= total 1" in s
    s = _session(corpus["cpus_demo"])                          # each CPU's own per-CPU counter
    assert "cpus_demo: 2 online, 2 possible, nr_cpu_ids 2, on cpu 0" in s
    assert "on_each_cpu ran 2 times" in s and "online mask 0-1" in s
    assert "cpus_demo: cpu 0 hits 1" in s and "cpus_demo: cpu 1 hits 2" in s
    s = _session(corpus["radix_demo"])
    assert "radix_demo: 1000 -> two, 7 ->           (null)" in s
    assert "gang lookup found 4, first zero last three" in s and "after delete 5 ->           (null)" in s
    got = _cat(corpus["jiffies_proc"], "/proc/driver/jiffies_info")
    assert got.startswith("jiffies info\njiffies ") and got.endswith("reads 1\nraw\ntab\\011here")
