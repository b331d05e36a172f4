"""Modules written against the headers as a 4.19 driver would be: parameters of every kind,
kthreads, completions, wait queues, works and timers (tests/modules/*.c)."""

from __future__ import annotations

import pytest

from conftest import S, needs_gcc, needs_kernel
from kernel.errno import Errno, KernelError

pytestmark = [needs_kernel, needs_gcc]
PARAMS = "/sys/module/params_demo/parameters"


def _since(kernel, n):
    return kernel.lines[n:]


def test_every_parameter_type_parses_and_prints(kernel, test_module):
    kernel.init_module(test_module("params_demo"),
                       "flag noflag=1 bint_val arr=7,8,9 bits=1,0,y name=\"a b\" who=\"x y\" "
                       "level=2 i_val=0x10 s_val=-32768 u_val=010 l_val=-9223372036854775808 "
                       "ull_val=18446744073709551615")
    assert kernel.lines[-3:] == [
        "params_demo: i=16 u=8 l=-9223372036854775808 ul=deadbeef ull=18446744073709551615 "
        "s=-32768 us=65535 b=255",
        "params_demo: flag=1 noflag=0 bint=1 who=x y name=a b level=2 hidden=9",
        "params_demo: arr_n=3: 7 8 9"]
    read = lambda p: kernel.fs.read(f"{PARAMS}/{p}")  # noqa: E731
    assert (read("arr"), read("bits"), read("name"), read("noflag")) == ("7,8,9\n", "Y,N,Y\n", "a b\n", "Y\n")
    assert read("level") == "level=2\n"                    # the module's own ->get
    assert "hidden" not in kernel.fs.listdir(PARAMS)       # perm 0: no sysfs file


def test_parameter_writes_through_sysfs(kernel, test_module):
    kernel.init_module(test_module("params_demo"), "")
    kernel.fs.write(f"{PARAMS}/level", "3\n")
    assert kernel.lines[-1] == "params_demo: level 1 -> 3"
    for path, value, errno in (("level", "7\n", Errno.ERANGE), ("level", "x\n", Errno.EINVAL),
                               ("arr", "5,6,7,8,9\n", Errno.EINVAL), ("name", "toolongname\n", Errno.ENOSPC),
                               ("i_val", "\n", Errno.EINVAL), ("flag", "maybe\n", Errno.EINVAL),
                               ("l_val", "99999999999999999999999\n", Errno.ERANGE),
                               ("ul_val", "1\n", Errno.EACCES)):
        with pytest.raises(KernelError) as e:
            kernel.fs.write(f"{PARAMS}/{path}", value)
        assert e.value.errno == errno, (path, value)
    assert "arr: can only take 4 arguments" in kernel.lines
    assert "name: string doesn't fit in 7 chars." in kernel.lines
    kernel.fs.write(f"{PARAMS}/arr", "5,6,7\n")
    kernel.fs.write(f"{PARAMS}/who", "hello\n")
    kernel.fs.write(f"{PARAMS}/flag", "off\n")
    assert kernel.fs.read(f"{PARAMS}/arr") == "5,6,7\n"
    assert kernel.fs.read(f"{PARAMS}/who") == "hello\n\n"  # charp keeps the newline, as Linux
    assert kernel.fs.read(f"{PARAMS}/flag") == "N\n"
    assert kernel.fs.read(f"{PARAMS}/level") == "level=3\n"


@pytest.mark.parametrize("args, errno, line", [
    ("i_val=2147483648", Errno.ERANGE, "params_demo: `2147483648' invalid for parameter `i_val'"),
    ("b_val=256", Errno.ERANGE, "params_demo: `256' invalid for parameter `b_val'"),
    ("u_val=-1", Errno.EINVAL, "params_demo: `-1' invalid for parameter `u_val'"),
    ("flag=maybe", Errno.EINVAL, "params_demo: `maybe' invalid for parameter `flag'"),
    ("who", Errno.EINVAL, "params_demo: `' invalid for parameter `who'"),
    ("noflag", Errno.EINVAL, "params_demo: `' invalid for parameter `noflag'"),
    ("arr=", Errno.EINVAL, "params_demo: `' invalid for parameter `arr'"),
    ("arr=1,2,3,4,5", Errno.EINVAL, "params_demo: `1,2,3,4,5' invalid for parameter `arr'"),
    ("name=123456789", Errno.ENOSPC, "params_demo: `123456789' too large for parameter `name'"),
    ("level=9", Errno.ERANGE, "params_demo: `9' invalid for parameter `level'"),
])
def test_bad_parameter_values_refuse_the_load(kernel, test_module, args, errno, line):
    with pytest.raises(KernelError) as e:
        kernel.init_module(test_module("params_demo"), args)
    assert e.value.errno == errno
    assert kernel.lines[-1] == line
    assert "params_demo" not in kernel.modules
    kernel.init_module(test_module("params_demo"), "")     # nothing was left behind


def test_kthread_completion_waitqueue_work_timer(kernel, test_module):
    start = kernel.clock.now
    kernel.init_module(test_module("sync_demo"), "")
    assert kernel.lines[-8:] == [
        "sync_demo: thread sync_demo/0 started, data=7",
        "sync_demo: work ran in a kworker",
        "sync_demo: work completion seen, done=0",
        "sync_demo: thread not done yet: 0",
        "sync_demo: delayed work ran",
        "sync_demo: thread woke: flag=1 left>0=1",
        "sync_demo: thread done: 1 after ~200 ms",
        "sync_demo: timer ticked 3 times"]
    assert 0.7 * S < kernel.clock.now - start < 0.9 * S    # virtual time: msleep and the waits
    assert any(t.comm == "sync_demo/0" for t in kernel.ps())
    kernel.delete_module("sync_demo")
    assert kernel.lines[-5:] == ["sync_demo: thread stopping", "sync_demo: kthread_stop returned 42",
                                 "sync_demo: item 1 from-init", "sync_demo: item 2 from-work",
                                 "sync_demo: list empty: 1"]
    assert not any(t.comm == "sync_demo/0" for t in kernel.ps())


def test_allocators_and_printk_formats(kernel, test_module):
    kernel.init_module(test_module("alloc_printk"), "")
    recs = {r.text: r.level for r in kernel.printk.records}
    assert kernel.lines[-8:] == [
        "zeroed=1 dup=abcdef ndup=hello vz=0",
        "snprintf=19 buf=truncated-12345",
        "[   42] [42   ] [00042] [ff] [0xff] [18446744073709551615] [q] [%] [    ab] [abc]",
        "null (null)           (null)           (null)",
        "sym alloc_printk_init+0x0/0x" + kernel.lines[-4].split("/0x")[1].split()[0]
        + " [alloc_printk] alloc_printk_init [alloc_printk]",   # %ps names the module too
        "warn level",
        "err via KERN_ERR",
        "part one and two"]
    assert recs["warn level"] == 4 and recs["err via KERN_ERR"] == 3


def test_va_list_wrappers_pointer_extensions_and_sscanf(kernel, test_module):
    kernel.init_module(test_module("fmt_scan"), "")
    out = [l for l in kernel.lines if l.startswith(("fmt_scan:", "vprintk"))]
    assert out[:12] == [
        "fmt_scan: vsnprintf=15 buf=1 2 3 4 5 6 7 8",
        "fmt_scan: vsnprintf trunc=14 buf=truncat",
        "fmt_scan: vscnprintf trunc=7 buf=truncat",
        "fmt_scan: scnprintf size0=0",
        "fmt_scan: kvasprintf=kv-007",
        "fmt_scan: wrapped: 2+3=5 ok",
        "vprintk beef -5",
        "fmt_scan: [ab    ] [    xy] [all] [    r] [l  |]",
        # the kernel's number(): '0' pads even with a precision, "%.s" has none
        "fmt_scan: [010] [0xff] [0XFF] [+5] [ 7] [00000042] [+3   ] [44] [4464] [-1] [ffffffffffffffff]",
        "fmt_scan: pK same as p: 1, 16 hex digits",       # kptr_restrict 0: %pK is hashed like %p
        "fmt_scan: [00:1b:21:3a:4f:5e] [001b213a4f5e] [00-1b-21-3a-4f-5e] [192.168.1.20] "
        "[192.168.001.020] [de:ad:be:ef] [1e5] [0,2,5-8]",
        "fmt_scan: [              (null)] [0       ]"]
    assert out[12:14] == ["fmt_scan: before ", "fmt_scan: again "]   # output stops at %f and %n
    assert out[14:] == [
        "fmt_scan: klp: 3 vmlinux saved_command_line 1",
        "fmt_scan: mixed: 4 12 31 word xyz 18",
        "fmt_scan: radix: 3 16 8 -9",
        "fmt_scan: width: 2 12 345",
        "fmt_scan: sizes: 3 44 4464 -12345678901",
        "fmt_scan: skip: 1 5",
        "fmt_scan: literal: 1",
        "fmt_scan: nodigit: 0",
        "fmt_scan: percent: 1 50",
        "fmt_scan: vsscanf: 2 4 5"]
    # one WARN (WARN_ONCE), logged after the line being formatted (printk_safe's deferred flush)
    i = kernel.lines.index("fmt_scan: before ")
    assert kernel.lines[i + 1:i + 4] == [
        "------------[ cut here ]------------",
        "Please remove unsupported %f in format string",
        f"WARNING: CPU: 0 PID: {kernel.lines[i + 3].split('PID: ')[1].split()[0]} at lib/vsprintf.c:2149 "
        "format_decode+0x8/0x10"]
    trace = kernel.lines[kernel.lines.index("Call Trace:", i):]
    assert [l.split("+")[0].strip() for l in trace[1:9]] == [
        "vsnprintf", "vscnprintf", "vprintk_store", "vprintk_emit", "vprintk_default", "vprintk_func",
        "printk", "fmt_scan_init"]
    assert sum("Please remove unsupported" in l for l in kernel.lines) == 1
    assert "W" in kernel.taints
    recs = {r.text: r.level for r in kernel.printk.records}
    assert recs["vprintk beef -5"] == 6


def test_clocks_and_random_numbers(kernel, test_module, elf_cache):
    kernel.init_module(test_module("time_rand"), "")
    out = [l for l in kernel.lines if l.startswith("time_rand:")]
    # insmod's own work (kernel/cost.py) brings its init to 1.06 ms, jiffy 2 (jiffies run a
    # jiffy ahead of the printk clock); msleep(250) is 251 jiffies on the wheel's 8-jiffy level:
    # woken at jiffy 256, 255 ms; the line before takes its console time (0.678 ms)
    assert out[0] == "time_rand: slept 253 ms, 253940000 ns, 254 jiffies, jiffies_64 same: 1"
    assert out[1] == ("time_rand: mono 0.255678000 real 1540166400 (1) tv 1540166400 "
                      "boot-mono 0 tai-real 37 s")
    assert out[2] == "time_rand: ktime_set 2000000500 us_delta 3000"
    assert out[3].endswith("differ=1 prandom_max in range=1")
    from kernel.machine import Kernel
    other = Kernel.boot(elf_cache=elf_cache)       # a batch run replays the same numbers
    try:
        other.init_module(test_module("time_rand"), "")
        assert [r.text for r in other.printk.records if r.text.startswith("time_rand: random")] == [out[3]]
    finally:
        other.shutdown()


def test_rw_semaphore(kernel, test_module):
    kernel.init_module(test_module("rwsem_demo"), "")
    assert [l for l in kernel.lines if l.startswith("rwsem_demo:")] == [
        "rwsem_demo: dyn locked=0 trylock_w=1 locked=1 trylock_r=0",
        "rwsem_demo: dyn two readers=11 writer=0 unlocked=1",
        "rwsem_demo: writer waits",
        # a waiting writer holds back new readers; count carries RWSEM_WAITING_BIAS
        "rwsem_demo: read trylock with a writer waiting: 0, count<0: 1",
        "rwsem_demo: reader waits",
        "rwsem_demo: one reader left",
        "rwsem_demo: init released",
        "rwsem_demo: writer in, data=1",
        "rwsem_demo: writer downgraded",
        "rwsem_demo: reader in, data=2",
        "rwsem_demo: writer out",
        "rwsem_demo: end: locked=0 write trylock=1"]


def test_hashtable_and_rcu_callbacks(kernel, test_module):
    heap = kernel.heap.bytes_in_use
    before = {t.pid for t in kernel.sched.all_tasks()}
    kernel.init_module(test_module("hash_demo"), "")
    assert [l for l in kernel.lines if l.startswith("hash_demo:")] == [
        # 4.19's golden-ratio hashes: the same buckets as a real kernel
        "hash_demo: bits=3 size=8 empty=1 hash_32(7,3)=5 hash_64(7,4)=10 ilog2(4096)=12",
        "hash_demo: count=20 sum=1470 find(49)=e7 find(50)=          (null) hashed=1",
        "hash_demo: after del: find(49)=          (null) hashed=0",
        "hash_demo: odd keys removed, 10 left, bucket of 14 holds: 14",
        "hash_demo: rcu lookup r1",
        "hash_demo: queued, freed so far 0, empty=1",      # callbacks wait for a grace period
        "hash_demo: rcu callback frees r1",
        "hash_demo: rcu callback frees r2",
        "hash_demo: after rcu_barrier freed 2"]
    kernel.delete_module("hash_demo")
    assert kernel.lines[-1] == "hash_demo: exit: empty=1"
    born = [t for t in kernel.sched.all_tasks() if t.pid not in before]   # ksoftirqd, for RCU
    task_structs = sum(kernel.heap.live[a] for t in born for a in (t.guest_struct, *t.sigobjs))
    assert kernel.heap.bytes_in_use == heap + task_structs   # kfree_rcu() freed its entry too


def test_kallsyms_lookups(kernel, test_module):
    kernel.init_module(test_module("ksyms_demo"), "")
    assert [l for l in kernel.lines if l.startswith("ksyms_demo:")] == [
        "ksyms_demo: cmdline via kallsyms: " + kernel.fs.read("/proc/cmdline").rstrip("\n"),
        "ksyms_demo: cmdline_proc_show found=1 is cmdline_proc_show+0x0/0x"
        + f"{kernel.kallsyms.find('cmdline_proc_show').size:x}",
        "ksyms_demo: printk=1 secret_fn=1 plain=1 missing=0 nomod=0 secret(2)=6",
        "ksyms_demo: walk: ret=0 vmlinux>100=1 mine>=3=1 secret found=1",
        "ksyms_demo: walk stopped: 7",
        "ksyms_demo: sprint_symbol: secret_fn+0x3 [ksyms_demo]",
        "ksyms_demo: no_offset: secret_fn [ksyms_demo]",
        "ksyms_demo: lookup_symbol_name: 0 ksyms_demo_init",
        "ksyms_demo: kallsyms_lookup: secret_fn off=5 size>0=1 mod=ksyms_demo",
        "ksyms_demo: size_offset of show: 1 off=0"]


def test_allocated_workqueues(kernel, test_module):
    kernel.init_module(test_module("wq_demo"), "")
    assert [l for l in kernel.lines if l.startswith("wq_demo:")] == [
        "wq_demo: max_active 2:",
        "wq_demo: queue again while pending=0, pending=1",    # work_pending() reads data bit 0
        "wq_demo: A start in per-cpu (1 running)",
        "wq_demo: B start in per-cpu (2 running)",
        "wq_demo: A end",
        "wq_demo: C start in per-cpu (2 running)",             # the third waited for a slot
        "wq_demo: B end",
        "wq_demo: C end",
        "wq_demo: flushed: pending=0 busy=0",
        "wq_demo: ordered:",
        "wq_demo: D start in unbound (1 running)",
        "wq_demo: D end",
        "wq_demo: E start in unbound (1 running)",
        "wq_demo: E end",
        "wq_demo: F start in unbound (1 running)",
        "wq_demo: F end",
        "wq_demo: requeued work ran 3 times, overlapped=0",   # never on two workers at once
        "wq_demo: mod_delayed_work of a pending work: 1",
        "wq_demo: delayed work ran 108 ms after mod_delayed_work"]   # 8-jiffy wheel level
    comms = {t.comm: t for t in kernel.ps()}
    # WQ_MEM_RECLAIM queues have a rescuer named after them; ordered ones run unbound
    assert comms["wq_demo_7"].state.value == "I" and "wq_demo_st" in comms
    assert "wq_demo_ord" not in comms and "kworker/u4:0" in comms
    assert kernel.fs.read(f"/proc/{comms['wq_demo_7'].pid}/stack").split() == [
        "[<0>]", "rescuer_thread+0x8/0x10", "[<0>]", "kthread+0x8/0x10", "[<0>]", "ret_from_fork+0x8/0x10",
        "[<0>]", "0xffffffffffffffff"]
    kernel.delete_module("wq_demo")
    assert kernel.lines[-2:] == ["wq_demo: last ran before destroy returned", "wq_demo: destroyed"]
    assert not [t for t in kernel.ps() if t.comm.startswith("wq_demo")]
    assert kernel.workqueues.by_addr.keys() == {wq.addr for wq in kernel.workqueues.by_addr.values()}
    assert sorted(wq.name for wq in kernel.workqueues.by_addr.values()) == sorted([
        "events", "events_highpri", "events_long", "events_unbound", "events_freezable",
        "events_power_efficient", "events_freezable_power_"])


def test_kmem_caches(kernel, test_module):
    heap = kernel.heap.bytes_in_use
    kernel.init_module(test_module("slab_demo"), "")
    assert [l for l in kernel.lines if l.startswith("slab_demo:")] == [
        # SLUB: a 40-byte object with a ctor and SLAB_HWCACHE_ALIGN takes 64 bytes, an order-0
        # slab holds 64 of them and the ctor runs for each when the slab is made
        "slab_demo: ctor ran 64 times for 3 objects, magic=feed, stride=64, aligned=1",
        "slab_demo: reused=1 magic=1234 ctor_calls=64",       # LIFO reuse, no second ctor
        "slab_demo: zalloc magic=0 size=40",
        "slab_demo: second slab: ctor_calls=128 aligned=1",
        "slab_demo: plain size=12 zeroed=1",
        "slab_demo: bad flags:           (null)"]
    i = kernel.lines.index("kmem_cache_create(bad) failed with error -22")
    assert kernel.lines[i + 1].startswith("CPU: 0 PID: ") and "Call Trace:" in kernel.lines[i + 2:i + 5]
    kernel.delete_module("slab_demo")
    i = kernel.lines.index("kmem_cache_destroy slab_demo_obj: Slab cache still has objects")
    assert kernel.lines[-1] == "slab_demo: destroyed"
    assert any(l.startswith(" slab_demo_exit+0x") for l in kernel.lines[i:])
    assert kernel.slab.caches == {} and kernel.heap.bytes_in_use == heap


def test_proc_files(kernel, test_module):
    kernel.init_module(test_module("proc_demo"), "")
    # proc_register() refuses a second "proc_demo"; remove_proc_entry() of a missing name WARNs
    i = kernel.lines.index("proc_dir_entry '/proc/proc_demo' already registered")
    assert kernel.lines[i - 1] == "------------[ cut here ]------------"
    assert " at fs/proc/generic.c:" in kernel.lines[i + 1] and kernel.lines[i + 1].endswith(
        "proc_register+0x8/0x10")
    assert "proc_demo: duplicate:           (null)" in kernel.lines
    assert "name 'nope'" in kernel.lines
    read = kernel.fs.read
    assert read("/proc/proc_demo") == "value=42 opens=1\nprivate ok: 1\n"
    assert read("/proc/proc_demo") == "value=42 opens=2\nprivate ok: 1\n"
    assert read("/proc/proc_demo_dir/value") == "42\n"
    kernel.fs.write("/proc/proc_demo_dir/value", "0x10\n")
    assert kernel.lines[-1] == "proc_demo: value set to 16"
    assert read("/proc/proc_demo").startswith("value=16 ")
    for data, errno in (("bogus\n", Errno.EINVAL), ("-1\n", Errno.EPERM), ("99999999999\n", Errno.ERANGE)):
        with pytest.raises(KernelError) as e:
            kernel.fs.write("/proc/proc_demo_dir/value", data)
        assert e.value.errno == errno, data
    with pytest.raises(KernelError) as e:                  # no ->write: proc_reg_write's -EIO
        kernel.fs.write("/proc/proc_demo", "1\n")
    assert e.value.errno == Errno.EIO
    listing = read("/proc/proc_demo_list")                 # 4500 bytes: two reads of a page
    assert listing == "".join(f"line {i:03d}\n" for i in range(1, 501))
    big = read("/proc/proc_demo_big")
    assert big == "".join(f"{i:04d}|" for i in range(1000)) + "\n"
    assert "proc_demo: big record overflowed a 4096 byte buffer" in kernel.lines
    assert kernel.fs.listdir("/proc/proc_demo_dir") == ["value"]
    kernel.delete_module("proc_demo")
    # seq_read(): start/stop once per read(2) that shows records, and once more for the end;
    # the big record was shown twice (into a page, then into two)
    assert kernel.lines[-1] == "proc_demo: opens=4 releases=4 starts=3 stops=3 big_shows=2"
    assert not any(n.startswith("proc_demo") for n in kernel.fs.listdir("/proc"))
    with pytest.raises(KernelError) as e:
        read("/proc/proc_demo")
    assert e.value.errno == Errno.ENOENT


def test_only_kern_cont_continues_an_unterminated_line(kernel, build):
    """4.19's log_output(): a fragment without a newline is continued by a KERN_CONT call
    (pr_cont); a call without KERN_CONT, with a level or without one, starts a new record."""
    image = build("contlines", """
#include <linux/module.h>
static int __init contlines_init(void)
{
	pr_info("one");
	pr_cont(" two");
	pr_cont(" three\\n");
	pr_info("alone");
	printk("no level\\n");
	printk(KERN_INFO "fragment");
	printk(KERN_WARNING "warned\\n");
	return 0;
}
module_init(contlines_init);
MODULE_LICENSE("GPL");
""")
    kernel.init_module(image, "")
    i = kernel.lines.index("one two three")
    assert kernel.lines[i:i + 5] == ["one two three", "alone", "no level", "fragment", "warned"]
